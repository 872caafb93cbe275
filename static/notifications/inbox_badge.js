// The navigation bar's unread count: asked for after the page has loaded, so that no page pays a
// database query for it (the pages' query counts stay as they were). Hidden while zero.
document.addEventListener("DOMContentLoaded", () => {
  const link = document.querySelector("a[data-inbox][data-unread-url]");
  if (!link) return;
  fetch(link.dataset.unreadUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((response) => (response.ok ? response.json() : null))
    .then((body) => {
      const badge = link.querySelector("[data-unread]");
      if (!body || !badge) return;
      badge.textContent = body.unread;
      badge.classList.toggle("d-none", !body.unread);
    })
    .catch(() => {});
});
