/* Documents on the case form: store a file as soon as it is chosen or dropped, with progress.
 *
 * Without this script the file inputs travel with the form (multipart) and are stored when a
 * button is pressed; with it, each file is sent on its own to the field's upload URL
 * (forms_service/web/attachments/views.py), and the list beside the field grows at once.
 */
(function () {
  "use strict";

  var form = document.getElementById("skema");
  if (!form || !window.FormData || !window.XMLHttpRequest) {
    return;
  }
  var csrf = form.querySelector("input[name=csrf_token]");
  var live = document.getElementById("form-live");

  function announce(text) {
    if (live) {
      live.textContent = text;
    }
  }

  function titleInput(fileInput) {
    var name = fileInput.id.replace(/-file$/, "");
    return document.getElementById("field-" + name + "-title");
  }

  function uploaded(item, data, fileInput) {
    item.className = "attachment-item";
    item.textContent = "";
    var link = document.createElement("a");
    link.href = data.url;
    link.setAttribute("download", "");
    link.textContent = data.filename;
    var meta = document.createElement("span");
    meta.className = "attachment-meta";
    meta.textContent = data.type + " · " + data.size + " · " + data.uploaded_by + " · " + data.scan;
    var remove = document.createElement("button");
    remove.type = "submit";
    remove.className = "button button-tertiary remove-attachment";
    remove.name = "action";
    remove.value = "remove_attachment:" + data.id;
    remove.textContent = "Fjern";
    item.appendChild(link);
    item.appendChild(document.createTextNode(" "));
    item.appendChild(meta);
    item.appendChild(document.createTextNode(" "));
    item.appendChild(remove);
    var title = titleInput(fileInput);
    if (title && !title.value.trim()) {
      title.value = data.filename.replace(/\.[^.]+$/, "");
    }
    announce(data.filename + " er uploadet.");
  }

  function failed(item, message) {
    item.className = "attachment-item attachment-failed";
    item.textContent = "";
    var text = document.createElement("span");
    text.className = "form-error-message";
    text.textContent = message;
    item.appendChild(text);
    announce(message);
  }

  function uploadOne(zone, list, fileInput, file) {
    var item = document.createElement("li");
    item.className = "attachment-item attachment-pending";
    var name = document.createElement("span");
    name.textContent = file.name + " ";
    var progress = document.createElement("progress");
    progress.max = 100;
    progress.value = 0;
    progress.setAttribute("aria-label", "Uploader " + file.name);
    item.appendChild(name);
    item.appendChild(progress);
    list.appendChild(item);

    var body = new FormData();
    body.append("file", file);
    body.append("path", zone.parentNode.getAttribute("data-path"));
    var xhr = new XMLHttpRequest();
    xhr.open("POST", zone.getAttribute("data-upload-url"));
    xhr.setRequestHeader("Accept", "application/json");
    if (csrf) {
      xhr.setRequestHeader("X-CSRFToken", csrf.value);
    }
    xhr.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) {
        progress.value = Math.round((event.loaded * 100) / event.total);
      }
    });
    xhr.addEventListener("load", function () {
      var data = {};
      try {
        data = JSON.parse(xhr.responseText);
      } catch (error) {
        data = {};
      }
      if (xhr.status === 201) {
        uploaded(item, data, fileInput);
      } else {
        failed(item, data.message || "Dokumentet kunne ikke uploades (fejl " + xhr.status + ").");
      }
    });
    xhr.addEventListener("error", function () {
      failed(item, "Forbindelsen blev afbrudt. Dokumentet er ikke gemt; prøv igen.");
    });
    xhr.send(body);
  }

  function send(zone, fileInput, files) {
    var list = zone.parentNode.querySelector(".attachment-list");
    Array.prototype.forEach.call(files, function (file) {
      uploadOne(zone, list, fileInput, file);
    });
    fileInput.value = "";
  }

  function setup(zone) {
    if (zone.getAttribute("data-upload-ready")) {
      return;
    }
    zone.setAttribute("data-upload-ready", "1");
    var fileInput = zone.querySelector("input[type=file]");
    if (!fileInput) {
      return;
    }
    zone.classList.add("drop-zone");
    var hint = document.createElement("span");
    hint.className = "form-hint drop-hint";
    hint.textContent = "Du kan også trække filer hertil.";
    zone.appendChild(hint);
    fileInput.addEventListener("change", function () {
      if (fileInput.files && fileInput.files.length) {
        send(zone, fileInput, fileInput.files);
      }
    });
    zone.addEventListener("dragover", function (event) {
      event.preventDefault();
      zone.classList.add("drop-active");
    });
    zone.addEventListener("dragleave", function () {
      zone.classList.remove("drop-active");
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      zone.classList.remove("drop-active");
      if (event.dataTransfer && event.dataTransfer.files.length) {
        send(zone, fileInput, event.dataTransfer.files);
      }
    });
  }

  function setupAll() {
    Array.prototype.forEach.call(form.querySelectorAll(".attachment-upload"), setup);
  }

  setupAll();
  // forms.js replaces whole sections after a refresh: set up the new upload fields too
  new MutationObserver(setupAll).observe(form, { childList: true, subtree: true });
})();
