/* Sortable tables: progressive enhancement of [data-module="app-sort-table"].
   The table reads correctly without this script. With it, each column heading marked
   data-sort gets a button; pressing it sorts the rows of tbody[data-sort-body] by the cells'
   data-sort-value (numbers or text), sets aria-sort on the heading and announces the order. */
(function () {
  "use strict";
  var tables = document.querySelectorAll('[data-module="app-sort-table"]');

  function value(row, index, numeric) {
    var cell = row.children[index];
    var raw = cell ? (cell.getAttribute("data-sort-value") || cell.textContent) : "";
    return numeric ? parseFloat(raw) || 0 : raw.trim();
  }

  function setup(table) {
    var body = table.querySelector("tbody[data-sort-body]");
    var headings = table.querySelectorAll("thead th[data-sort]");
    if (!body || !headings.length) { return; }
    var status = document.createElement("p");
    status.className = "app-visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("data-sort-status", "");
    table.parentNode.parentNode.insertBefore(status, table.parentNode.nextSibling);
    var collator = new Intl.Collator(document.documentElement.lang || undefined);

    Array.prototype.forEach.call(headings, function (th) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "app-sort-button";
      while (th.firstChild) { button.appendChild(th.firstChild); }
      th.appendChild(button);
      button.addEventListener("click", function () {
        var index = Array.prototype.indexOf.call(th.parentNode.children, th);
        var numeric = th.getAttribute("data-sort") === "number";
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = value(a, index, numeric);
          var y = value(b, index, numeric);
          var order = numeric ? x - y : collator.compare(x, y);
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
        Array.prototype.forEach.call(headings, function (other) {
          other.removeAttribute("aria-sort");
        });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        status.textContent = button.textContent.trim() + ": " + table.getAttribute(
          ascending ? "data-text-sorted-asc" : "data-text-sorted-desc");
      });
    });
  }

  Array.prototype.forEach.call(tables, setup);
}());
