// Carta: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // After a failed submission, move focus to the error summary (or the first invalid field)
    // so keyboard and screen-reader users land on what needs fixing.
    var summary = document.getElementById("error-summary");
    var invalid = document.querySelector('[aria-invalid="true"]');
    if (summary) { summary.focus(); } else if (invalid) { invalid.focus(); }

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
