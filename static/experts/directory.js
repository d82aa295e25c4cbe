// Expert directory. No inline scripts: the Content-Security-Policy forbids them.
document.addEventListener("DOMContentLoaded", () => {
  // Long facets show eight values until asked for all.
  document.querySelectorAll("[data-facet-more]").forEach((button) => {
    button.addEventListener("click", () => {
      const fieldset = button.closest("fieldset");
      fieldset.querySelectorAll(".facet-more").forEach((el) => el.classList.remove("d-none"));
      button.remove();
      const first = fieldset.querySelector("input");
      if (first) first.focus();
    });
  });
});
