// The project list's bulk actions: "select all on this page" and the count of checked rows.
(() => {
  const form = document.getElementById("bulk");
  if (!form) return;
  const boxes = () => document.querySelectorAll('input[name="selected"][form="bulk"]');
  const all = document.querySelector("[data-select-all]");
  const count = form.querySelector("[data-selected-count]");
  const update = () => {
    const checked = [...boxes()].filter((box) => box.checked).length;
    count.textContent = String(checked);
    if (all) {
      all.checked = checked > 0 && checked === boxes().length;
      all.indeterminate = checked > 0 && checked < boxes().length;
    }
  };
  if (all) {
    all.addEventListener("change", () => {
      for (const box of boxes()) box.checked = all.checked;
      update();
    });
  }
  document.addEventListener("change", (event) => {
    if (event.target instanceof HTMLInputElement && event.target.name === "selected") update();
  });
  update();
})();
