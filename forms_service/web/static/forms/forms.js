// The case form with JavaScript on: when an answer changes, post the form to the refresh
// endpoint and swap in only the sections whose content changed (a question appeared or
// disappeared, an error came or went). Computed values are updated in place. Without
// JavaScript the same happens on every submit, so this file is an improvement, not a need.
(function () {
  "use strict";
  // The error summary: focused when the page shows it, and its links move the focus to the
  // field (a plain in-page link only scrolls), with the field's label in view.
  var summary = document.getElementById("error-summary");
  // a row just added has the focus (autofocus): the summary must not take it away
  if (summary && !document.querySelector("[autofocus]")) {
    summary.focus();
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest &&
      event.target.closest("#error-summary a[href^='#'], #case-return a[href^='#']");
    if (!link) {
      return;
    }
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) {
      return;
    }
    window.setTimeout(function () {
      var group = target.closest(".form-group") || target;
      group.scrollIntoView({ block: "start" });
      target.focus({ preventScroll: true });
    }, 0);
  });
})();

(function () {
  "use strict";
  var form = document.querySelector("form[data-refresh-url]");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var sequence = 0;
  var live = document.getElementById("form-live");
  var refreshButton = form.querySelector("[data-refresh-button]");
  if (refreshButton) {
    refreshButton.hidden = true; // refreshing happens by itself now
  }

  function valuesOf(element) {
    var values = {};
    element.querySelectorAll("input[type=text], input[type=date], textarea, select").forEach(function (input) {
      values[input.name] = input.value;
    });
    return values;
  }

  function restore(element, typed, sent) {
    // answers typed while the request was under way win over what the server saw
    element.querySelectorAll("input[type=text], input[type=date], textarea, select").forEach(function (input) {
      if (Object.prototype.hasOwnProperty.call(typed, input.name) && typed[input.name] !== sent[input.name]) {
        input.value = typed[input.name];
      }
    });
  }

  function replaceSection(id, fragment, sent) {
    var current = document.getElementById(id);
    if (!current || current.getAttribute("data-signature") === fragment.signature) {
      return false;
    }
    var active = document.activeElement && document.activeElement.id;
    var typed = valuesOf(current);
    var holder = document.createElement("div");
    holder.innerHTML = fragment.html;
    var replacement = holder.firstElementChild;
    current.parentNode.replaceChild(replacement, current);
    restore(replacement, typed, sent);
    if (active) {
      var again = document.getElementById(active);
      if (again) {
        again.focus();
      }
    }
    return true;
  }

  function replaceSummary(html) {
    var current = document.getElementById("error-summary");
    if (!current && !html) {
      return;
    }
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var replacement = holder.firstElementChild;
    if (current && replacement) {
      if (current.innerHTML !== replacement.innerHTML) {
        current.parentNode.replaceChild(replacement, current);
      }
    } else if (current) {
      current.parentNode.removeChild(current);
    }
  }

  function replaceChecklist(html) {
    var current = document.getElementById("completeness");
    if (!current || !html) {
      return;
    }
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var replacement = holder.querySelector("#completeness");
    if (replacement && replacement.innerHTML !== current.innerHTML) {
      current.parentNode.replaceChild(replacement, current);
    }
  }

  function refresh() {
    var mine = ++sequence;
    var body = new FormData(form);
    body.set("action", "refresh");
    // chosen files are stored by attachments/upload.js or with a button, never by a refresh
    Array.prototype.forEach.call(form.querySelectorAll("input[type=file]"), function (input) {
      body.delete(input.name);
    });
    var sent = {};
    body.forEach(function (value, key) {
      if (!(key in sent)) {
        sent[key] = value;
      }
    });
    form.setAttribute("aria-busy", "true");
    fetch(form.getAttribute("data-refresh-url"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-Requested-With": "fetch" }
    }).then(function (response) {
      if (!response.ok) {
        throw new Error("refresh failed: " + response.status);
      }
      return response.json();
    }).then(function (data) {
      if (mine !== sequence) {
        return; // a newer refresh is on its way
      }
      var changed = 0;
      Object.keys(data.sections).forEach(function (id) {
        if (replaceSection(id, data.sections[id], sent)) {
          changed += 1;
        }
      });
      Object.keys(data.computed).forEach(function (id) {
        var element = document.getElementById(id);
        if (element && element.textContent !== data.computed[id]) {
          element.textContent = data.computed[id];
        }
      });
      replaceSummary(data.summary);
      replaceChecklist(data.completeness);
      if (changed && live) {
        live.textContent = "Skemaet er opdateret efter dit svar.";
      }
    }).catch(function () {
      // the page still works: the next save re-evaluates on the server
    }).then(function () {
      if (mine === sequence) {
        form.removeAttribute("aria-busy");
      }
    });
  }

  form.addEventListener("change", function (event) {
    // a chosen file is stored by attachments/upload.js; a refresh racing that upload would
    // redraw the row without the new file
    var target = event.target;
    if (target && target.name && target.name !== "csrf_token" && target.type !== "file") {
      refresh();
    }
  });
})();

