// Keeps the period selector's choice in step with its dates (the server needs none of this:
// typed dates win there too). Typing a date chooses "custom"; choosing a named period puts
// back the dates the page showed, so the choice is what is asked for.
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form[data-period-selector]")) {
    const choice = form.elements.period;
    const start = form.elements.start;
    const end = form.elements.end;
    const shown = [form.elements.shown_start.value, form.elements.shown_end.value];
    for (const input of [start, end]) {
      input.addEventListener("input", () => { choice.value = "custom"; });
    }
    choice.addEventListener("change", () => {
      if (choice.value !== "custom") { start.value = shown[0]; end.value = shown[1]; }
    });
  }
});
