// Fills a filter's search box suggestions (<datalist>) from its endpoint (data-suggest, ?q= → [{id, name}])
// as the user types. Without this file the box still works: the exact name (or an id) is looked up.
document.addEventListener("DOMContentLoaded", () => {
  for (const input of document.querySelectorAll("input[data-suggest]")) {
    const list = document.getElementById(input.getAttribute("list"));
    let timer = null;
    let asked = "";
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const text = input.value.trim();
        if (!text || text === asked) return;
        asked = text;
        const url = input.dataset.suggest + "?q=" + encodeURIComponent(text);
        const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
        if (!response.ok) return;
        const firms = await response.json();
        list.replaceChildren(...firms.map((firm) => {
          const option = document.createElement("option");
          option.value = firm.name;
          return option;
        }));
      }, 200);
    });
  }
});
