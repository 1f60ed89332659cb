// The canvass app's service worker: it keeps the app's pages, their walk lists and the files they use,
// so that a canvasser can open a turf again with no connection. Django serves it under /canvass/ (see
// canvass/app_views.py), which is the part of the site it controls.
//
// What it keeps, and how it answers:
// - the app's pages (my turfs, a turf's app and its JSON): from the network when there is one, keeping a
//   copy of each good answer; from that copy when the network fails;
// - anything else it was asked to keep (the page's stylesheets and scripts): from the copy, first; the
//   page asks again on every load with a connection, which fetches them afresh for the next load.
// Everything else, and every request that is not a GET (the upload of visits), goes to the network
// untouched: visits wait in the page's IndexedDB queue, never here.
"use strict";

// Bump the version when what is kept changes shape; older caches are dropped on activation.
const CACHE = "grassroots-canvass-v1";

// The app's own pages, relative to the worker's scope (/canvass/).
const APP_PAGES = [/^my\/$/, /^turfs\/[^/]+\/app\/$/, /^turfs\/[^/]+\/app\.json$/];

function isAppPage(url) {
  const scope = self.registration.scope;
  if (!url.href.startsWith(scope)) { return false; }
  const path = url.href.slice(scope.length).split(/[?#]/)[0];
  return APP_PAGES.some(function (pattern) { return pattern.test(path); });
}

// A new worker takes over at once: the app keeps nothing in the worker that an old page relies on.
self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys()
      .then(function (names) {
        return Promise.all(names
          .filter(function (name) { return name.startsWith("grassroots-canvass-") && name !== CACHE; })
          .map(function (name) { return caches.delete(name); }));
      })
      // Control the page that registered us now, not from its next load on.
      .then(function () { return self.clients.claim(); })
  );
});

// The page asks, on every load with a connection, to keep its own address, its JSON and its files:
// {type: "keep", urls: [...]}. The answer goes back on the message's port once they are stored.
self.addEventListener("message", function (event) {
  const message = event.data || {};
  if (message.type !== "keep") { return; }
  const port = event.ports[0];
  event.waitUntil(
    caches.open(CACHE)
      .then(function (cache) { return cache.addAll(message.urls); })
      .then(
        function () { if (port) { port.postMessage({ ok: true }); } },
        function (error) { if (port) { port.postMessage({ ok: false, error: String(error) }); } }
      )
  );
});

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    // A redirect is the login page after a session ended: never keep it as the app.
    if (response.ok && !response.redirected) { await cache.put(request, response.clone()); }
    return response;
  } catch (error) {
    // Django varies its pages on the cookie and the language, which a kept copy cannot match.
    const kept = await cache.match(request, { ignoreVary: true });
    if (!kept) { throw error; }
    // Say it is a kept copy: the page prefers its own newer data to an old walk list.
    const headers = new Headers(kept.headers);
    headers.set("X-Canvass-Kept", "1");
    return new Response(kept.body, { status: kept.status, statusText: kept.statusText, headers: headers });
  }
}

async function keptFirst(request) {
  const kept = await caches.match(request, { ignoreVary: true });
  return kept || fetch(request);
}

self.addEventListener("fetch", function (event) {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  event.respondWith(isAppPage(url) ? networkFirst(request) : keptFirst(request));
});
