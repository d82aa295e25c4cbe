// Site-wide behaviour. No inline scripts anywhere: the Content-Security-Policy forbids them.
document.addEventListener("DOMContentLoaded", () => {
  // A form sent back with errors: focus its error summary (role=alert) so it is read out first, or else
  // its first invalid field, which reads out its error (aria-describedby).
  const errorSummary = document.querySelector("[data-error-summary]");
  const firstInvalid = document.querySelector("form [aria-invalid=true]");
  if (errorSummary) errorSummary.focus();
  else if (firstInvalid) firstInvalid.focus();
  else refocusAfterAutosubmit();
  // Forms marked data-confirm ask before submitting (deletes, rejections).
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});
// htmx sends Django's CSRF token with every request.
document.body && document.body.addEventListener("htmx:configRequest", (event) => {
  const token = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
  if (token) event.detail.headers["X-CSRFToken"] = token.split("=")[1];
});

// Filter forms that apply as soon as a box is ticked (form[data-autosubmit]) reload the page: put the
// focus back on the control that changed, so a keyboard user carries on where they were (WCAG 2.4.3).
const REFOCUS_KEY = "platform:refocus";
document.addEventListener("change", (event) => {
  const control = event.target;
  if (control.id && control.closest("form[data-autosubmit]")) {
    sessionStorage.setItem(REFOCUS_KEY, JSON.stringify({ path: window.location.pathname, id: control.id }));
  }
}, true);
function refocusAfterAutosubmit() {
  const saved = sessionStorage.getItem(REFOCUS_KEY);
  if (!saved) return;
  sessionStorage.removeItem(REFOCUS_KEY);
  const { path, id } = JSON.parse(saved);
  const control = path === window.location.pathname && document.getElementById(id);
  if (control) control.focus();
}

// django-bootstrap5 titles a group of radio buttons or checkboxes with a <label> that points at nothing (a
// group has no single control to point at): make it a named group, described by its errors and help text.
document.querySelectorAll("label.form-label:not([for]) + div[id]").forEach((group) => {
  const label = group.previousElementSibling;
  label.id = label.id || `${group.id}_label`;
  group.setAttribute("role", "group");
  group.setAttribute("aria-labelledby", label.id);
  const notes = [`${group.id}_error`, `${group.id}_helptext`].filter((id) => document.getElementById(id));
  if (notes.length) group.setAttribute("aria-describedby", notes.join(" "));
});
