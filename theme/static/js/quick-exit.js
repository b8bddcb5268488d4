/* Quick exit: progressive enhancement of the plain exit link (works without this script).
   Adds Shift×3 within 5 s, a status message for screen readers, a full overlay before
   leaving, location.replace so Back does not return to this page, and a pageshow reset.
   Strings arrive as data attributes on [data-module="app-quick-exit"], in the page language. */
(function () {
  "use strict";
  var root = document.querySelector('[data-module="app-quick-exit"]');
  if (!root) { return; }
  var link = root.querySelector("a");
  var status = root.querySelector("[data-exit-status]");
  var hint = root.querySelector("[data-exit-hint]");
  var WINDOW_MS = 5000;
  var presses = 0;
  var timer = null;
  var overlay = null;

  // The Shift shortcut works from here on, so its hint may show (site.css hides it on touch).
  if (hint) { hint.hidden = false; }

  function say(text) { if (status) { status.textContent = text || ""; } }

  function reset(message) {
    presses = 0;
    window.clearTimeout(timer);
    timer = null;
    say(message || "");
  }

  function leave() {
    overlay = document.createElement("div");
    overlay.className = "app-exit__overlay";
    overlay.setAttribute("role", "alert");
    overlay.textContent = root.getAttribute("data-text-overlay");
    document.body.appendChild(overlay);
    document.title = "…";
    // replace(): this page leaves the history, so Back does not bring it up again.
    window.location.replace(link.href);
  }

  link.addEventListener("click", function (event) {
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) { return; }
    event.preventDefault();
    leave();
  });

  document.addEventListener("keydown", function (event) {
    // Shift with another key (Shift+A, Shift+Tab) is typing, not a request to leave.
    var shiftAlone = event.key === "Shift" && !event.ctrlKey && !event.altKey && !event.metaKey;
    if (!shiftAlone) {
      if (presses) { reset(); }
      return;
    }
    if (event.repeat) { return; }
    presses += 1;
    if (presses === 1) {
      timer = window.setTimeout(function () {
        reset(root.getAttribute("data-text-timeout"));
      }, WINDOW_MS);
      say(root.getAttribute("data-text-press-one"));
    } else if (presses === 2) {
      say(root.getAttribute("data-text-press-two"));
    } else {
      reset();
      leave();
    }
  });

  // Coming Back from the back/forward cache: clear the overlay and the count.
  window.addEventListener("pageshow", function () {
    if (overlay && overlay.parentNode) { overlay.parentNode.removeChild(overlay); }
    overlay = null;
    reset();
  });

  // Expired notices hide themselves even if the site was built before they expired.
  var today = new Date().toISOString().slice(0, 10);
  Array.prototype.forEach.call(document.querySelectorAll("[data-expires]"), function (alert) {
    if (alert.getAttribute("data-expires") < today) { alert.hidden = true; }
  });
})();
