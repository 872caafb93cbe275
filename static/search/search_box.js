// The navbar's search box: quick results under the box as one types (from /search/quick/), reached
// with the arrow keys or Tab; Enter on the box opens the full results page (/search/?q=), which works
// without this script.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-search-box]");
  if (!form) return;
  const input = form.querySelector("input[name=q]");
  const menu = form.querySelector("[data-search-quick]");
  let timer = null;
  let asked = "";

  const links = () => Array.from(menu.querySelectorAll("a.dropdown-item"));
  const close = () => {
    menu.classList.add("d-none");
    input.setAttribute("aria-expanded", "false");
  };
  const open = () => {
    menu.classList.remove("d-none");
    input.setAttribute("aria-expanded", "true");
  };
  const item = (tag, className, text) => {
    const element = document.createElement(tag);
    element.className = className;
    element.textContent = text;
    return element;
  };

  const show = (body) => {
    menu.replaceChildren();
    if (!body.groups.length) {
      menu.append(item("span", "dropdown-item-text text-muted small", menu.dataset.empty));
    }
    for (const group of body.groups) {
      menu.append(item("h6", "dropdown-header", group.label));
      for (const hit of group.hits) {
        const link = item("a", "dropdown-item", hit.title);
        link.href = hit.url;
        link.setAttribute("data-search-hit", "");
        if (hit.why.length) link.append(item("div", "small text-muted text-wrap", hit.why[0]));
        menu.append(link);
      }
    }
    const all = item("a", "dropdown-item small text-primary", menu.dataset.all);
    all.href = form.action + "?" + new URLSearchParams({ q: body.q });
    const rule = document.createElement("hr");
    rule.className = "dropdown-divider";
    menu.append(rule, all);
    open();
  };

  const ask = () => {
    const q = input.value.trim();
    if (!q) {
      close();
      return;
    }
    if (q === asked && menu.children.length) {
      open();
      return;
    }
    asked = q;
    fetch(form.dataset.quickUrl + "?" + new URLSearchParams({ q }), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then((response) => (response.ok ? response.json() : null))
      .then((body) => {
        if (body && body.q === input.value.trim()) show(body);
      })
      .catch(() => {});
  };

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(ask, 200);
  });
  input.addEventListener("focus", ask);
  form.addEventListener("keydown", (event) => {
    const items = links();
    const at = items.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && items.length) {
      event.preventDefault();
      open();
      items[Math.min(at + 1, items.length - 1)].focus();
    } else if (event.key === "ArrowUp" && items.length) {
      event.preventDefault();
      if (at <= 0) input.focus();
      else items[at - 1].focus();
    } else if (event.key === "Escape") {
      close();
      input.focus();
    }
  });
  form.addEventListener("focusout", (event) => {
    if (!form.contains(event.relatedTarget)) close();
  });
});