// Minimum lengths: the counter under a text box follows what is typed. It is part of the box's
// description (read when the box gets focus), not a live region that talks on every key.
(function () {
  "use strict";
  function update(box) {
    var counter = document.querySelector("[data-counter-for='" + box.id + "']");
    if (!counter) {
      return;
    }
    var length = box.value.length;
    var minimum = parseInt(box.getAttribute("data-min-length"), 10) || 0;
    counter.querySelector(".char-count").textContent = String(length);
    counter.classList.toggle("char-counter-short", length < minimum);
  }
  document.addEventListener("input", function (event) {
    if (event.target && event.target.hasAttribute && event.target.hasAttribute("data-min-length")) {
      update(event.target);
    }
  });
})();

// Leaving the case form with unsaved changes: the browser asks first. Saving, submitting,
// adding or removing a row (all form submits) is not leaving.
(function () {
  "use strict";
  var revision = document.querySelector("form.answers-form input[name=base_revision]");
  var form = revision && revision.form; // the case form, not the editor's preview
  if (!form) {
    return;
  }
  var dirty = false;
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; });
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();

// Effort (issue 19): the seconds each section of the case form holds the focus, sent when the
// page is hidden or left and when the form is submitted. Only section ids and whole seconds
// leave the page, never an answer. A pause with no key, click or focus change counts for at
// most IDLE seconds, so a form left open over lunch does not count as work.
(function () {
  "use strict";
  var revision = document.querySelector("form.answers-form input[name=base_revision]");
  var form = revision && revision.form;
  var url = form && form.getAttribute("data-effort-url");
  if (!url || !navigator.sendBeacon || !window.FormData) {
    return;
  }
  var IDLE = 300;
  var MAX = 3600; // the server's bound per section and batch
  var times = {};
  var current = null;
  var mark = 0;
  var shown = !document.hidden; // the time up to the moment the page was hidden still counts

  function now() {
    return Date.now() / 1000;
  }

  function sectionOf(element) {
    var section = element && element.closest && element.closest(".form-section");
    return section && section.id.indexOf("section-") === 0 ? section.id.slice(8) : null;
  }

  function settle() {
    var at = now();
    if (current && mark && shown) {
      times[current] = (times[current] || 0) + Math.min(at - mark, IDLE);
    }
    mark = at;
  }

  function send() {
    settle();
    var batch = {};
    var any = false;
    Object.keys(times).forEach(function (id) {
      var seconds = Math.min(Math.round(times[id]), MAX);
      if (seconds >= 1) {
        batch[id] = seconds;
        any = true;
        times[id] = 0;
      }
    });
    if (!any) {
      return;
    }
    var body = new FormData();
    body.append("csrf_token", form.querySelector("input[name=csrf_token]").value);
    body.append("times", JSON.stringify(batch));
    navigator.sendBeacon(url, body);
  }

  document.addEventListener("focusin", function (event) {
    settle();
    current = form.contains(event.target) ? sectionOf(event.target) : null;
  });
  document.addEventListener("focusout", function () {
    settle();
    current = null;
  });
  ["keydown", "input", "pointerdown"].forEach(function (name) {
    document.addEventListener(name, settle, true);
  });
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) {
      send();
      shown = false;
    } else {
      shown = true;
      mark = now(); // the time away is not the section's
    }
  });
  window.addEventListener("pagehide", send);
  form.addEventListener("submit", send);
})();
