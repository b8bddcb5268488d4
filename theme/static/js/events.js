/* Events: a static site grows stale, so events that ended after the last build move from
   "Upcoming" to "Past" in the visitor's browser, and an event page says it has taken place.
   Progressive enhancement: without this script the build-time split stays as it is. */
(function () {
  "use strict";
  var now = Date.now();

  function ended(element) {
    var end = Date.parse(element.getAttribute("data-event-end"));
    return !isNaN(end) && end <= now;
  }

  function updateEmpty(list) {
    var section = list.closest("[data-events-section]");
    var empty = section && section.querySelector("[data-events-empty]");
    if (empty) { empty.hidden = list.children.length > 0; }
  }

  var upcoming = document.querySelector('[data-events="upcoming"]');
  var past = document.querySelector('[data-events="past"]');
  if (upcoming && past) {
    // Upcoming is soonest first and past newest first: prepending in order keeps both sorted.
    Array.prototype.slice.call(upcoming.children).forEach(function (item) {
      if (ended(item)) { past.insertBefore(item, past.firstChild); }
    });
    updateEmpty(upcoming);
    updateEmpty(past);
  }

  var page = document.querySelector(".app-event[data-event-end]");
  var note = document.querySelector("[data-event-ended]");
  if (page && note && ended(page)) { note.hidden = false; }
}());
