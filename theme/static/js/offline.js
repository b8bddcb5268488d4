/* Offline by choice (components/offline_storage.html). Nothing is stored and no service worker
   is registered until the visitor presses "save": a worker or a cache nobody asked for is a
   trace on a phone someone else may check. "Save" stores this page and its own CSS and scripts
   in one cache, then registers sw.js, which answers from that cache only when the network
   fails. "Remove" unregisters every worker of the site's scope and deletes its caches.
   Without service workers (or JavaScript) the buttons stay hidden. */
(function () {
  "use strict";
  var root = document.querySelector('[data-module="app-offline"]');
  if (!root || !("serviceWorker" in navigator) || !("caches" in window) || !window.isSecureContext) {
    return;
  }
  // The name sw.js keeps: one cache, so "remove" knows exactly what to delete.
  var CACHE = "alerta-offline";
  var worker = new URL(root.getAttribute("data-sw"), window.location.href).href;
  var scope = new URL(root.getAttribute("data-scope"), window.location.href).href;
  var status = root.querySelector("[data-offline-status]");
  var save = root.querySelector("[data-offline-save]");
  var remove = root.querySelector("[data-offline-remove]");

  function say(name) { status.textContent = root.getAttribute("data-text-" + name) || ""; }

  function sameSite(url) { return url && new URL(url, window.location.href).origin === window.location.origin; }

  // This page (without its #fragment or ?query) and the stylesheets and scripts it uses.
  function pageFiles() {
    var files = [window.location.origin + window.location.pathname];
    var used = document.querySelectorAll('link[rel~="stylesheet"][href], script[src]');
    Array.prototype.forEach.call(used, function (element) {
      var url = element.href || element.src;
      if (sameSite(url) && files.indexOf(url) === -1) { files.push(url); }
    });
    return files;
  }

  function ours(registration) { return registration.scope.indexOf(scope) === 0; }

  function store() {
    return caches.open(CACHE).then(function (cache) { return cache.addAll(pageFiles()); });
  }

  // The cache first, then the worker: sw.js unregisters itself if it finds no saved page.
  function saveThisPage() {
    say("saving");
    return store()
      .then(function () { return navigator.serviceWorker.register(worker, { scope: scope }); })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function () { say("saved"); });
  }

  function removeAll() {
    return navigator.serviceWorker.getRegistrations()
      .then(function (registrations) {
        return Promise.all(registrations.filter(ours).map(function (r) { return r.unregister(); }));
      })
      .then(function () { return caches.keys(); })
      .then(function (names) {
        return Promise.all(names.filter(function (name) { return name.indexOf(CACHE) === 0; })
          .map(function (name) { return caches.delete(name); }));
      })
      .then(function () { say("removed"); });
  }

  // A save that fails half-way leaves nothing behind: what it did is removed again.
  function saveFailed() {
    removeAll().then(function () { say("save-failed"); }, function () { say("remove-failed"); });
  }

  if (save) {
    save.addEventListener("click", function () { saveThisPage().catch(saveFailed); });
  }
  remove.addEventListener("click", function () {
    removeAll().catch(function () { say("remove-failed"); });
  });
  root.hidden = false;

  // Already saved (a worker of this site and its cache exist): say so, and store this page's
  // current files again, so a new stylesheet is there offline too. Cache Storage is opened only
  // when a worker exists, so a visitor who never saved leaves no trace by looking.
  navigator.serviceWorker.getRegistrations().then(function (registrations) {
    return registrations.some(ours) && caches.has(CACHE);
  }).then(function (saved) {
    if (!saved) { return; }
    say("stored");
    if (save) { return store(); }
  }).catch(function () {});
})();
