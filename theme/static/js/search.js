/* Search: progressive enhancement of the search page (plugins/search). Without JavaScript the
   page explains why search needs it and links every topic. With it, this starts the Pagefind
   UI (pagefind-ui.js, served from this site) on the index of the page's language; the UI
   strings arrive as data attributes, in the page language. A ?q= from the plain form (or a
   link) runs that search at once. Nothing typed here leaves the browser. */
(function () {
  "use strict";
  var root = document.querySelector('[data-module="app-search"]');
  if (!root || typeof window.PagefindUI !== "function") { return; }

  function text(name) { return root.getAttribute("data-text-" + name) || undefined; }

  var ui = new window.PagefindUI({
    element: "#app-search-ui",
    bundlePath: root.getAttribute("data-bundle"),
    showImages: false,
    showSubResults: true,
    resetStyles: false,
    autofocus: false,
    translations: {
      placeholder: text("placeholder"),
      search_label: text("search-label"),
      clear_search: text("clear-search"),
      load_more: text("load-more"),
      filters_label: text("filters-label"),
      zero_results: text("zero-results"),
      many_results: text("many-results"),
      one_result: text("one-result"),
      alt_search: text("alt-search"),
      search_suggestion: text("search-suggestion"),
      searching: text("searching")
    }
  });

  var fallback = root.querySelectorAll("[data-search-fallback]");
  for (var i = 0; i < fallback.length; i += 1) { fallback[i].hidden = true; }

  var query = new URLSearchParams(window.location.search).get("q");
  if (query) { ui.triggerSearch(query); }
})();
