extension ParticipantPage.Screening {
    /// The screening form's sections (every item with its controls, reference range, messages and
    /// history) as HTML, written directly instead of through the template engine.
    ///
    /// This part repeats for every item of every form (about sixty on NCT05315778) and was most of the
    /// participant page's rendering time. It writes exactly the bytes the former `{{#sections}}` block of
    /// `participant.mustache` produced (the page snapshots hold it to that), escaping every value with
    /// `HTMLText.escape`. The final newline is the template's.
    /// Source: issue 6 scope 7 (pages rendered without run-time reflection).
    static func sectionsHTML(_ sections: [ParticipantPage.FormSection], readOnly: Bool,
                             queryBadges: [String: ParticipantPage.QueryBadge] = [:]) -> String {
        var out = ""
        out.reserveCapacity(sections.reduce(0) { $0 + $1.items.count } * 1_500)
        var disabled = readOnly ? " disabled" : ""
        func e(_ s: String) { HTMLText.escape(s, into: &out) }
        func options(_ list: [SelectOption], indent: String) {
            for o in list {
                out += indent + "<option value=\""; e(o.value); out += "\""
                if o.selected { out += " selected" }
                out += ">"; e(o.label); out += "</option>\n"
            }
        }
        func described(_ item: ParticipantPage.FormItem) {
            if let d = item.describedBy { out += " aria-describedby=\""; e(d); out += "\"" }
        }
        func loinc(_ item: ParticipantPage.FormItem) {
            if let l = item.loinc { out += " <span class=\"loinc\">LOINC "; e(l); out += "</span>" }
        }
        func input(_ item: ParticipantPage.FormItem, kindAttributes: String, extra: String = "") {
            out += "          <input id=\"item-"; e(item.oid); out += "\" name=\"item."; e(item.oid)
            out += "\" type=\"text\"" + kindAttributes + " value=\""; e(item.value); out += "\"" + extra + " autocomplete=\"off\""
            described(item)
            if item.invalid { out += " aria-invalid=\"true\"" }
            out += disabled + ">\n"
        }
        for section in sections {
            disabled = readOnly || section.lockedNote != nil ? " disabled" : ""
            out += "    <fieldset id=\"form-"; e(section.oid); out += "\" class=\"form-section card\">\n"
            out += "      <legend>"; e(section.name); out += "</legend>\n"
            if let note = section.lockedNote {
                out += "      <p id=\"locked-"; e(section.oid); out += "\" class=\"field__hint form-section__locked\">"; e(note); out += "</p>\n"
            }
            if !section.laboratories.isEmpty {
                out += "      <div class=\"field form-section__laboratory\"><label for=\"laboratory-"; e(section.oid); out += "\">Laboratory that measured these values</label>\n"
                out += "        <select id=\"laboratory-"; e(section.oid); out += "\" name=\"laboratory."; e(section.oid); out += "\" aria-describedby=\"laboratory-help-"
                e(section.oid); out += "\"" + disabled + ">"
                for o in section.laboratories {
                    out += "<option value=\""; e(o.value); out += "\""; if o.selected { out += " selected" }; out += ">"; e(o.label); out += "</option>"
                }
                out += "</select>\n        <p id=\"laboratory-help-"; e(section.oid)
                out += "\" class=\"field__hint\">Its reference ranges fill the limits left blank; limits typed from the report win.</p></div>\n"
            }
            for item in section.items {
                out += "      <div class=\"item"
                if item.invalid { out += " item--invalid" }
                if item.itemWarning != nil { out += " item--warning" }
                out += "\" data-oid=\""; e(item.oid); out += "\">\n"
                if let badge = queryBadges[item.oid] {
                    out += "        <a id=\"query-badge-"; e(item.oid); out += "\" class=\"badge badge--query-open\" href=\""; e(badge.href)
                    out += "\">\(badge.count) active quer\(badge.count == 1 ? "y" : "ies")</a>\n"
                }
                if item.isYesNo {
                    // The group carries `item-<OID>` (its radios are `item-<OID>-<value>`), so links to the item work for yes/no items too.
                    out += "        <fieldset id=\"item-"; e(item.oid); out += "\" class=\"item__choice\""; described(item); out += ">\n"
                    out += "          <legend class=\"item__label\">"; e(item.label); loinc(item); out += "</legend>\n"
                    for c in item.choices {
                        out += "          <label class=\"radio\"><input type=\"radio\" id=\"item-"; e(item.oid); out += "-"; e(c.value)
                        out += "\" name=\"item."; e(item.oid); out += "\" value=\""; e(c.value); out += "\""
                        if c.selected { out += " checked" }
                        out += disabled + "> "; e(c.label); out += "</label>\n"
                    }
                    out += "        </fieldset>\n"
                } else {
                    out += "        <label class=\"item__label\" for=\"item-"; e(item.oid); out += "\">"; e(item.label); loinc(item); out += "</label>\n"
                    out += "        <div class=\"item__controls\">\n"
                    if item.isNumber { input(item, kindAttributes: " inputmode=\"decimal\" data-kind=\"number\"") }
                    if item.isText { input(item, kindAttributes: " data-kind=\"text\"") }
                    if item.isDate {
                        input(item, kindAttributes: " data-kind=\"date\"",
                              extra: " placeholder=\"YYYY-MM-DD\" pattern=\"[0-9]{4}-[0-9]{2}-[0-9]{2}\"")
                    }
                    if item.isSelect {
                        out += "          <select id=\"item-"; e(item.oid); out += "\" name=\"item."; e(item.oid); out += "\" data-kind=\"select\""
                        described(item)
                        if item.invalid { out += " aria-invalid=\"true\"" }
                        out += disabled + ">\n"
                        out += "            <option value=\"\">— choose —</option>\n"
                        options(item.choices, indent: "            ")
                        out += "          </select>\n"
                    }
                    if item.hasUnitChoice {
                        out += "          <label class=\"visually-hidden\" for=\"unit-"; e(item.oid); out += "\">Unit for "; e(item.label); out += "</label>\n"
                        out += "          <select id=\"unit-"; e(item.oid); out += "\" name=\"unit."; e(item.oid); out += "\" class=\"item__unit\"" + disabled + ">\n"
                        options(item.units, indent: "            ")
                        out += "          </select>\n"
                    }
                    out += "          "
                    if let f = item.fixedUnit { out += "<span class=\"item__unit item__unit--fixed\">"; e(f); out += "</span>" }
                    out += "\n        </div>\n"
                }
                if let r = item.referenceRange {
                    out += "        <div class=\"item__range\" role=\"group\" aria-label=\"Reference range for "; e(item.label); out += "\">\n"
                    out += "          <span class=\"item__range-title\">Lab reference range</span>\n"
                    out += "          <label for=\"lln-"; e(item.oid); out += "\">LLN</label>\n"
                    out += "          <input id=\"lln-"; e(item.oid); out += "\" name=\"lln."; e(item.oid)
                    out += "\" type=\"text\" inputmode=\"decimal\" value=\""; e(r.lln); out += "\""
                    if !r.llnPlaceholder.isEmpty { out += " placeholder=\""; e(r.llnPlaceholder); out += "\"" }
                    out += " autocomplete=\"off\"" + disabled + ">\n"
                    out += "          <label for=\"uln-"; e(item.oid); out += "\">ULN</label>\n"
                    out += "          <input id=\"uln-"; e(item.oid); out += "\" name=\"uln."; e(item.oid)
                    out += "\" type=\"text\" inputmode=\"decimal\" value=\""; e(r.uln); out += "\""
                    if !r.ulnPlaceholder.isEmpty { out += " placeholder=\""; e(r.ulnPlaceholder); out += "\"" }
                    out += " autocomplete=\"off\"" + disabled + ">\n"
                    if let lab = r.laboratory {
                        out += "          <span id=\"labrange-"; e(item.oid); out += "\" class=\"field__hint item__lab-range\">Site laboratory: "; e(lab)
                        out += " — used when both boxes are left blank; type the report's own range if it differs.</span>\n"
                    }
                    out += "        </div>\n"
                }
                out += "        "
                if let h = item.helpText { out += "<p id=\"help-"; e(item.oid); out += "\" class=\"field__hint\">"; e(h); out += "</p>" }
                out += "\n        "
                if let err = item.itemError {
                    out += "<p id=\"error-"; e(item.oid); out += "\" class=\"field__error\"><span aria-hidden=\"true\">✕</span> "; e(err); out += "</p>"
                }
                if let c = item.confirmPrompt, disabled.isEmpty {
                    out += "\n        <label class=\"checkbox item__confirm\"><input id=\"confirm-"; e(item.oid); out += "\" name=\"confirm."; e(item.oid)
                    out += "\" type=\"checkbox\" value=\"1\"> "; e(c); out += "</label>"
                }
                out += "\n        "
                if let w = item.itemWarning {
                    out += "<p id=\"warning-"; e(item.oid); out += "\" class=\"field__warning\"><span aria-hidden=\"true\">!</span> Warning: "; e(w); out += "</p>"
                }
                if let g = item.grade {
                    out += "\n        <p id=\"grade-"; e(item.oid); out += "\" class=\"field__grade\">"; e(g); out += "</p>"
                }
                if let c = item.conflict {
                    out += "\n        <p id=\"conflict-"; e(item.oid); out += "\" class=\"field__warning item__conflict\"><span aria-hidden=\"true\">!</span> "; e(c); out += "</p>"
                }
                if let r = item.changeReason, disabled.isEmpty {
                    out += "\n        <details id=\"reason-box-"; e(item.oid); out += "\" class=\"item__reason\""
                    if r.open { out += " open" }
                    out += ">\n          <summary id=\"reason-summary-"; e(item.oid); out += "\">Reason for change</summary>\n"
                    out += "          <label for=\"reason-"; e(item.oid); out += "\">Why "; e(item.label); out += " changes</label>\n"
                    out += "          <select id=\"reason-"; e(item.oid); out += "\" name=\"reason."; e(item.oid); out += "\""
                    if r.error != nil { out += " aria-invalid=\"true\" aria-describedby=\"error-reason-"; e(item.oid); out += "\"" }
                    out += ">\n"
                    options(r.codes, indent: "            ")
                    out += "          </select>\n"
                    out += "          <label for=\"reason-text-"; e(item.oid); out += "\">In your words <span class=\"field__optional\">(required for “Other”)</span></label>\n"
                    out += "          <input id=\"reason-text-"; e(item.oid); out += "\" name=\"reasonText."; e(item.oid)
                    out += "\" type=\"text\" maxlength=\"500\" value=\""; e(r.text); out += "\" autocomplete=\"off\">\n"
                    if let err = r.error {
                        out += "          <p id=\"error-reason-"; e(item.oid); out += "\" class=\"field__error\"><span aria-hidden=\"true\">✕</span> "; e(err); out += "</p>\n"
                    }
                    out += "        </details>"
                }
                out += "\n        <details id=\"history-"; e(item.oid); out += "\" class=\"history\">\n"
                out += "          <summary>History <span class=\"history__count\">(" + String(item.historyCount) + ")</span></summary>\n"
                if item.hasHistory {
                    out += "          <table class=\"table table--compact history__table\">\n"
                    out += "            <thead><tr><th scope=\"col\">When, who, source</th><th scope=\"col\">Change (old → new)</th><th scope=\"col\">Reason</th></tr></thead>\n"
                    out += "            <tbody>\n"
                    for h in item.history {
                        out += "              <tr><td><time>"; e(h.when); out += "</time><br><span class=\"history__who\">"; e(h.who)
                        out += "</span> <span class=\"tag\">"; e(h.source); out += "</span></td><td><span class=\"old\">"; e(h.oldValue)
                        out += "</span> <span aria-hidden=\"true\">→</span><span class=\"visually-hidden\">changed to</span> <span class=\"new\">"
                        e(h.newValue); out += "</span></td><td>"; e(h.reason); out += "</td></tr>\n"
                    }
                    out += "            </tbody>\n"
                    out += "          </table>\n"
                }
                out += "          "
                if !item.hasHistory { out += "<p class=\"empty\">No changes recorded.</p>" }
                out += "\n        </details>\n"
                out += "      </div>\n"
            }
            out += "    </fieldset>\n"
        }
        if out.hasSuffix("\n") { out.removeLast() }
        return out
    }
}
