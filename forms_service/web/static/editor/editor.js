/* Form editor enhancements; every page works without them.
 * - live markdown preview: a guidance textarea's sanitised HTML (rendered by the server's
 *   sanitiser, never in the browser) is shown beside it while typing;
 * - confirmation before discarding a draft;
 * - the suggested version number as the placeholder of the version input. */
(function () {
  "use strict";
  var script = document.getElementById("editor-script");
  var markdownUrl = script ? script.getAttribute("data-markdown-url") : null;
  var csrf = document.querySelector('input[name="csrf_token"]');

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      var args = arguments, self = this;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(self, args); }, ms);
    };
  }

  if (markdownUrl) {
    document.querySelectorAll("textarea.markdown-source").forEach(function (area) {
      var target = document.getElementById(area.getAttribute("data-preview"));
      if (!target) { return; }
      var render = debounce(function () {
        var body = new URLSearchParams();
        body.set("text", area.value);
        fetch(markdownUrl, {
          method: "POST",
          credentials: "same-origin",
          headers: {"X-CSRFToken": csrf ? csrf.value : "", "Accept": "application/json"},
          body: body
        }).then(function (r) { return r.ok ? r.json() : null; })
          .then(function (data) { if (data) { target.innerHTML = data.html; } })
          .catch(function () { /* the saved preview stays */ });
      }, 300);
      area.addEventListener("input", render);
    });
  }

  document.querySelectorAll("[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });

  document.querySelectorAll("input[data-suggest-url]").forEach(function (input) {
    var form = input.form;
    var from = form.querySelector('[name="from_version"]');
    var kind = form.querySelector('[name="kind"]');
    var name = form.querySelector('[name="form"]');
    function update() {
      var url = input.getAttribute("data-suggest-url") + "?form=" + encodeURIComponent(name.value) +
        "&from=" + encodeURIComponent(from.value) + "&kind=" + encodeURIComponent(kind.value);
      fetch(url, {credentials: "same-origin"}).then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data) { input.placeholder = data.version; } });
    }
    from.addEventListener("change", update);
    kind.addEventListener("change", update);
    update();
  });
})();
