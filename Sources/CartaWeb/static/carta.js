// Carta: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // After a failed submission, move focus to the error summary (or the first invalid field)
    // so keyboard and screen-reader users land on what needs fixing.
    var summary = document.getElementById("error-summary");
    var invalid = document.querySelector('[aria-invalid="true"]');
    if (summary) { summary.focus(); } else if (invalid) { invalid.focus(); }

    // A link to a field (an error-summary line, a criterion, an alert: "#item-<OID>" or "#form-<OID>") puts the
    // cursor in that field, not only scrolls to it; on arrival from another page too.
    function focusField(id) {
      var target = id && document.getElementById(id);
      if (!target) { return; }
      var control = target.matches("input, select, textarea") ? target
        : target.querySelector("input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])");
      if (control) { control.focus(); }
    }
    window.addEventListener("hashchange", function () { focusField(decodeURIComponent(location.hash.slice(1))); });
    if (!summary && /^#(item|form)-/.test(location.hash)) { focusField(decodeURIComponent(location.hash.slice(1))); }

    // "Print" links open the browser's print dialog (the print stylesheet hides navigation and forms).
    document.querySelectorAll("[data-print]").forEach(function (link) {
      link.addEventListener("click", function (event) { event.preventDefault(); window.print(); });
    });

    // Prevent a double submission while the first POST is in flight.
    document.querySelectorAll('form[method="post"]').forEach(function (form) {
      form.addEventListener("submit", function () {
        window.setTimeout(function () {
          form.querySelectorAll('button[type="submit"]').forEach(function (b) { b.disabled = true; });
        }, 0);
      });
    });
  });
})();
