// fugong's one script of its own. No inline script anywhere (CSP): pages opt in with
// data- attributes.
(function () {
  "use strict";
  var csrf = document.body && document.body.dataset.csrf;
  // Every htmx request carries the session's CSRF token.
  document.addEventListener("htmx:configRequest", function (e) {
    if (csrf) e.detail.headers["X-CSRF-Token"] = csrf;
  });
  // The desktop layout keeps the menu open; the phone layout opens it on tap.
  var menu = document.querySelector("details.menu");
  if (menu && window.matchMedia("(min-width: 800px)").matches) menu.open = true;
  // A form submits once: a second tap while the first is on its way does nothing.
  document.addEventListener("submit", function (e) {
    var f = e.target;
    if (f.dataset.submitting) { e.preventDefault(); return; }
    f.dataset.submitting = "1";
    setTimeout(function () { delete f.dataset.submitting; }, 5000);
  });
})();
