/* Preview only (`invoke livereload`): show the build's problems in a banner on every page,
   so editors see them without reading the terminal. Never included in a real build. */
(function () {
  "use strict";
  var root = document.querySelector("script[data-sw]").getAttribute("data-scope");
  fetch(root + "_editors/problems.json", { cache: "no-store" })
    .then(function (response) { return response.ok ? response.json() : []; })
    .then(function (problems) {
      if (!problems.length) { return; }
      var banner = document.createElement("section");
      banner.className = "app-preview-problems";
      banner.setAttribute("role", "alert");
      var title = document.createElement("h2");
      title.textContent = problems.length + " problem(s) in the content / problema(s) en el contenido";
      banner.appendChild(title);
      var list = document.createElement("ul");
      problems.forEach(function (p) {
        var item = document.createElement("li");
        item.textContent = p.level.toUpperCase() + " " + p.path + (p.line ? ":" + p.line : "") + ": " + p.message;
        list.appendChild(item);
      });
      banner.appendChild(list);
      document.body.insertBefore(banner, document.body.firstChild);
    })
    .catch(function () {});
})();
