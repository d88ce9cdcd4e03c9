/* The condition builder of the form editor: "Vises hvis" without writing CEL by hand.
 *
 * Each CEL input with a builder beside it (div.condition-builder[data-cel-input]) gets a
 * button that opens a small form: field, comparison and value per line, joined by "alle" (&&)
 * or "mindst én" (||). The builder writes the CEL and shows it; opening it reads the input's
 * expression back when it has one of these simple shapes. Anything else stays CEL, which is
 * always editable in the input itself (and is all there is without JavaScript).
 *
 * Shapes read and written:
 *   felt == værdi, felt != værdi              (text in '…', numbers, true/false)
 *   felt != null && felt >= 20                 (a number compared; null is "not answered")
 *   felt != null / felt == null                (answered / not answered)
 *   'værdi' in felt                            (a multiple choice contains a value)
 */
(function () {
  "use strict";
  var holder = document.getElementById("condition-fields");
  if (!holder) {
    return;
  }
  var FIELDS = JSON.parse(holder.getAttribute("data-fields") || "[]");
  var BY_ID = {};
  FIELDS.forEach(function (f) { BY_ID[f.id] = f; });

  var OPS = [
    ["==", "er lig med"],
    ["!=", "er ikke lig med"],
    [">", "er større end"],
    [">=", "er mindst"],
    ["<", "er mindre end"],
    ["<=", "er højst"],
    ["filled", "er besvaret"],
    ["empty", "er ikke besvaret"],
    ["contains", "indeholder"]
  ];
  var NUMERIC = { ">": true, ">=": true, "<": true, "<=": true };
  var NAME = "[a-z_][a-z0-9_]*";
  var LITERAL = "(true|false|null|-?\\d+(?:\\.\\d+)?|'[^']*'|\"[^\"]*\")";
  var COMPARISON = new RegExp("^(" + NAME + ")\\s*(==|!=|>=|<=|>|<)\\s*" + LITERAL + "$");
  var CONTAINS = new RegExp("^('[^']*'|\"[^\"]*\")\\s+in\\s+(" + NAME + ")$");

  function unquote(text) {
    return text.charAt(0) === "'" || text.charAt(0) === '"' ? text.slice(1, -1) : text;
  }

  function stripParens(text) {
    text = text.trim();
    while (text.charAt(0) === "(" && text.charAt(text.length - 1) === ")") {
      text = text.slice(1, -1).trim();
    }
    return text;
  }

  // one comparison as a row, or null when it is not a simple shape
  function parseOne(text) {
    var m = COMPARISON.exec(text);
    if (m) {
      if (!BY_ID[m[1]]) { return null; }
      if (m[3] === "null") {
        if (m[2] === "!=") { return { field: m[1], op: "filled", value: "" }; }
        if (m[2] === "==") { return { field: m[1], op: "empty", value: "" }; }
        return null;
      }
      return { field: m[1], op: m[2], value: unquote(m[3]) };
    }
    m = CONTAINS.exec(text);
    if (m && BY_ID[m[2]]) {
      return { field: m[2], op: "contains", value: unquote(m[1]) };
    }
    return null;
  }

  // "f != null && f >= 20" (the guard the builder writes) is one row
  function parseAll(parts) {
    var rows = [];
    for (var i = 0; i < parts.length; i++) {
      var row = parseOne(stripParens(parts[i]));
      if (!row) { return null; }
      var next = i + 1 < parts.length ? parseOne(stripParens(parts[i + 1])) : null;
      if (row.op === "filled" && next && next.field === row.field && NUMERIC[next.op]) {
        rows.push(next);
        i += 1;
      } else {
        rows.push(row);
      }
    }
    return rows;
  }

  function parse(expression) {
    var text = stripParens(expression || "");
    if (!text) { return { join: "all", rows: [] }; }
    if (text.indexOf("||") >= 0) {
      var rows = [];
      var groups = text.split("||");
      for (var g = 0; g < groups.length; g++) {
        var inner = parseAll(stripParens(groups[g]).split("&&"));
        if (!inner || inner.length !== 1) { return null; }
        rows.push(inner[0]);
      }
      return { join: "any", rows: rows };
    }
    var all = parseAll(text.split("&&"));
    return all ? { join: "all", rows: all } : null;
  }

  function literal(field, value) {
    var type = field ? field.type : "text";
    if (type === "boolean") { return value === "false" ? "false" : "true"; }
    if ((type === "number" || type === "integer") && /^-?\d+([.,]\d+)?$/.test(value)) {
      return value.replace(",", ".");
    }
    return "'" + String(value).replace(/'/g, "") + "'";
  }

  function rowCel(row, join) {
    var field = BY_ID[row.field];
    if (row.op === "filled") { return row.field + " != null"; }
    if (row.op === "empty") { return row.field + " == null"; }
    if (row.op === "contains") { return literal(null, row.value) + " in " + row.field; }
    var cel = row.field + " " + row.op + " " + literal(field, row.value);
    if (NUMERIC[row.op]) {
      cel = row.field + " != null && " + cel;
      if (join === "any") { cel = "(" + cel + ")"; }
    }
    return cel;
  }

  function toCel(model) {
    return model.rows.filter(function (r) { return r.field; })
      .map(function (r) { return rowCel(r, model.join); })
      .join(model.join === "any" ? " || " : " && ");
  }

  // --- the builder's form -----------------------------------------------------------

  var counter = 0;

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    if (text) { node.textContent = text; }
    return node;
  }

  function labelled(labelText, control) {
    var id = "cb-" + (++counter);
    control.id = id;
    var group = element("div", { "class": "form-group" });
    group.appendChild(element("label", { "class": "form-label", "for": id }, labelText));
    group.appendChild(control);
    return group;
  }

  function select(options, selected) {
    var node = element("select", { "class": "form-select" });
    options.forEach(function (pair) {
      var option = element("option", { value: pair[0] }, pair[1]);
      if (pair[0] === selected) { option.selected = true; }
      node.appendChild(option);
    });
    return node;
  }

  function valueControl(field, value) {
    if (field && field.type === "boolean") {
      return select([["true", "Ja"], ["false", "Nej"]], value || "true");
    }
    if (field && field.options && field.options.length) {
      return select(field.options.map(function (o) { return [o.value, o.label || o.value]; }), value);
    }
    var input = element("input", { "class": "form-input", type: "text" });
    input.value = value || "";
    return input;
  }

  function build(container) {
    var input = document.getElementById(container.getAttribute("data-cel-input"));
    if (!input) { return; }
    var fieldLabel = container.getAttribute("data-label") || "feltet";
    var open = element("button", { type: "button", "class": "button button-tertiary condition-open", "aria-expanded": "false" }, "Byg betingelsen");
    var panel = element("fieldset", { "class": "condition-panel" });
    panel.hidden = true;
    panel.appendChild(element("legend", { "class": "form-label" }, "Betingelse for »" + fieldLabel + "«"));
    var note = element("p", { "class": "form-hint condition-note", "aria-live": "polite" });
    panel.appendChild(note);
    var join = select([["all", "alle betingelserne er opfyldt (og)"], ["any", "mindst én af betingelserne er opfyldt (eller)"]], "all");
    join.classList.add("condition-join");
    panel.appendChild(labelled("Vis feltet, når", join));
    var list = element("ol", { "class": "condition-rows" });
    panel.appendChild(list);
    var add = element("button", { type: "button", "class": "button button-secondary condition-add" }, "Tilføj betingelse");
    panel.appendChild(add);
    var preview = element("p", { "class": "condition-preview" });
    preview.appendChild(document.createTextNode("CEL: "));
    var code = element("code", { "class": "condition-cel" });
    preview.appendChild(code);
    panel.appendChild(preview);
    var use = element("button", { type: "button", "class": "button button-primary condition-use" }, "Brug betingelsen");
    panel.appendChild(use);
    container.appendChild(open);
    container.appendChild(panel);
    container.hidden = false;

    function readRows() {
      var rows = [];
      list.querySelectorAll("li").forEach(function (li) {
        var value = li.querySelector(".condition-value");
        rows.push({
          field: li.querySelector(".condition-field").value,
          op: li.querySelector(".condition-op").value,
          value: value ? value.value : ""
        });
      });
      return { join: join.value, rows: rows };
    }

    function refresh() {
      code.textContent = toCel(readRows()) || "(ingen betingelse: feltet vises altid)";
    }

    function addRow(row) {
      var number = list.children.length + 1;
      var li = element("li", { "class": "condition-row" });
      var fieldSelect = select([["", "Vælg felt"]].concat(FIELDS.map(function (f) {
        return [f.id, f.label ? f.label + " (" + f.id + ")" : f.id];
      })), row.field);
      fieldSelect.classList.add("condition-field");
      var opSelect = select(OPS, row.op || "==");
      opSelect.classList.add("condition-op");
      li.appendChild(labelled("Felt, betingelse " + number, fieldSelect));
      li.appendChild(labelled("Sammenligning, betingelse " + number, opSelect));
      var valueSlot = element("div", { "class": "condition-value-slot" });
      li.appendChild(valueSlot);
      function placeValue(value) {
        valueSlot.innerHTML = "";
        if (opSelect.value === "filled" || opSelect.value === "empty") { return; }
        var control = valueControl(BY_ID[fieldSelect.value], value);
        control.classList.add("condition-value");
        valueSlot.appendChild(labelled("Værdi, betingelse " + number, control));
      }
      placeValue(row.value);
      var remove = element("button", { type: "button", "class": "button button-tertiary condition-remove" }, "Fjern betingelse " + number);
      remove.addEventListener("click", function () { li.remove(); refresh(); add.focus(); });
      li.appendChild(remove);
      fieldSelect.addEventListener("change", function () { placeValue(""); refresh(); });
      opSelect.addEventListener("change", function () {
        var current = li.querySelector(".condition-value");
        placeValue(current ? current.value : "");
        refresh();
      });
      li.addEventListener("input", refresh);
      li.addEventListener("change", refresh);
      list.appendChild(li);
      return fieldSelect;
    }

    function load() {
      list.innerHTML = "";
      var model = parse(input.value);
      if (!model) {
        note.textContent = "Udtrykket er for sammensat til byggeren. Redigér det som CEL i feltet ovenfor, eller byg en ny betingelse her (den erstatter udtrykket, når du trykker »Brug betingelsen«).";
        model = { join: "all", rows: [] };
      } else {
        note.textContent = model.rows.length ? "Betingelsen er læst fra udtrykket." : "";
      }
      join.value = model.join;
      model.rows.forEach(addRow);
      if (!model.rows.length) { addRow({ field: "", op: "==", value: "" }); }
      refresh();
    }

    open.addEventListener("click", function () {
      var show = panel.hidden;
      panel.hidden = !show;
      open.setAttribute("aria-expanded", show ? "true" : "false");
      if (show) {
        load();
        join.focus();
      }
    });
    join.addEventListener("change", refresh);
    add.addEventListener("click", function () { addRow({ field: "", op: "==", value: "" }).focus(); refresh(); });
    use.addEventListener("click", function () {
      input.value = toCel(readRows());
      input.dispatchEvent(new Event("input", { bubbles: true }));
      note.textContent = "Udtrykket er skrevet i feltet »Vises hvis«. Gem kladden for at beholde det.";
      input.focus();
    });
  }

  document.querySelectorAll(".condition-builder[data-cel-input]").forEach(build);
})();
