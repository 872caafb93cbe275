// Progressive enhancement of the visit form on the official's phone (the form works without it: plain selects,
// a text box with a list of recent firms, tick boxes):
// - leaders and chains in searchable pickers (tom-select, from npm, served from static/vendor/); the options
//   come in the page's <select multiple>, already in order (own leader, usual companions, then by name);
// - the firm by search: the firms the official visited recently are embedded in the page (json_script
//   "recent-firms", so they are found with no connection), others come from /enterprises/suggest/ (names,
//   pinyin, credit code); a name found nowhere can be added as a new firm (the "new enterprise" part opens);
// - once a firm is chosen, its chains (its chain roles) pre-fill the chains unless they were touched, and its
//   open projects are offered as tick boxes (embedded for recent firms, else from the API);
// - a 周六 mark beside the date when it is a Saturday; one tap on a last used phrase fills purpose or outcome.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.visit-form");
  if (!form) return;
  const recentNode = document.getElementById("recent-firms");
  const recent = recentNode ? JSON.parse(recentNode.textContent) : [];

  const date = form.querySelector("#id_date");
  const mark = form.querySelector("[data-saturday-mark]");
  if (date && mark) {
    const markSaturday = () => {
      const day = date.valueAsDate;
      mark.hidden = !(day && day.getUTCDay() === 6);
    };
    date.addEventListener("input", markSaturday);
    date.addEventListener("change", markSaturday);
  }

  for (const chips of form.querySelectorAll("[data-phrases-for]")) {
    chips.hidden = false;
    chips.addEventListener("click", (event) => {
      const chip = event.target.closest("[data-phrase]");
      const box = document.getElementById(chips.dataset.phrasesFor);
      if (!chip || !box) return;
      box.value = chip.dataset.phrase;
      box.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }

  if (typeof window.TomSelect === "undefined") return; // the plain form still works
  // tom-select points the field's <label> at its own typing box and hides the original field visually; the
  // original keeps the label's words as its name, so assistive technology never meets a field without one.
  const picker = (element, options) => {
    const label = form.querySelector(`label[for="${element.id}"]`);
    const name = label ? label.textContent.replace(/\s*\*\s*$/, "").trim() : "";
    const select = new window.TomSelect(element, options);
    if (name) element.setAttribute("aria-label", name);
    return select;
  };
  const multi = {
    plugins: { remove_button: { title: form.dataset.remove || "×" } },
    maxOptions: null,
    closeAfterSelect: true,
  };
  const leadersSelect = form.querySelector("#id_leaders");
  if (leadersSelect) picker(leadersSelect, multi);
  const chainsSelect = form.querySelector("#id_chains");
  const chains = chainsSelect ? picker(chainsSelect, multi) : null;
  let chainsTouched = Boolean(chains && chains.items.length);
  if (chains) chains.on("item_add", () => { if (!chains.filling) chainsTouched = true; });
  if (chains) chains.on("item_remove", () => { chainsTouched = true; });

  const projectBlock = form.querySelector("[data-projects-block]");
  const projectBox = form.querySelector("#id_projects");
  const open = ["lead", "negotiating", "signed", "registered", "construction", "on_hold"];
  const api = async (url) => {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      return response.ok ? response.json() : null;
    } catch {
      return null; // no connection: nothing more is offered, the typed name is still sent
    }
  };

  function offerProjects(projects) {
    if (!projectBox || !projectBlock) return;
    const checked = new Set([...projectBox.querySelectorAll("input:checked")].map((box) => box.value));
    projectBox.replaceChildren(
      ...projects.map((project) => {
        const item = Object.assign(document.createElement("div"), { className: "form-check" });
        const box = Object.assign(document.createElement("input"), {
          type: "checkbox", name: "projects", value: String(project.id), id: `project-${project.id}`,
          className: "form-check-input", checked: checked.has(String(project.id)),
        });
        const label = Object.assign(document.createElement("label"), {
          htmlFor: box.id, textContent: project.name, className: "form-check-label",
        });
        item.append(box, label);
        return item;
      }),
    );
    projectBlock.hidden = projects.length === 0;
  }

  const newFirm = form.querySelector("[data-fold=new-firm]");
  const createBox = form.querySelector("#id_create_enterprise");

  async function chosen(firm) {
    if (!firm) return;
    const known = Boolean(firm.id);
    if (createBox) createBox.checked = !known;
    if (newFirm && !known) newFirm.open = true;
    if (!known) {
      offerProjects([]);
      return;
    }
    if (chains && !chainsTouched && firm.chains) {
      chains.filling = true;
      chains.setValue(firm.chains.map(String));
      chains.filling = false;
    }
    if (firm.projects) {
      offerProjects(firm.projects);
      return;
    }
    const stages = open.map((stage) => `stage=${stage}`).join("&");
    const body = await api(`/api/v1/projects/?investor=${firm.id}&${stages}&page_size=50`);
    if (body) offerProjects(body.results.map((row) => ({ id: row.id, name: row.name })));
  }

  const firmInput = form.querySelector("#id_enterprise_name");
  if (!firmInput) return;
  const addText = form.dataset.addFirm || "+";
  let lastFirm = firmInput.value;
  const noResults = form.dataset.noResults || "";
  const firm = picker(firmInput, {
    maxItems: 1,
    create: true,
    createOnBlur: true,
    persist: false,
    delimiter: "\u001f", // a firm name may hold a comma
    valueField: "name",
    labelField: "name",
    searchField: ["name", "short_name", "key", "credit_code"],
    options: recent,
    maxOptions: 20,
    loadThrottle: 250,
    load: async (query, callback) => {
      const firms = await api(`${form.dataset.suggest}?chains=1&q=${encodeURIComponent(query)}`);
      callback(firms || []);
    },
    render: {
      option_create: (data, escape) => `<div class="create">${escape(addText)} <strong>${escape(data.input)}</strong></div>`,
      no_results: (data, escape) => `<div class="no-results">${escape(noResults)}</div>`,
      option: (data, escape) =>
        `<div>${escape(data.name)}${data.short_name ? ` <small class="text-body-secondary">${escape(data.short_name)}</small>` : ""}</div>`,
    },
    onChange: (name) => {
      if (name === lastFirm) return; // tom-select says so again on blur: the offered projects stay as ticked
      lastFirm = name;
      // Chosen: the phone's keyboard goes away now, not at the next tap (which would move the page under it).
      if (name) firm.blur();
      chosen(name ? firm.options[name] : null);
    },
  });
});
