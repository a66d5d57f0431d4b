// jobbridge pages: small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // After a form comes back with problems, move focus to the summary so that a
  // screen reader announces it and the keyboard starts from the list of fields.
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
  // Links in the error summary move focus to the field, not only scroll to it.
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest(".error-summary a[href^='#']");
    if (!a) return;
    var target = document.getElementById(a.getAttribute("href").slice(1));
    if (!target) return;
    var control = target.matches("input, select, textarea") ? target : target.querySelector("input, select, textarea");
    if (control) {
      e.preventDefault();
      control.focus();
      target.scrollIntoView({ block: "center" });
    }
  });
})();
