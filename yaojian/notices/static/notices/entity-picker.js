// The entity picker of the problem form: a chosen result fills the hidden "entity" field,
// shows the name and lets the form's preview refresh. A file, not an inline handler, so the
// Content-Security-Policy can forbid inline script (ADR 0012).
"use strict";
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-testid='entity-choice']");
  if (!button) {
    return;
  }
  var form = button.closest("form");
  form.elements.entity.value = button.dataset.id;
  document.getElementById("entity-chosen").textContent = button.dataset.name;
  form.dispatchEvent(new Event("change", { bubbles: true }));
});
