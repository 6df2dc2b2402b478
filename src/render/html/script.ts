/**
 * The report's only script, inlined and allowed by its hash. The page is complete without it:
 * it shows the filter controls (hidden otherwise) and turns table headers into sort buttons.
 * It reads the page's own text and attributes and never writes markup.
 */
export const SCRIPT = `(function () {
  "use strict";
  var d = document;
  var bar = d.getElementById("filters");
  if (!bar) return;
  var q = d.getElementById("filter-text");
  var st = d.getElementById("filter-state");
  var out = d.getElementById("filter-count");
  var rows = Array.prototype.slice.call(d.querySelectorAll("table.customers tbody tr"));
  bar.hidden = false;
  function filter() {
    var text = q.value.trim().toLowerCase();
    var state = st.value;
    var shown = 0;
    rows.forEach(function (r) {
      var ok = (!text || r.textContent.toLowerCase().indexOf(text) >= 0) && (!state || r.getAttribute("data-state") === state);
      r.hidden = !ok;
      if (ok) shown++;
    });
    out.textContent = shown + " of " + rows.length + " customers shown";
  }
  q.addEventListener("input", filter);
  st.addEventListener("change", filter);
  function key(cell) {
    var v = cell.getAttribute("data-v");
    if (v === null) v = cell.textContent.trim();
    var n = Number(v);
    return v !== "" && !isNaN(n) ? n : v.toLowerCase();
  }
  Array.prototype.forEach.call(d.querySelectorAll("table.customers"), function (table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, col) {
      var b = d.createElement("button");
      b.type = "button";
      b.className = "sort";
      while (th.firstChild) b.appendChild(th.firstChild);
      th.appendChild(b);
      b.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var sorted = Array.prototype.slice.call(body.rows).sort(function (x, y) {
          var a = key(x.cells[col]);
          var c = key(y.cells[col]);
          var r = typeof a === "number" && typeof c === "number" ? a - c : String(a).localeCompare(String(c));
          return asc ? r : -r;
        });
        sorted.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
})();`;
