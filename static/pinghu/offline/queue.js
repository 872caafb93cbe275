// The offline queue's store and sender, shared by the pages (page.js) and the service worker (sw-main.js),
// so a queued form is sent the same way from a tap on 发送, a page load, the `online` event or Background Sync.
//
// One IndexedDB database, "pinghu-offline", with one store, "forms", keyed by the form's idempotency key: the
// server creates one object per key however often the same form arrives (pinghu.pages.post_once), so sending
// again after a network failure half-way through a send is always safe. Each entry keeps its user (another user
// signed in on the same phone neither sees nor sends it), the form's action URL, every field as [name, value]
// pairs (photos as File/Blob values), its size, and for a form the server refused, the server's messages.
(function (scope) {
  "use strict";
  const DB_NAME = "pinghu-offline";
  const STORE = "forms";
  const KEY_FIELD = "idempotency_key"; // pinghu.pages.IDEMPOTENCY_FIELD
  const SKIPPED = new Set(["csrfmiddlewaretoken"]); // a token from the page would be stale when sent: a fresh one is fetched
  const CHANNEL = "pinghu-offline"; // BroadcastChannel: tells every open page that the queue changed

  function request(idbRequest) {
    return new Promise((resolve, reject) => {
      idbRequest.onsuccess = () => resolve(idbRequest.result);
      idbRequest.onerror = () => reject(idbRequest.error);
    });
  }

  function openDb() {
    const opening = indexedDB.open(DB_NAME, 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore(STORE, { keyPath: "key" });
    return request(opening);
  }

  // One operation in its own transaction; resolves once the transaction has committed.
  async function withStore(mode, operation) {
    const db = await openDb();
    try {
      const transaction = db.transaction(STORE, mode);
      const result = await request(operation(transaction.objectStore(STORE)));
      await new Promise((resolve, reject) => {
        transaction.oncomplete = resolve;
        transaction.onerror = () => reject(transaction.error);
        transaction.onabort = () => reject(transaction.error);
      });
      return result;
    } finally {
      db.close();
    }
  }

  function changed() {
    if ("BroadcastChannel" in scope) new BroadcastChannel(CHANNEL).postMessage("changed");
  }

  const all = () => withStore("readonly", (store) => store.getAll());
  const get = (key) => withStore("readonly", (store) => store.get(key));
  async function put(item) {
    await withStore("readwrite", (store) => store.put(item));
    changed();
  }
  async function remove(key) {
    await withStore("readwrite", (store) => store.delete(key));
    changed();
  }

  // What one form takes on this device: photos by their size, text fields by their length.
  function sizeOf(entries) {
    return entries.reduce((total, [, value]) => total + (value instanceof Blob ? value.size : String(value).length * 2), 0);
  }

  // A form's fields as storable pairs (File and Blob values are stored as they are: IndexedDB keeps them).
  function entriesOf(formData) {
    return [...formData.entries()].filter(([name, value]) => !SKIPPED.has(name) && !(value instanceof File && !value.size && !value.name));
  }

  function newKey() {
    if (scope.crypto && crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
    return [...crypto.getRandomValues(new Uint8Array(16))].map((byte) => byte.toString(16).padStart(2, "0")).join("");
  }

  // A fresh CSRF token and the signed-in user (pinghu.offline.token), or why there is none.
  async function freshToken(tokenUrl) {
    let response;
    try {
      response = await fetch(tokenUrl, { credentials: "same-origin", cache: "no-store", redirect: "manual", headers: { Accept: "application/json" } });
    } catch (error) {
      return { offline: true };
    }
    if (!response.ok) return { signedOut: true };
    return response.json();
  }

  // Sends one queued form with a fresh token and says what happened:
  // {saved, url} | {refused, errors, message} | {signedOut} | {offline} | {failed, status}.
  async function sendItem(item, token) {
    const body = new FormData();
    for (const [name, value] of item.entries) {
      if (value instanceof Blob) body.append(name, value, value.name || "photo.jpg");
      else body.append(name, value);
    }
    body.set(KEY_FIELD, item.key);
    let response;
    try {
      response = await fetch(item.action, {
        method: "POST",
        body,
        credentials: "same-origin",
        redirect: "manual", // a redirect means the session expired (the login page): keep the form
        headers: { "X-CSRFToken": token, "X-Pinghu-Queue": "1", Accept: "application/json" },
      });
    } catch (error) {
      return { offline: true }; // no answer: perhaps saved, perhaps not; the same key makes a resend safe
    }
    if (response.status === 200 || response.status === 201) return { saved: true, ...(await response.json()) };
    if (response.status === 400) return { refused: true, ...(await response.json()) };
    if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) return { signedOut: true };
    return { failed: true, status: response.status };
  }

  // Applies a send's outcome to the stored entry: gone when saved, 退回 when refused, kept with a note otherwise.
  async function record(item, outcome, texts) {
    if (outcome.saved) return remove(item.key);
    if (outcome.refused) {
      return put({ ...item, status: "refused", errors: outcome.errors || {}, nonFieldErrors: outcome.non_field_errors || [], message: outcome.message || "" });
    }
    const note = outcome.signedOut ? texts.signedOut : outcome.offline ? texts.noConnection : (texts.failed || "").replace("%(status)s", outcome.status);
    return put({ ...item, note });
  }

  // Sends every waiting form of the signed-in user, one at a time, stopping at the first network failure.
  // A Web Lock keeps the page and the service worker from sending the same entries at the same moment.
  async function sendAll(tokenUrl, texts = {}) {
    const run = async () => {
      const token = await freshToken(tokenUrl);
      if (!token.token) return token; // offline or signed out: nothing is touched
      const waiting = (await all()).filter((item) => item.user === token.user && item.status === "waiting");
      const summary = { sent: 0, refused: 0, kept: 0 };
      for (const item of waiting) {
        const outcome = await sendItem(item, token.token);
        await record(item, outcome, texts);
        if (outcome.saved) summary.sent += 1;
        else if (outcome.refused) summary.refused += 1;
        else {
          summary.kept = waiting.length - summary.sent - summary.refused;
          summary.offline = Boolean(outcome.offline);
          summary.signedOut = Boolean(outcome.signedOut);
          break;
        }
      }
      return summary;
    };
    if (scope.navigator && navigator.locks) {
      return navigator.locks.request("pinghu-offline-send", run);
    }
    return run();
  }

  scope.PinghuQueue = { all, get, put, remove, sizeOf, entriesOf, newKey, freshToken, sendItem, record, sendAll, KEY_FIELD, CHANNEL };
})(self);
