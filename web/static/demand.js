// The raise-a-demand form shows only the chosen category's own fields; without script
// every category's fields show and the server takes only the chosen one's.
(function () {
  "use strict";
  var sel = document.querySelector("[data-category-select]");
  if (!sel) return;
  function show() {
    document.querySelectorAll("fieldset[data-category]").forEach(function (f) {
      f.hidden = f.dataset.category !== sel.value;
    });
  }
  sel.addEventListener("change", show);
  show();
})();
