// Trials lists and forms. No inline scripts: the Content-Security-Policy forbids them.
document.addEventListener("DOMContentLoaded", () => {
  // Filter forms apply as soon as a box is ticked or a select changes (the button stays for keyboards).
  document.querySelectorAll("form[data-autosubmit]").forEach((form) => {
    form.addEventListener("change", (event) => {
      if (event.target.matches("input[type=checkbox], input[type=radio], select")) form.requestSubmit();
    });
  });
  // Long facets show eight values until asked for all.
  document.querySelectorAll("[data-facet-more]").forEach((button) => {
    button.addEventListener("click", () => {
      button.closest("fieldset").querySelectorAll(".facet-more").forEach((el) => el.classList.remove("d-none"));
      button.remove();
    });
  });
  // Contribution form: "Add a trial" clones the empty form of the formset.
  const add = document.querySelector("[data-add-trial]");
  if (add) {
    add.addEventListener("click", () => {
      const total = document.getElementById("id_trials-TOTAL_FORMS");
      const template = document.getElementById("empty-trial-form");
      const index = Number(total.value);
      const html = template.innerHTML.replaceAll("__prefix__", String(index)).replaceAll("__number__", String(index + 1));
      document.getElementById("trial-forms").insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
    });
  }
});
