/* Live filter for a list page (the shelter directory, the resource library): progressive
   enhancement. With JavaScript off the form stays hidden and the site's static pages (one per
   state, service, audience, type...) are the filters.

   The form says what it filters: `data-items` is the selector of the list's items; each
   <select data-filter="NAME"> keeps the items whose `data-NAME` (a space-separated list) holds
   the chosen value; the text field keeps those whose `data-text` has every word typed, in any
   order, case and accents aside. The count is announced in the form's polite status line;
   strings arrive as data attributes. Nothing is stored on the device. */
(function () {
  "use strict";
  var form = document.querySelector('[data-module="app-list-filter"]');
  if (!form) { return; }
  var items = Array.prototype.slice.call(
    document.querySelectorAll(form.getAttribute("data-items")));
  var lists = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"))
    .map(function (field) { return { name: field.getAttribute("data-filter"), field: field }; });
  var text = form.querySelector('input[data-filter="text"]');
  var status = form.querySelector("[data-filter-status]");
  var empty = document.querySelector("[data-filter-empty]");
  var template = form.getAttribute("data-text-count") || "{shown} / {total}";
  var timer = null;

  function fold(value) {
    var lower = String(value || "").toLowerCase();
    return lower.normalize ? lower.normalize("NFD").replace(/[\u0300-\u036f]/g, "") : lower;
  }

  function apply() {
    var words = fold(text.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (item) {
      var haystack = fold(item.getAttribute("data-text"));
      var match = lists.every(function (list) {
        var value = list.field.value;
        return !value ||
          (item.getAttribute("data-" + list.name) || "").split(" ").indexOf(value) !== -1;
      }) && words.every(function (word) { return haystack.indexOf(word) !== -1; });
      item.hidden = !match;
      if (match) { shown += 1; }
    });
    if (empty) { empty.hidden = shown !== 0; }
    status.textContent = template.replace("{shown}", shown).replace("{total}", items.length);
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
  lists.forEach(function (list) { list.field.addEventListener("change", apply); });
  text.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(apply, 250);
  });
  form.hidden = false;
  // Back from another page, the browser puts the chosen values back in the fields but shows
  // every item (Chromium does it just before `pageshow`): the list follows what the fields say.
  function restore() {
    if (text.value.trim() || lists.some(function (list) { return list.field.value; })) { apply(); }
  }
  restore();
  window.addEventListener("pageshow", restore);
}());
