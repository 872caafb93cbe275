// A form marked data-submit-once sends itself once: its submit buttons are disabled while the
// request is under way (the server also refuses to save the same form twice: its hidden
// idempotency_key). Coming back to the page (the browser's back button) enables them again.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-submit-once")) return;
  if (form.dataset.sending) {
    event.preventDefault();
    return;
  }
  form.dataset.sending = "1";
  // After this event: a button disabled now would not be sent with the form.
  setTimeout(() => {
    for (const button of form.querySelectorAll("button[type=submit], input[type=submit]")) {
      button.disabled = true;
      button.setAttribute("aria-busy", "true");
    }
  });
});
window.addEventListener("pageshow", () => {
  for (const form of document.querySelectorAll("form[data-submit-once]")) {
    delete form.dataset.sending;
    for (const button of form.querySelectorAll("[aria-busy]")) {
      button.disabled = false;
      button.removeAttribute("aria-busy");
    }
  }
});
