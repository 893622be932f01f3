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
  var wide = window.matchMedia("(min-width: 800px)").matches;
  if (menu && wide) menu.open = true;
  // On a desktop the menu's groups drop down one at a time and fold when you click elsewhere.
  var groups = document.querySelectorAll("details.navgroup");
  groups.forEach(function (g) {
    g.addEventListener("toggle", function () {
      if (!g.open || !wide) return;
      groups.forEach(function (o) { if (o !== g) o.open = false; });
    });
  });
  document.addEventListener("click", function (e) {
    if (!wide) return;
    groups.forEach(function (g) { if (!g.contains(e.target)) g.open = false; });
  });
  // On a phone each table row reads as a card: every cell carries its column's name.
  document.querySelectorAll("table.table").forEach(function (table) {
    var head = table.querySelector("tr");
    if (!head || !head.querySelector("th")) return;
    var names = Array.prototype.map.call(head.children, function (c) { return c.textContent.trim(); });
    table.querySelectorAll("tr").forEach(function (tr) {
      if (tr === head) return;
      Array.prototype.forEach.call(tr.children, function (td, i) {
        if (td.tagName === "TD" && names[i] && !td.dataset.label) td.dataset.label = names[i];
      });
    });
    table.classList.add("cardify");
  });
  // A form submits once: a second tap while the first is on its way does nothing.
  document.addEventListener("submit", function (e) {
    var f = e.target;
    if (f.dataset.submitting) { e.preventDefault(); return; }
    f.dataset.submitting = "1";
    setTimeout(function () { delete f.dataset.submitting; }, 5000);
  });
})();
