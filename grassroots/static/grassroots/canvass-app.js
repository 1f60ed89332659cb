// The canvass app: walk a turf's doors and record what happened at each, with or without a connection.
//
// The page (canvass/app.html) is an empty shell. This script fills it from the phone's IndexedDB:
// - the "turfs" store keeps each turf's walk list as the server sent it (app.json: doors in walking
//   order, the people at each, door results, the script), with each door's latest result kept up to date
//   by the visits recorded here;
// - the "queue" store keeps every visit recorded on this phone until the server has answered for it.
//   A visit gets its id (a UUID) here, when it is recorded, so that sending it twice applies it once.
// The sync loop sends the queue to the server whenever there is a connection (at start, after each
// visit, on the browser's "online" event and on a timer), drops what the server applied or already had,
// and keeps what it rejected, with the reason, for the canvasser to see.
// The service worker (canvass-sw.js) keeps the page itself, so that it opens with no connection.
(function () {
  "use strict";

  const root = document.getElementById("canvass-app");
  if (!root) { return; }

  const TURF = root.dataset.turf;
  const DATA_URL = root.dataset.dataUrl;
  const SYNC_URL = root.dataset.syncUrl;
  const SYNC_EVERY_MS = 15000;
  const BATCH = 200; // visits per upload; the server takes at most 500
  const KEPT_HEADER = "X-Canvass-Kept"; // set by the service worker on the copies it answers with
  const TEXT = document.getElementById("canvass-text").dataset;

  const doorList = document.getElementById("doors");
  const waitingCount = document.getElementById("waiting-count");
  const appStatus = document.getElementById("app-status");
  const syncStatus = document.getElementById("sync-status");
  const connection = document.getElementById("connection");
  const rejectedList = document.getElementById("rejected");

  let turf = null; // the walk list being shown, as stored
  let openDoor = null; // the household whose visit form is open

  // ---- IndexedDB, in promises ----------------------------------------------------------------------

  // One database per user, so that two people sharing a phone never send each other's visits.
  const DB_NAME = "grassroots-canvass-" + root.dataset.user;
  let dbPromise = null;

  function openDb() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        const request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () {
          const db = request.result;
          db.createObjectStore("turfs", { keyPath: "turf.id" });
          db.createObjectStore("queue", { keyPath: "id" });
        };
        request.onsuccess = function () {
          const db = request.result;
          // Logging out deletes the database: let it go at once rather than hold the deletion up.
          db.onversionchange = function () { db.close(); dbPromise = null; };
          resolve(db);
        };
        request.onerror = function () { reject(request.error); };
      });
    }
    return dbPromise;
  }

  // Run work(stores) in one transaction; resolves with what work returned once the transaction is done.
  async function transact(names, mode, work) {
    const db = await openDb();
    return new Promise(function (resolve, reject) {
      const tx = db.transaction(names, mode);
      const stores = {};
      names.forEach(function (name) { stores[name] = tx.objectStore(name); });
      let result;
      Promise.resolve(work(stores)).then(function (value) { result = value; });
      tx.oncomplete = function () { resolve(result); };
      tx.onerror = function () { reject(tx.error); };
      tx.onabort = function () { reject(tx.error); };
    });
  }

  // An IDBRequest as a promise (inside a transaction).
  function done(request) {
    return new Promise(function (resolve, reject) {
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function queued() {
    return transact(["queue"], "readonly", function (s) { return done(s.queue.getAll()); });
  }

  // ---- the walk list -------------------------------------------------------------------------------

  // Apply visits still in the queue to a walk list (a fresh one from the server does not know them yet).
  function withQueued(data, items) {
    const doors = new Map(data.doors.map(function (d) { return [d.household, d]; }));
    items
      .filter(function (item) { return item.visit.turf === data.turf.id; })
      .sort(function (a, b) { return a.visit.visited_at < b.visit.visited_at ? -1 : 1; })
      .forEach(function (item) {
        const door = doors.get(item.visit.household);
        if (door) { door.last_result = item.visit.result; }
      });
    return data;
  }

  // The stored walk list, then a fresh one from the server when there is a connection.
  async function loadTurf() {
    turf = await transact(["turfs"], "readonly", function (s) { return done(s.turfs.get(TURF)); });
    if (turf) { render(); }
    try {
      const response = await fetch(DATA_URL, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!response.ok || response.redirected) { throw new Error(response.status); }
      // Offline, the service worker answers with the copy it kept, which may be older than what is
      // stored here (visits sent since are in neither the queue nor that copy): use it only if nothing is.
      if (turf && response.headers.get(KEPT_HEADER)) { throw new Error("only a kept copy"); }
      const fresh = withQueued(await response.json(), await queued());
      await transact(["turfs"], "readwrite", function (s) { s.turfs.put(fresh); });
      turf = fresh;
      if (openDoor === null) { render(); }
    } catch (error) {
      // No connection (or no session): work from what is stored, if anything.
    }
    appStatus.textContent = turf ? TEXT.stored : TEXT.missing;
    return Boolean(turf);
  }

  function resultOf(value) {
    return turf.results.find(function (r) { return r.value === value; });
  }

  // A door's state: "todo" (never knocked), "revisit" (not home: come back) or "done".
  function stateOf(door) {
    if (!door.last_result) { return "todo"; }
    const result = resultOf(door.last_result);
    return result && result.revisit ? "revisit" : "done";
  }

  function element(tag, attributes, text) {
    const el = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { el.setAttribute(name, attributes[name]); });
    if (text !== undefined) { el.textContent = text; }
    return el;
  }

  function render() {
    doorList.replaceChildren(...turf.doors.map(renderDoor));
  }

  // A resident who asked not to be contacted is shown so wherever their name is.
  function nameOf(p) {
    return p.do_not_contact ? p.name + " (" + TEXT.doNotContact + ")" : p.name;
  }

  function renderDoor(door) {
    const state = stateOf(door);
    const li = element("li", { class: "door", "data-household": door.household, "data-state": state });
    const button = element("button", { type: "button", class: "door-open", "aria-expanded": "false" });
    if (state !== "todo") {
      const label = state === "revisit" ? TEXT.comeBack : (resultOf(door.last_result) || {}).label;
      button.append(element("span", { class: "door-mark" }, label));
    }
    button.append(element("span", { class: "door-address" }, door.address + (door.unit ? " " + door.unit : "")));
    const names = door.people.map(nameOf).join(", ");
    button.append(element("span", { class: "door-people" }, names));
    if (door.people.length && door.people.every(function (p) { return p.do_not_contact; })) {
      li.classList.add("do-not-contact");  // everyone here said no: the door is not to be knocked
    }
    button.addEventListener("click", function () { toggleForm(li, door); });
    li.append(button);
    return li;
  }

  // ---- recording a visit ---------------------------------------------------------------------------

  function closeForm() {
    const form = doorList.querySelector(".visit-form");
    if (form) {
      form.previousElementSibling.setAttribute("aria-expanded", "false");
      form.remove();
    }
    openDoor = null;
  }

  function toggleForm(li, door) {
    const wasOpen = openDoor === door.household;
    closeForm();
    if (wasOpen) { return; }
    openDoor = door.household;
    const form = document.getElementById("visit-form-template").content.firstElementChild.cloneNode(true);

    const person = form.elements.person;
    person.append(element("option", { value: "" }, TEXT.nobody));
    door.people.forEach(function (p) { person.append(element("option", { value: p.id }, nameOf(p))); });
    if (door.people.length === 1) { person.value = door.people[0].id; }

    const results = form.querySelector(".results");
    turf.results.forEach(function (r) {
      const label = element("label");
      label.append(element("input", { type: "radio", name: "result", value: r.value, required: "" }), " " + r.label);
      results.append(label);
    });

    const questions = form.querySelector(".questions");
    if (turf.script.introduction) { questions.append(element("p", { class: "small intro" }, turf.script.introduction)); }
    turf.script.questions.forEach(function (q) { questions.append(renderQuestion(q)); });
    // The script is asked only of someone who talks; a branch only after the answer it follows.
    form.addEventListener("change", function () {
      questions.hidden = form.elements.result.value !== "contact";
      showBranches(form);
    });
    showBranches(form);

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      recordVisit(door, form).catch(function (error) { syncStatus.textContent = String(error); });
    });
    form.querySelector(".cancel").addEventListener("click", closeForm);
    li.append(form);
    li.querySelector(".door-open").setAttribute("aria-expanded", "true");
  }

  // One question of the script, by kind: a scale (radio buttons min..max), yes/no, choices, or free text.
  function renderQuestion(q) {
    const name = "q-" + q.key;
    if (q.kind === "text") {
      const label = element("label", { class: "question", "data-question": q.key }, q.label + " ");
      label.append(element("input", { name: name, "data-key": q.key, autocomplete: "off" }));
      return label;
    }
    let choices;
    if (q.kind === "scale") {
      choices = Array.from({ length: q.max - q.min + 1 }, function (_, i) { return [String(q.min + i), q.min + i]; });
    } else if (q.kind === "choice") {
      choices = q.choices.map(function (c) { return [c, c]; });
    } else {
      choices = [[TEXT.yes, true], [TEXT.no, false]];
    }
    const box = element("div", { class: "choices question", role: "radiogroup", "aria-label": q.label, "data-question": q.key });
    box.append(element("span", {}, q.label + ": "));
    choices.forEach(function (choice) {
      const label = element("label");
      const input = element("input", { type: "radio", name: name, "data-key": q.key, value: JSON.stringify(choice[1]) });
      label.append(input, " " + choice[0]);
      box.append(label);
    });
    return box;
  }

  // A question's answer in the form, typed as the server stores it (undefined when not answered).
  function answerOf(form, q) {
    const value = form.elements["q-" + q.key].value;
    if (value === "" || value === undefined) { return undefined; }
    if (q.kind === "text") { return value.trim() || undefined; }
    return JSON.parse(value);
  }

  // The questions asked given the answers so far: a branch follows the answer it names (scripts.asked).
  function askedQuestions(form) {
    const shown = new Map();
    turf.script.questions.forEach(function (q) {
      if (q.ask_if) {
        if (!shown.has(q.ask_if.key)) { return; }
        const answer = shown.get(q.ask_if.key);
        if (!q.ask_if.values.some(function (v) { return v === answer; })) { return; }
      }
      shown.set(q.key, answerOf(form, q));
    });
    return shown;
  }

  // Show the questions the answers so far lead to; a hidden question's answer is cleared.
  function showBranches(form) {
    const shown = askedQuestions(form);
    form.querySelectorAll("[data-question]").forEach(function (el) {
      const visible = shown.has(el.dataset.question);
      el.hidden = !visible;
      if (!visible) {
        el.querySelectorAll("input").forEach(function (input) {
          if (input.type === "radio") { input.checked = false; } else { input.value = ""; }
        });
      }
    });
  }

  // The answers given, as the visit's answers object: only the questions asked and answered.
  function answersOf(form) {
    const answers = {};
    if (form.elements.result.value !== "contact") { return answers; }
    askedQuestions(form).forEach(function (value, key) {
      if (value !== undefined) { answers[key] = value; }
    });
    return answers;
  }

  // A visit id made on the phone; crypto.randomUUID needs a secure context (https, or localhost).
  function newId() {
    if (crypto.randomUUID) { return crypto.randomUUID(); }
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; // version 4
    b[8] = (b[8] & 0x3f) | 0x80; // variant 10
    const hex = Array.from(b, function (x) { return x.toString(16).padStart(2, "0"); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  async function recordVisit(door, form) {
    syncStatus.textContent = TEXT.saved;
    const visit = {
      id: newId(),
      turf: TURF,
      household: door.household,
      person: form.elements.person.value || null,
      result: form.elements.result.value,
      language: form.elements.language.value.trim(),
      answers: answersOf(form),
      script: turf.script.id, // the script asked, should the organizer change the universe's meanwhile
      note: form.elements.note.value.trim(),
      visited_at: new Date().toISOString(),
    };
    door.last_result = visit.result;
    // The visit and the door's new state are stored together, or neither is.
    await transact(["queue", "turfs"], "readwrite", function (s) {
      s.queue.put({ id: visit.id, status: "waiting", visit: visit });
      s.turfs.put(turf);
    });
    closeForm();
    render();
    await showQueue();
    sync();
  }

  // ---- the queue and the sync loop -----------------------------------------------------------------

  function addressOf(household) {
    const door = turf && turf.doors.find(function (d) { return d.household === household; });
    return door ? door.address + (door.unit ? " " + door.unit : "") : household;
  }

  // The number still waiting, and the visits the server refused with its reasons.
  async function showQueue() {
    const items = await queued();
    const waiting = items.filter(function (item) { return item.status === "waiting"; });
    const rejected = items.filter(function (item) { return item.status === "rejected"; });
    waitingCount.textContent = String(waiting.length);
    rejectedList.hidden = rejected.length === 0;
    rejectedList.replaceChildren(...rejected.map(function (item) {
      const li = element("li", { "data-visit": item.id });
      li.append(element("strong", {}, TEXT.rejected + ": "), addressOf(item.visit.household) + " — " + item.reason + " ");
      const dismiss = element("button", { type: "button", class: "secondary" }, TEXT.dismiss);
      dismiss.addEventListener("click", async function () {
        await transact(["queue"], "readwrite", function (s) { s.queue.delete(item.id); });
        showQueue();
      });
      li.append(dismiss);
      return li;
    }));
    return waiting.length;
  }

  // Django's CSRF token: from its cookie (fresh), else from the page (which may be a kept copy).
  function csrfToken() {
    const cookie = document.cookie.split("; ").find(function (c) { return c.startsWith("csrftoken="); });
    if (cookie) { return decodeURIComponent(cookie.slice("csrftoken=".length)); }
    const input = root.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  let syncing = false;
  let again = false; // asked to send while sending: send again once done, not at the next tick

  // Send the waiting visits, a batch at a time, while there is a connection and something to send.
  async function sync() {
    if (!navigator.onLine) { return; }
    if (syncing) { again = true; return; }
    syncing = true;
    again = false;
    try {
      let before = Infinity;
      for (;;) {
        const waiting = (await queued()).filter(function (item) { return item.status === "waiting"; });
        if (waiting.length === 0) { syncStatus.textContent = TEXT.sent; break; }
        // An answer that settles none of the batch (a refusal of the whole upload) is not retried at once.
        if (waiting.length >= before) { syncStatus.textContent = TEXT.failed; break; }
        before = waiting.length;
        const batch = waiting.slice(0, BATCH);
        const report = await upload(batch.map(function (item) { return item.visit; }));
        if (!report) { break; }
        await settle(report);
        await showQueue();
      }
    } catch (error) {
      // The connection dropped half way: the server may have applied some of the batch, and will
      // answer "already" for those next time.
    } finally {
      syncing = false;
      await showQueue();
      if (again) { sync(); }
    }
  }

  // POST a batch; the server's report, or null (with a message) when it did not take the upload.
  async function upload(visits) {
    const response = await fetch(SYNC_URL, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ visits: visits }),
    });
    // Sent to the login page (session ended) or refused by the CSRF check: log in again.
    if (response.redirected || response.status === 403) { syncStatus.textContent = TEXT.login; return null; }
    if (!response.ok) { syncStatus.textContent = TEXT.failed; return null; }
    return response.json();
  }

  // Drop what the server applied or already had; keep what it rejected, with the reason.
  function settle(report) {
    return transact(["queue"], "readwrite", function (s) {
      report.applied.concat(report.already).forEach(function (id) { s.queue.delete(id); });
      return Promise.all(report.rejected.map(async function (r) {
        const item = await done(s.queue.get(r.id));
        if (item) {
          item.status = "rejected";
          item.reason = r.reason;
          s.queue.put(item);
        }
      }));
    });
  }

  function showConnection() {
    connection.textContent = navigator.onLine ? connection.dataset.online : connection.dataset.offline;
    connection.className = navigator.onLine ? "" : "offline";
  }

  // ---- the service worker --------------------------------------------------------------------------

  // Resolves once a service worker controls this page (at once with clients.claim in the worker).
  function controlled() {
    if (navigator.serviceWorker.controller) { return Promise.resolve(); }
    return new Promise(function (resolve) {
      navigator.serviceWorker.addEventListener("controllerchange", function () { resolve(); }, { once: true });
    });
  }

  // Ask the worker to keep this page, its JSON and the files it loaded.
  function keepForOffline(worker) {
    const urls = [location.pathname, DATA_URL];
    document.querySelectorAll("link[rel=stylesheet][href], script[src]").forEach(function (el) {
      urls.push(el.getAttribute("href") || el.getAttribute("src"));
    });
    return new Promise(function (resolve, reject) {
      const channel = new MessageChannel();
      channel.port1.onmessage = function (event) {
        if (event.data.ok) { resolve(); } else { reject(new Error(event.data.error)); }
      };
      worker.postMessage({ type: "keep", urls: urls }, [channel.port2]);
    });
  }

  async function startWorker() {
    if (!("serviceWorker" in navigator)) { return false; }
    await navigator.serviceWorker.register(root.dataset.workerUrl);
    const registration = await navigator.serviceWorker.ready;
    await controlled();
    if (navigator.onLine) { await keepForOffline(registration.active); }
    return true;
  }

  // ---- start ---------------------------------------------------------------------------------------

  async function start() {
    showConnection();
    const worker = startWorker().catch(function () { return false; });
    const stored = await loadTurf();
    await showQueue();
    sync();
    const offline = await worker;
    if (stored) {
      appStatus.textContent = offline ? TEXT.ready : TEXT.noWorker;
      // For tests and for the curious: the page, its data and its files are all on the phone.
      root.dataset.offlineReady = offline ? "yes" : "no";
    }
  }

  window.addEventListener("online", function () { showConnection(); sync(); });
  window.addEventListener("offline", showConnection);
  document.getElementById("sync-now").addEventListener("click", sync);
  setInterval(sync, SYNC_EVERY_MS);
  start();
}());
