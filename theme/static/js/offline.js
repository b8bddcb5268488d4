/* Registers the offline worker (sw.js at the site root) where the browser supports it. */
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) { return; }
  var script = document.querySelector("script[data-sw]");
  navigator.serviceWorker.register(script.getAttribute("data-sw"), { scope: script.getAttribute("data-scope") })
    .catch(function () {});
})();
