// The public complaint form: hide the identity fields while "anonymous" is ticked, and the
// platform fields unless "bought online" is ticked. The form works without this script.
(function () {
  "use strict";
  function toggle(box, selector) {
    var rows = document.querySelectorAll(selector);
    function apply() {
      var on = box.checked;
      rows.forEach(function (row) { row.hidden = box.dataset.invert ? on : !on; });
    }
    box.addEventListener("change", apply);
    apply();
  }
  document.addEventListener("DOMContentLoaded", function () {
    var anonymous = document.getElementById("id_is_anonymous");
    if (anonymous) { anonymous.dataset.invert = "1"; toggle(anonymous, "[data-identity]"); }
    var online = document.getElementById("id_is_ecommerce");
    if (online) { toggle(online, "[data-platform]"); }
  });
})();
