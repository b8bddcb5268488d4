/* Resource library live filter: progressive enhancement of the index page. With JavaScript off
   the form stays hidden and the per-audience and per-type pages are the filters.
   Shows the form, hides the resources that do not match the chosen audience, type, language
   and words, and announces the count in a polite status line. Strings arrive as data
   attributes; nothing is stored on the device. */
(function () {
  "use strict";
  var form = document.querySelector('[data-module="app-resource-filter"]');
  if (!form) { return; }
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-resource]"));
  var lists = ["audiences", "type", "langs"].map(function (name) {
    return { name: name, field: form.querySelector('[data-filter="' + name + '"]') };
  });
  var text = form.querySelector('[data-filter="text"]');
  var status = form.querySelector("[data-filter-status]");
  var empty = document.querySelector("[data-filter-empty]");
  var template = form.getAttribute("data-text-count") || "{shown} / {total}";
  var timer = null;

  function fold(value) {
    var lower = String(value || "").toLowerCase();
    return lower.normalize ? lower.normalize("NFD").replace(/[\u0300-\u036f]/g, "") : lower;
  }

  // Each word on its own, in any order ("palermo protocolo" finds "Protocolo de Palermo").
  function apply() {
    var words = fold(text.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (item) {
      var haystack = fold(item.getAttribute("data-text"));
      var match = lists.every(function (list) {
        var value = list.field.value;
        return !value || (item.getAttribute("data-" + list.name) || "").split(" ").indexOf(value) !== -1;
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
  // Back from a resource, the browser puts the chosen values back in the fields but shows every
  // item (Chromium does it just before `pageshow`): the list follows what the fields say.
  function restore() {
    if (text.value.trim() || lists.some(function (list) { return list.field.value; })) { apply(); }
  }
  restore();
  window.addEventListener("pageshow", restore);
}());
