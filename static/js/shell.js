/* Yaojian shell: sidebar collapse (remembered), confirmation dialog. No inline scripts (CSP).
   Loaded in <head> without defer so the remembered sidebar state applies before the first paint. */
(function () {
  "use strict";
  var KEY = "yaojian.sidebar.collapsed";
  var root = document.documentElement;
  try {
    if (window.localStorage.getItem(KEY) === "1") root.classList.add("yj-collapsed");
  } catch (e) { /* storage disabled: the sidebar stays open */ }

  function toggleSidebar() {
    var collapsed = root.classList.toggle("yj-collapsed");
    try { window.localStorage.setItem(KEY, collapsed ? "1" : "0"); } catch (e) { /* ignore */ }
    var button = document.querySelector("[data-yj-toggle=sidebar]");
    if (button) button.setAttribute("aria-pressed", collapsed ? "true" : "false");
  }

  // data-confirm="question" on a form (asked on submit) or on a submit button (asked on click).
  function askThenSubmit(message, form, submitter) {
    var dialog = document.getElementById("yj-confirm");
    if (!dialog || typeof dialog.showModal !== "function") {
      if (window.confirm(message)) submitForm(form, submitter);
      return;
    }
    dialog.querySelector(".yj-confirm-text").textContent = message;
    dialog.returnValue = "";
    dialog.addEventListener("close", function onClose() {
      dialog.removeEventListener("close", onClose);
      if (dialog.returnValue === "ok") submitForm(form, submitter);
    });
    dialog.showModal();
  }

  function submitForm(form, submitter) {
    form.dataset.yjConfirmed = "1";
    if (typeof form.requestSubmit === "function") form.requestSubmit(submitter || undefined);
    else form.submit();
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    if (form.dataset.yjConfirmed === "1") { delete form.dataset.yjConfirmed; return; }
    var submitter = event.submitter || null;
    var message = (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (!message) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    askThenSubmit(message, form, submitter);
  }, true);

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest && event.target.closest("[data-yj-toggle=sidebar]");
    if (toggle) { event.preventDefault(); toggleSidebar(); }
  });
})();
