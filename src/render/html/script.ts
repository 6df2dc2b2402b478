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
  var tables = Array.prototype.slice.call(d.querySelectorAll("table.customers"));
  var original = tables.map(function (t) { return Array.prototype.slice.call(t.tBodies[0].rows); });
  function sortBy(table, col, dir) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
    var body = table.tBodies[0];
    var rowsNow = dir ? Array.prototype.slice.call(body.rows) : original[tables.indexOf(table)];
    if (dir) {
      heads[col].setAttribute("aria-sort", dir);
      rowsNow.sort(function (x, y) {
        var a = key(x.cells[col]);
        var c = key(y.cells[col]);
        var r = typeof a === "number" && typeof c === "number" ? a - c : String(a).localeCompare(String(c));
        return dir === "ascending" ? r : -r;
      });
    }
    rowsNow.forEach(function (r) { body.appendChild(r); });
  }
  var sel = d.getElementById("sort-by");
  tables.forEach(function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      var b = d.createElement("button");
      b.type = "button";
      b.className = "sort";
      while (th.firstChild) b.appendChild(th.firstChild);
      th.appendChild(b);
      b.addEventListener("click", function () {
        sortBy(table, col, th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending");
        sel.value = "";
      });
    });
  });
  sel.addEventListener("change", function () {
    var v = sel.value.split(":");
    tables.forEach(function (t) { sortBy(t, Number(v[0]), v[1] || ""); });
  });
})();`;
