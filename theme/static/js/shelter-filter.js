/* Shelter directory live filter: progressive enhancement of the index page. With JavaScript
   off the form stays hidden and the per-state and per-service pages are the filters.
   Shows the form, then hides the cards that do not match the chosen state, service and text,
   and announces the count in a polite status line. Strings arrive as data attributes. */
(function () {
  "use strict";
  var form = document.querySelector('[data-module="app-shelter-filter"]');
  if (!form) { return; }
  var cards = Array.prototype.slice.call(document.querySelectorAll("[data-shelter]"));
  var state = form.querySelector('[data-filter="state"]');
  var service = form.querySelector('[data-filter="service"]');
  var text = form.querySelector('[data-filter="text"]');
  var status = form.querySelector("[data-filter-status]");
  var empty = document.querySelector("[data-filter-empty]");
  var template = form.getAttribute("data-text-count") || "{shown} / {total}";
  var timer = null;

  function fold(value) {
    var lower = String(value || "").toLowerCase();
    return lower.normalize ? lower.normalize("NFD").replace(/[\u0300-\u036f]/g, "") : lower;
  }

  function apply() {
    var wanted = fold(text.value).trim();
    var shown = 0;
    cards.forEach(function (card) {
      var services = (card.getAttribute("data-services") || "").split(" ");
      var match = (!state.value || card.getAttribute("data-state") === state.value) &&
        (!service.value || services.indexOf(service.value) !== -1) &&
        (!wanted || fold(card.getAttribute("data-text")).indexOf(wanted) !== -1);
      card.hidden = !match;
      if (match) { shown += 1; }
    });
    if (empty) { empty.hidden = shown !== 0; }
    status.textContent = template.replace("{shown}", shown).replace("{total}", cards.length);
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
  state.addEventListener("change", apply);
  service.addEventListener("change", apply);
  text.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(apply, 250);
  });
  form.hidden = false;
  // Back from an entry, the browser puts the chosen values back in the fields but shows every
  // card (Chromium does it just before `pageshow`): the list follows what the fields say.
  function restore() {
    if (state.value || service.value || text.value.trim()) { apply(); }
  }
  restore();
  window.addEventListener("pageshow", restore);
}());
