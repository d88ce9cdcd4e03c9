// Follows a running document job without reloading the page on a timer (a timed refresh moves
// focus and the reading position of screen readers: WCAG 2.2.1). The count and the state are
// updated in place inside a polite live region; when the job has
// finished, the page's content is fetched once and put in place, so the download link and
// any errors appear without a navigation. Without JavaScript the page offers
// a plain "Opdater" link instead.
(function () {
  "use strict";
  const root = document.querySelector("[data-job-status-url]");
  if (!root) {
    return;
  }
  const url = root.getAttribute("data-job-status-url");
  const labels = { queued: "I kø", running: "I gang", finished: "Færdig", failed: "Fejlet" };
  const state = document.querySelector("#job-state .tag");
  const progress = document.getElementById("job-progress");
  const count = document.getElementById("job-count");
  const manual = document.getElementById("job-refresh");
  if (manual) {
    manual.hidden = true;
  }

  function show(status) {
    const handled = status.done + status.failed;
    if (state) {
      state.textContent = labels[status.state] || status.state;
    }
    if (progress) {
      progress.max = status.total || 1;
      progress.value = handled;
    }
    if (count) {
      count.textContent =
        handled + " af " + status.total + " dokumenter (" + status.percent + " %)";
    }
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (status) {
        show(status);
        if (status.finished) {
          return replacePage();
        } else {
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () {
        // The status could not be read (network, session ended): offer the manual link
        // rather than retrying forever.
        if (manual) {
          manual.hidden = false;
        }
      });
  }

  function replacePage() {
    return fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) {
        return response.text();
      })
      .then(function (html) {
        const fresh = new DOMParser().parseFromString(html, "text/html").getElementById("job-page");
        const current = document.getElementById("job-page");
        if (fresh && current) {
          current.replaceWith(fresh);
        }
      });
  }

  window.setTimeout(poll, 1000);
})();
