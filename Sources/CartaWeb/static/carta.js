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
    // Only field links move the cursor: a section link (#safety, #eligibility) just scrolls to its heading.
    var toField = function () {
      if (/^#(item|form|reason|lln|uln|unit|confirm)-/.test(location.hash)) { focusField(decodeURIComponent(location.hash.slice(1))); }
    };
    window.addEventListener("hashchange", toField);
    if (!summary) { toField(); }

    // Live derivations on visit forms (issue 8 scope 6): as fields change, the form is posted (with its CSRF token)
    // to the preview route, which checks and grades it without saving; each text replaces the one under its item.
    var visitForm = document.getElementById("visit-form");
    if (visitForm && visitForm.tagName === "FORM" && window.fetch) {
      var timer = null, shown = {};
      visitForm.querySelectorAll('.field__grade[id^="grade-"]').forEach(function (p) { shown[p.id.slice(6)] = true; });
      var previewURL = visitForm.getAttribute("action") + "/preview";
      var refresh = function () {
        var body = new URLSearchParams(new FormData(visitForm));
        fetch(previewURL, { method: "POST", body: body, credentials: "same-origin",
                            headers: { "Content-Type": "application/x-www-form-urlencoded" } })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (data) {
            if (!data || !data.derived) { return; }
            var seen = {};
            Object.keys(data.derived).forEach(function (key) {
              var oid = key.split("/")[1];
              var item = visitForm.querySelector('.item[data-oid="' + CSS.escape(oid) + '"]');
              if (!item) { return; }
              var p = document.getElementById("grade-" + oid);
              if (!p) {
                p = document.createElement("p");
                p.id = "grade-" + oid; p.className = "field__grade";
                var anchor = item.querySelector(":scope > details");
                item.insertBefore(p, anchor);
              }
              p.setAttribute("aria-live", "polite");
              p.setAttribute("data-live", "true");
              p.textContent = data.derived[key];
              seen[oid] = true;
            });
            Object.keys(shown).forEach(function (oid) {
              var p = document.getElementById("grade-" + oid);
              if (!seen[oid] && p) { p.textContent = ""; }
            });
            shown = seen;
          })
          .catch(function () { /* the save still grades; a failed preview changes nothing */ });
      };
      var schedule = function () { window.clearTimeout(timer); timer = window.setTimeout(refresh, 300); };
      visitForm.addEventListener("input", schedule);
      visitForm.addEventListener("change", schedule);
    }

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
