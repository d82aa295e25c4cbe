// Trials lists and forms. No inline scripts: the Content-Security-Policy forbids them.
// Listeners sit on the document, so they keep working after htmx swaps the list region.
document.addEventListener("change", (event) => {
  // Filter forms apply as soon as a box is ticked or a select changes (the button stays for keyboards).
  const form = event.target.closest("form[data-autosubmit]");
  if (form && event.target.matches("input[type=checkbox], input[type=radio], select")) form.requestSubmit();
});
document.addEventListener("click", (event) => {
  // Long facets show eight values until asked for all.
  const more = event.target.closest("[data-facet-more]");
  if (more) {
    more.closest("fieldset").querySelectorAll(".facet-more").forEach((el) => el.classList.remove("d-none"));
    more.remove();
    return;
  }
  // Contribution form: "Add a trial" clones the empty form of the formset.
  const add = event.target.closest("[data-add-trial]");
  if (add) {
    const total = document.getElementById("id_trials-TOTAL_FORMS");
    const template = document.getElementById("empty-trial-form");
    const index = Number(total.value);
    const html = template.innerHTML.replaceAll("__prefix__", String(index)).replaceAll("__number__", String(index + 1));
    document.getElementById("trial-forms").insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
  }
});
