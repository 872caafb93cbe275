// Search-as-you-type for the visited enterprise: fills the <datalist> from the API (session
// authentication). Without JavaScript the field still accepts a typed name.
document.addEventListener("DOMContentLoaded", () => {
  const input = document.getElementById("id_enterprise_name");
  const list = document.getElementById("enterprise-options");
  if (!input || !list) return;
  let timer = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const term = input.value.trim();
    if (term.length < 1) return;
    timer = setTimeout(async () => {
      const response = await fetch(`/api/v1/enterprises/?search=${encodeURIComponent(term)}&page_size=10`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) return;
      const body = await response.json();
      list.replaceChildren(...body.results.map((row) => new Option(row.short_name || row.name, row.name)));
    }, 200);
  });
});
