// The offline queue on the page (with queue.js; configuration and texts from base.html's "pinghu-offline" block):
// - registers the service worker (sw-main.js) for a signed-in user and asks it to keep the offline pages;
// - a form marked data-offline-queue is sent by fetch with the queue's JSON answer; with no connection (or a
//   network failure during the send) it is kept in IndexedDB instead, within a size budget, and sent later;
// - sends waiting forms on page load, on the `online` event and on a tap on 发送 (the service worker also does
//   on Background Sync);
// - shows the "待发送" count in the navbar, the queue page's list, and a returned (退回) form back in its form
//   with the server's messages;
// - on sign-out, asks before discarding unsent forms and deletes the cached pages; any page seen signed out (the
//   login page after a session expired) deletes them too, so no page with a user's data outlives the session.
/* global PinghuQueue */
(function () {
  "use strict";
  const configBlock = document.getElementById("pinghu-offline");
  if (!configBlock || !("indexedDB" in window)) return;
  const config = JSON.parse(configBlock.textContent);
  const texts = config.texts;
  const Q = PinghuQueue;
  const PAGES_CACHE = "pinghu-pages";

  const mine = async () => (await Q.all()).filter((item) => item.user === config.user);

  async function forgetPages() {
    if ("caches" in window) await caches.delete(PAGES_CACHE);
  }

  if (!config.user) {
    forgetPages();
    return;
  }

  // ---- the navbar's count ----------------------------------------------------------------------------------
  async function showCount() {
    const items = await mine();
    for (const badge of document.querySelectorAll("[data-offline-badge]")) {
      badge.classList.toggle("d-none", items.length === 0);
      const count = badge.querySelector("[data-offline-count]");
      if (count) count.textContent = String(items.length);
    }
    renderList(items);
  }

  // ---- sending ---------------------------------------------------------------------------------------------
  async function sendWaiting() {
    const status = document.querySelector("[data-offline-status]");
    if (status) status.textContent = texts.sending;
    const summary = await Q.sendAll(config.token, texts);
    if (status) {
      if (summary.signedOut) status.textContent = texts.signedOut;
      else if (summary.offline) status.textContent = texts.noConnection;
      else status.textContent = "";
    }
    await showCount();
    return summary;
  }

  async function askForSync() {
    try {
      const registration = await navigator.serviceWorker.ready;
      if (registration.sync) await registration.sync.register("pinghu-queue");
    } catch (error) {
      // No Background Sync (Firefox, Safari): the next page load, `online` or 发送 sends it.
    }
  }

  // ---- the queue page --------------------------------------------------------------------------------------
  function renderList(items) {
    const list = document.querySelector("[data-offline-list]");
    if (!list) return;
    if (!items.length) {
      list.replaceChildren(Object.assign(document.createElement("p"), { className: "text-body-secondary", textContent: texts.empty }));
      return;
    }
    list.replaceChildren(
      ...items.map((item) => {
        const card = Object.assign(document.createElement("div"), { className: "card mb-2" });
        card.dataset.offlineItem = item.key;
        card.dataset.offlineStatus = item.status;
        const body = Object.assign(document.createElement("div"), { className: "card-body" });
        const refused = item.status === "refused";
        const badge = Object.assign(document.createElement("span"), {
          className: `badge me-2 ${refused ? "text-bg-danger" : "text-bg-warning"}`,
          textContent: refused ? texts.refused : texts.waiting,
        });
        const title = Object.assign(document.createElement("strong"), { textContent: item.summary || item.created });
        const lines = [badge, title];
        const message = refused ? item.message : item.note;
        if (message) lines.push(Object.assign(document.createElement("div"), { className: refused ? "text-danger small mt-1" : "small mt-1", textContent: message }));
        const actions = Object.assign(document.createElement("div"), { className: "mt-2 d-flex gap-2" });
        if (refused) {
          actions.append(Object.assign(document.createElement("a"), { className: "btn btn-sm btn-primary", href: `${item.action}#queued=${item.key}`, textContent: texts.open }));
        }
        const discard = Object.assign(document.createElement("button"), { type: "button", className: "btn btn-sm btn-outline-danger", textContent: texts.discard });
        discard.addEventListener("click", async () => {
          if (window.confirm(texts.confirmDiscard)) await Q.remove(item.key);
          await showCount();
        });
        actions.append(discard);
        body.append(...lines, actions);
        card.append(body);
        return card;
      }),
    );
  }

  for (const button of document.querySelectorAll("[data-offline-send]")) {
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        await sendWaiting();
      } finally {
        button.disabled = false;
      }
    });
  }

  // ---- the queued form -------------------------------------------------------------------------------------
  function setKey(form, key) {
    const field = form.elements[Q.KEY_FIELD];
    if (field) field.value = key;
  }

  function say(form, text, kind) {
    let alert = form.querySelector("[data-offline-alert]");
    if (!alert) {
      alert = Object.assign(document.createElement("div"), { role: "alert" });
      alert.dataset.offlineAlert = "";
      form.prepend(alert);
    }
    alert.className = `alert alert-${kind}`;
    alert.textContent = text;
    alert.scrollIntoView({ block: "nearest" });
  }

  function release(form) {
    // submit_once.js disabled the buttons for a page change that does not come.
    delete form.dataset.sending;
    for (const button of form.querySelectorAll("[aria-busy]")) {
      button.disabled = false;
      button.removeAttribute("aria-busy");
    }
  }

  function summaryOf(form, formData) {
    const names = (form.dataset.offlineSummary || "").split(/\s+/).filter(Boolean);
    return names.map((name) => formData.get(name)).filter((value) => value && typeof value === "string").join(" · ");
  }

  // Keeps the form in IndexedDB (refused beyond the budget, with a message), then clears the form for the next one.
  async function keep(form, formData, note) {
    const entries = Q.entriesOf(formData);
    const key = formData.get(Q.KEY_FIELD) || Q.newKey();
    const others = (await Q.all()).filter((item) => item.key !== key);
    const size = Q.sizeOf(entries);
    if (size + others.reduce((total, item) => total + (item.size || 0), 0) > config.budget) {
      say(form, texts.tooLarge, "danger");
      return false;
    }
    await Q.put({
      key, user: config.user, action: form.action, entries, size, status: "waiting", note: note || "",
      summary: summaryOf(form, formData), created: new Date().toISOString(),
    });
    form.reset();
    setKey(form, Q.newKey()); // the next visit typed in this page is another visit
    for (const error of form.querySelectorAll("[data-offline-error]")) error.remove();
    say(form, texts.queued, "success");
    askForSync();
    await showCount();
    return true;
  }

  async function submitQueued(form, submitter) {
    const formData = new FormData(form, submitter);
    if (!navigator.onLine) return keep(form, formData);
    const key = formData.get(Q.KEY_FIELD) || Q.newKey();
    formData.set(Q.KEY_FIELD, key);
    const token = await Q.freshToken(config.token);
    if (token.offline) return keep(form, formData);
    if (!token.token) return keep(form, formData, texts.signedOut);
    const outcome = await Q.sendItem({ key, action: form.action, entries: Q.entriesOf(formData) }, token.token);
    if (outcome.saved) {
      await Q.remove(key); // a returned form opened again and now saved
      window.location.assign(outcome.url);
      return true;
    }
    if (outcome.offline) return keep(form, formData);
    if (outcome.signedOut) return keep(form, formData, texts.signedOut);
    // Refused (or a server error): the server renders the form with its messages, as without this script.
    HTMLFormElement.prototype.submit.call(form);
    return true;
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    // Another script that takes the submission over (or submit_once.js refusing a second tap) goes first.
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-offline-queue") || event.defaultPrevented) return;
    event.preventDefault();
    submitQueued(form, event.submitter)
      .catch((error) => say(form, String(error), "danger"))
      .finally(() => release(form));
  });

  // Fills the form with a returned entry's fields and shows the server's messages by their fields.
  function fill(form, item) {
    const values = new Map();
    for (const [name, value] of item.entries) values.set(name, [...(values.get(name) || []), value]);
    for (const element of form.elements) {
      if (!element.name || element.name === Q.KEY_FIELD || element.name === "csrfmiddlewaretoken") continue;
      const given = values.get(element.name) || [];
      if (element.type === "checkbox" || element.type === "radio") element.checked = given.includes(element.value);
      else if (element.type === "file") {
        const transfer = new DataTransfer();
        given.filter((value) => value instanceof File).forEach((file) => transfer.items.add(file));
        element.files = transfer.files;
      } else if (element.tomselect) {
        // A picker offers only its known options: a returned firm name it does not know yet becomes one.
        const picker = element.tomselect;
        for (const value of given) {
          if (!picker.options[value]) picker.addOption({ [picker.settings.valueField]: value, [picker.settings.labelField]: value });
        }
        picker.setValue(given, true);
      }
      else if (element.multiple) for (const option of element.options) option.selected = given.includes(option.value);
      else if (given.length) element.value = given[0];
      element.dispatchEvent(new Event("change", { bubbles: true }));
    }
    setKey(form, item.key); // refused forms keep nothing on the server: the same key, and queueing it again replaces it
    // Folded parts open when they hold a returned value, or when a field they answer was refused
    // (data-opens-on-error: a refused firm name opens 新企业, as the server's own answer does).
    for (const fold of form.querySelectorAll("details")) {
      const filled = [...fold.querySelectorAll("input, select, textarea")].some((field) =>
        field.type === "checkbox" || field.type === "radio" ? field.checked : field.type !== "hidden" && field.value);
      const answers = (fold.dataset.opensOnError || "").split(" ").some((name) => name && (item.errors || {})[name]);
      if (filled || answers) fold.open = true;
    }
    say(form, `${texts.returnedIntro} ${item.message || ""}`, "danger");
    for (const [name, field] of Object.entries(item.errors || {})) {
      const element = form.elements[name];
      const anchor = element && (element.closest ? element : element[0]);
      const place = anchor && (anchor.closest(".mb-3") || anchor.parentElement);
      if (!place) continue;
      for (const text of field.errors) {
        const note = Object.assign(document.createElement("div"), { className: "text-danger small", role: "alert", textContent: text });
        note.dataset.offlineError = "";
        place.append(note);
      }
    }
  }

  async function setUpForms() {
    for (const form of document.querySelectorAll("form[data-offline-queue]")) {
      // A page opened from the service worker's cache carries the key of its last rendering: each page gets its own.
      setKey(form, Q.newKey());
      const match = window.location.hash.match(/^#queued=(\w+)$/);
      if (!match) continue;
      const item = await Q.get(match[1]);
      if (item && item.user === config.user) fill(form, item);
    }
  }

  // ---- sign-out --------------------------------------------------------------------------------------------
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-offline-signout") || form.dataset.offlineChecked) return;
    event.preventDefault();
    (async () => {
      const items = await mine();
      if (items.length && !window.confirm(texts.confirmSignOut.replace("%(count)s", items.length))) return;
      await Promise.all(items.map((item) => Q.remove(item.key)));
      await forgetPages();
      form.dataset.offlineChecked = "1";
      form.submit();
    })();
  });

  // ---- start -----------------------------------------------------------------------------------------------
  if ("BroadcastChannel" in window) new BroadcastChannel(Q.CHANNEL).addEventListener("message", showCount);
  // Only with something waiting: an empty queue costs no request.
  const sendIfWaiting = async () => {
    if (navigator.onLine && (await mine()).some((item) => item.status === "waiting")) await sendWaiting();
  };
  window.addEventListener("online", sendIfWaiting);
  setUpForms();
  showCount().then(sendIfWaiting);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker
      .register(config.sw, { scope: "/" })
      .then(() => navigator.serviceWorker.ready)
      .then((registration) => {
        // Once per browser session: the service worker fetches the offline pages and their static files.
        const flag = `pinghu-offline-warm:${config.user}`;
        if (sessionStorage.getItem(flag)) return;
        registration.active.postMessage({ type: "warm" });
        sessionStorage.setItem(flag, "1");
      })
      .catch(() => null); // no service worker (plain HTTP on a LAN address): the queue still works while the page is open
  }
})();
