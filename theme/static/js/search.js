/* Search: progressive enhancement of the search page (plugins/search). Without JavaScript the
   page has no form (one that cannot search would only leave the words in the browser's
   history): it explains why search needs JavaScript and links every section and topic. With
   it, this puts the search box from the page's <template> in place and starts the Pagefind UI
   (pagefind-ui.js, served from this site) on the index of the page's language; the UI strings
   arrive as data attributes, in the page language. A ?q= in a link runs that search at once.
   Nothing typed here leaves the browser. */
(function () {
  "use strict";
  var root = document.querySelector('[data-module="app-search"]');
  var template = root && root.querySelector("template[data-search-form]");
  if (!template) { return; }
  var bundle = root.getAttribute("data-bundle");
  var started = false;

  function text(name) { return root.getAttribute("data-text-" + name) || undefined; }

  // JavaScript is on: the notice saying search needs it does not apply, and the box appears.
  Array.prototype.forEach.call(root.querySelectorAll(".app-search__notice"), function (notice) {
    notice.hidden = true;
  });
  template.parentNode.insertBefore(template.content.cloneNode(true), template);
  var form = root.querySelector(".app-search__form");
  var input = form.querySelector("input");

  function init() {
    var ui = new window.PagefindUI({
      element: "#app-search-ui",
      bundlePath: bundle,
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
    var typed = input.value;
    var hadFocus = document.activeElement === input;
    form.hidden = true;
    var field = root.querySelector(".pagefind-ui__search-input");
    if (typed) { ui.triggerSearch(typed); }
    if (field && hadFocus) { field.focus(); }
  }

  // The Pagefind UI (about 40 KB compressed) is fetched from this site only when the visitor
  // starts a search: on the first focus of the box, on submit, or with ?q= in the address.
  function start() {
    if (started) { return; }
    started = true;
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = bundle + "pagefind-ui.css";
    document.head.appendChild(css);
    var script = document.createElement("script");
    script.src = bundle + "pagefind-ui.js";
    script.onload = init;
    document.head.appendChild(script);
  }

  input.addEventListener("focus", start);
  form.addEventListener("submit", function (event) {
    event.preventDefault();  // the search runs here; the address and history stay as they are
    start();
  });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    input.value = query;
    start();
  }
})();
