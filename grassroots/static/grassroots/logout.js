// Logging out of a shared phone: what the canvass app kept on it leaves with the session.
//
// The canvass app keeps the walk lists it loaded (names and addresses) in the user's IndexedDB
// database and the service worker keeps copies of its pages. On logout both are deleted, so the next
// person to pick up the phone finds nothing of them. Visits not yet sent are the one exception: they
// are asked about, and when the canvasser logs out anyway they stay (and only they) in that user's own
// queue, to be sent at their next login — nothing recorded at a door is lost to a logout.
(function () {
  "use strict";

  const form = document.querySelector("form[data-offline-store]");
  if (!form || !("indexedDB" in window)) { return; }
  const STORE = form.dataset.offlineStore;

  // The database if it exists, else null (opening must not create an empty one).
  function openExisting() {
    return new Promise(function (resolve) {
      const request = indexedDB.open(STORE);
      request.onupgradeneeded = function () { request.transaction.abort(); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { resolve(null); };
    });
  }

  function run(db, names, mode, work) {
    return new Promise(function (resolve, reject) {
      const tx = db.transaction(names, mode);
      let result;
      const request = work(tx);
      if (request) { request.onsuccess = function () { result = request.result; }; }
      tx.oncomplete = function () { resolve(result); };
      tx.onerror = function () { reject(tx.error); };
    });
  }

  function deleteDatabase() {
    return new Promise(function (resolve) {
      const request = indexedDB.deleteDatabase(STORE);
      request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
    });
  }

  async function dropKeptPages() {
    if (!("caches" in window)) { return; }
    const names = await caches.keys();
    await Promise.all(names
      .filter(function (name) { return name.startsWith("grassroots-canvass-"); })
      .map(function (name) { return caches.delete(name); }));
  }

  // Resolves true when the logout may go on.
  async function forget() {
    const db = await openExisting();
    if (db) {
      const stores = Array.from(db.objectStoreNames);
      const items = stores.includes("queue")
        ? await run(db, ["queue"], "readonly", function (tx) { return tx.objectStore("queue").getAll(); })
        : [];
      const waiting = items.filter(function (item) { return item.status === "waiting"; }).length;
      if (waiting > 0) {
        if (!window.confirm(form.dataset.unsent.replace("%(n)s", String(waiting)))) {
          db.close();
          return false;
        }
        if (stores.includes("turfs")) {
          await run(db, ["turfs"], "readwrite", function (tx) { tx.objectStore("turfs").clear(); });
        }
        db.close();
      } else {
        db.close();
        await deleteDatabase();
      }
    }
    await dropKeptPages();
    return true;
  }

  let forgotten = false;
  form.addEventListener("submit", function (event) {
    if (forgotten) { return; }
    event.preventDefault();
    forget()
      .catch(function () { return true; }) // a browser that refuses storage access still logs out
      .then(function (go) {
        if (!go) { return; }
        forgotten = true;
        form.submit();
      });
  });
}());
