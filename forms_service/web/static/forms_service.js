// Start DKFDS's components (accordions, details, menus) when its script is present.
if (window.DKFDS && typeof window.DKFDS.init === "function") {
  window.DKFDS.init();
}
