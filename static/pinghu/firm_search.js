// Search-as-you-type for a firm name box (the problem form): a text input with data-firm-search="<suggest URL>"
// and a list="<datalist id>" gets the matching firms as the datalist's options, from /enterprises/suggest/ (the
// site's one firm lookup: names, former names, pinyin and initials, credit code). Without it the box still takes
// a typed name; the server matches it.
document.addEventListener("DOMContentLoaded", () => {
  for (const input of document.querySelectorAll("input[data-firm-search]")) {
    const list = input.list;
    if (!list) continue;
    let timer = null;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      const term = input.value.trim();
      if (!term) return;
      timer = setTimeout(async () => {
        try {
          const url = `${input.dataset.firmSearch}?q=${encodeURIComponent(term)}`;
          const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
          if (!response.ok) return;
          const firms = await response.json();
          list.replaceChildren(...firms.map((firm) => new Option(firm.short_name || firm.name, firm.name)));
        } catch {
          // No connection: the typed name is sent as it is.
        }
      }, 200);
    });
  }
});
