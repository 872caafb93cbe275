// The pipeline board: drag a card to another column (or use its Move button) and the move's form opens in a
// dialog, fetched from the same pages that work without JavaScript. A move refused, or a dialog closed without
// moving, puts the card back where it was; a move made reloads the board (counts, sums and days in stage).
(() => {
  const board = document.getElementById("board");
  const dialog = document.getElementById("move-dialog");
  if (!board || !dialog) return;
  const body = dialog.querySelector("[data-move-body]");
  const notices = document.getElementById("board-messages");
  let pending = null; // the card being moved: where it was, whether the move was made
  let dragging = null;

  const modal = () => window.bootstrap.Modal.getOrCreateInstance(dialog);
  const say = (text, kind) => {
    const alert = document.createElement("div");
    alert.className = `alert alert-${kind}`;
    alert.setAttribute("role", kind === "danger" ? "alert" : "status");
    alert.textContent = text;
    notices.replaceChildren(alert);
  };
  const putBack = () => {
    if (pending && !pending.done) pending.from.insertBefore(pending.card, pending.next);
    pending = null;
  };
  const refuse = (message) => {
    putBack();
    if (dialog.classList.contains("show")) modal().hide();
    say(message, "danger");
  };
  dialog.addEventListener("hidden.bs.modal", putBack);

  const ask = async (url, options = {}) => {
    const response = await fetch(url, { ...options, credentials: "same-origin", headers: { "X-Requested-With": "fetch" } });
    const isJson = (response.headers.get("content-type") || "").includes("json");
    return { response, json: isJson ? await response.json() : null, html: isJson ? null : await response.text() };
  };
  const open = async (url) => {
    try {
      const { response, json, html } = await ask(url);
      if (json) return json.ok ? null : refuse(json.message);
      if (response.status >= 500) return refuse(response.statusText);
      body.innerHTML = html;
      if (!dialog.classList.contains("show")) modal().show();
      const first = body.querySelector("input:not([type=hidden]), select, textarea, a[data-move-choice]");
      if (first) first.focus();
    } catch (error) {
      refuse(String(error));
    }
    return null;
  };
  const start = (card) => {
    pending = { card, from: card.parentElement, next: card.nextSibling, done: false };
  };

  board.addEventListener("click", (event) => {
    const button = event.target.closest("[data-move-button]");
    if (!button) return;
    event.preventDefault();
    start(button.closest("[data-card]"));
    open(button.href);
  });
  body.addEventListener("click", (event) => {
    const choice = event.target.closest("[data-move-choice]");
    if (!choice) return;
    event.preventDefault();
    open(choice.href);
  });
  body.addEventListener("submit", async (event) => {
    const form = event.target.closest("form[data-board-move-form]");
    if (!form) return;
    event.preventDefault();
    const submit = form.querySelector("button[type=submit]");
    if (submit) submit.disabled = true;
    try {
      const { json, html } = await ask(form.action, { method: "POST", body: new FormData(form) });
      if (json && json.ok) {
        if (pending) pending.done = true;
        window.location.reload();
      } else if (json) {
        refuse(json.message);
      } else {
        body.innerHTML = html; // the form again, with what was refused
      }
    } catch (error) {
      refuse(String(error));
    }
  });

  board.addEventListener("dragstart", (event) => {
    const card = event.target.closest && event.target.closest("[data-card][draggable=true]");
    if (!card) return;
    dragging = card;
    card.classList.add("moving");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.card);
  });
  board.addEventListener("dragend", () => {
    if (dragging) dragging.classList.remove("moving");
    dragging = null;
    for (const zone of board.querySelectorAll(".drop-target")) zone.classList.remove("drop-target");
  });
  board.addEventListener("dragover", (event) => {
    const zone = event.target.closest("[data-drop]");
    if (!zone || !dragging || zone.dataset.drop === dragging.dataset.stage) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    zone.classList.add("drop-target");
  });
  board.addEventListener("dragleave", (event) => {
    const zone = event.target.closest("[data-drop]");
    if (zone && !zone.contains(event.relatedTarget)) zone.classList.remove("drop-target");
  });
  board.addEventListener("drop", (event) => {
    const zone = event.target.closest("[data-drop]");
    if (!zone || !dragging) return;
    event.preventDefault();
    zone.classList.remove("drop-target");
    const card = dragging;
    start(card);
    zone.prepend(card);
    open(`${card.dataset.moveUrl}${zone.dataset.drop}/`);
  });
})();
