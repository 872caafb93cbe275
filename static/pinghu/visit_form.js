// Progressive enhancement of the visit form (the form works without it):
// - search-as-you-type for the visited enterprise, filling the <datalist> from the API;
// - once an existing enterprise is chosen, its open projects are offered as checkboxes to link.
// Both use the API with the browser's session.
document.addEventListener("DOMContentLoaded", () => {
  const input = document.getElementById("id_enterprise_name");
  const list = document.getElementById("enterprise-options");
  const projectBox = document.getElementById("id_projects");
  if (!input || !list) return;
  const api = async (url) => {
    const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    return response.ok ? response.json() : null;
  };
  const open = ["lead", "negotiating", "signed", "registered", "construction", "on_hold"];

  async function offerProjects(name) {
    if (!projectBox) return;
    const firms = await api(`/api/v1/enterprises/?search=${encodeURIComponent(name)}&page_size=10`);
    const firm = firms && firms.results.find((row) => row.name === name);
    if (!firm) return;
    const stages = open.map((stage) => `stage=${stage}`).join("&");
    const projects = await api(`/api/v1/projects/?investor=${firm.id}&${stages}&page_size=50`);
    if (!projects) return;
    const checked = new Set([...projectBox.querySelectorAll("input:checked")].map((box) => box.value));
    projectBox.replaceChildren(
      ...projects.results.map((project) => {
        const item = document.createElement("div");
        const box = Object.assign(document.createElement("input"), {
          type: "checkbox", name: "projects", value: String(project.id), id: `project-${project.id}`,
          className: "form-check-input me-1", checked: checked.has(String(project.id)),
        });
        const label = Object.assign(document.createElement("label"), { htmlFor: box.id, textContent: project.name });
        item.append(box, label);
        return item;
      }),
    );
  }

  let timer = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const term = input.value.trim();
    if (!term) return;
    timer = setTimeout(async () => {
      const body = await api(`/api/v1/enterprises/?search=${encodeURIComponent(term)}&page_size=10`);
      if (!body) return;
      list.replaceChildren(...body.results.map((row) => new Option(row.short_name || row.name, row.name)));
      if (body.results.some((row) => row.name === term)) offerProjects(term);
    }, 200);
  });
  input.addEventListener("change", () => offerProjects(input.value.trim()));
});
