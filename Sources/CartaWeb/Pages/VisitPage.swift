import CartaCore
import CartaModel
import CartaStudy
import Mustache

/// A visit's data-entry page: the visit's forms (rendered from the study file like the screening
/// forms, with each value's history and a reason for change once saved), its window and status.
///
/// Stable ids: #visit-heading, #visit-window (data-status), #visit-error, #visit-form (posts to the
/// same path), #save-visit, and the items' `item-<OID>` controls as on the participant page.
/// Source: issue 8 scope 6 (forms rendered from the study file) and scope 11 (an error summary).
public enum VisitPage {
    public struct Model: PageModel, Equatable {
        public static let template = "visit"
        public let title: String
        public let subjectId: String
        public let participantPath: String
        public let visitName: String
        public let visitID: String
        /// "Day 7 · 2026-12-27 (window that day) · Due", or what is known before Day 0.
        public let windowText: String
        public let status: String
        public let action: String
        public let csrf: String
        public let version: String
        public let readOnly: Bool
        public let error: String?
        /// Every refused field, in page order, each linking to its control (issue 8 scope 11: an error summary
        /// that lists and links every bad field); empty when nothing was refused.
        public let errorSummary: [RegisterPage.ErrorLink]
        public let hasErrors: Bool
        public let sectionsHTML: String
        /// The dose-calculation panel (its own forms, outside the visit form); empty on other visits.
        public let calculationHTML: String
        /// The participant's open alerts, kept in view beside the form, each linking to its fields (issue 8 scope 11).
        public let alerts: [TodayPage.Alert]
        public let hasAlerts: Bool
    }

    /// What the page is built from.
    public struct Input: Sendable {
        public var file: ParticipantFile
        public var study: Study
        public var visit: VisitDefinition
        public var calendarVisit: CalendarVisit?
        public var role: UserRole
        public var csrf: String
        public var submitted: [String: [String: ParticipantPage.SubmittedEntry]]?
        public var errors: [String: String]
        public var reasons: [String: ParticipantPage.TypedReason]
        public var error: String?
        /// The CTCAE grade text of each saved lab value, by "FORM/ITEM" (`LabGrades.texts`).
        public var grades: [String: String]
        /// The lymphodepletion dose calculation, on the visit that holds it.
        public var dosePanel: DosePanel?
        /// The participant's alerts not yet acknowledged, with where their data are.
        public var alerts: [TodayPage.Alert]
        /// Active queries on this visit's values by item OID, shown beside each field (issue 7 scope 5: "shown on the
        /// field"); each badge leads to the thread on the participant's page.
        public var queryBadges: [String: ParticipantPage.QueryBadge] = [:]

        public init(file: ParticipantFile, study: Study, visit: VisitDefinition, calendarVisit: CalendarVisit?, role: UserRole, csrf: String,
                    submitted: [String: [String: ParticipantPage.SubmittedEntry]]? = nil, errors: [String: String] = [:],
                    reasons: [String: ParticipantPage.TypedReason] = [:], error: String? = nil, grades: [String: String] = [:], dosePanel: DosePanel? = nil,
                    alerts: [TodayPage.Alert] = []) {
            self.file = file; self.study = study; self.visit = visit; self.calendarVisit = calendarVisit; self.role = role; self.csrf = csrf
            self.submitted = submitted; self.errors = errors; self.reasons = reasons; self.error = error; self.grades = grades; self.dosePanel = dosePanel
            self.alerts = alerts
        }
    }

    /// The stored dose calculation as the page shows it, and what the viewer may do with it.
    public struct DosePanel: Sendable {
        /// (label, value) rows: BSA, CrCl, each daily dose, the rules and the values used; empty before a calculation.
        public var rows: [(String, String)]
        public var calculatedBy: String?
        public var verifiedBy: String?
        public var canCalculate: Bool
        public var canVerify: Bool
        /// Where the calculate and verify buttons post.
        public var action: String
        public init(rows: [(String, String)], calculatedBy: String?, verifiedBy: String?, canCalculate: Bool, canVerify: Bool, action: String) {
            self.rows = rows; self.calculatedBy = calculatedBy; self.verifiedBy = verifiedBy; self.canCalculate = canCalculate; self.canVerify = canVerify; self.action = action
        }
    }

    /// The panel as HTML, every text escaped; each button is its own small form with the CSRF token and version.
    static func panelHTML(_ panel: DosePanel?, csrf: String, version: String) -> String {
        guard let panel else { return "" }
        var out = ""
        func e(_ s: String) { HTMLText.escape(s, into: &out) }
        out += "<section id=\"dose-calculation\" class=\"card\" aria-labelledby=\"dose-calculation-title\">\n"
        out += "  <h2 id=\"dose-calculation-title\">Lymphodepletion dose calculation</h2>\n"
        if panel.rows.isEmpty {
            out += "  <p id=\"dose-calculation-status\">No calculation yet. Carta calculates the doses from the latest height, weight and creatinine; a second person verifies them before any dose is given.</p>\n"
        } else {
            out += "  <dl class=\"dose-calculation\">\n"
            for (label, value) in panel.rows { out += "    <dt>"; e(label); out += "</dt><dd>"; e(value); out += "</dd>\n" }
            out += "  </dl>\n  <p id=\"dose-calculation-status\">Calculated by "; e(panel.calculatedBy ?? "")
            if let v = panel.verifiedBy { out += "; verified by "; e(v); out += ".</p>\n" }
            else { out += ". <strong>Not verified yet</strong>: a second person verifies the calculation before lymphodepletion is recorded.</p>\n" }
        }
        for (can, action, id, label) in [(panel.canCalculate, "calculate", "calculate-doses", panel.rows.isEmpty ? "Calculate doses" : "Recalculate doses"),
                                         (panel.canVerify, "verify", "verify-doses", "Verify calculation (second person)")] where can {
            out += "  <form method=\"post\" action=\""; e(panel.action); out += "\" class=\"inline-form\">"
            out += "<input type=\"hidden\" name=\"csrf\" value=\""; e(csrf); out += "\"><input type=\"hidden\" name=\"version\" value=\""; e(version)
            out += "\"><input type=\"hidden\" name=\"action\" value=\"\(action)\"><button id=\"\(id)\" type=\"submit\" class=\"button\">"; e(label); out += "</button></form>\n"
        }
        out += "</section>\n"
        return out
    }

    public static func build(_ input: Input) -> Model {
        let p = input.file.participant
        let event = EventOID(rawValue: input.visit.id)
        let canEdit = p.status == .enrolled && Permission.enterData.allows(input.role) && input.file.lock == nil
        let stored = Dictionary(input.file.values.filter { $0.address.eventOID == event }
            .map { ("\($0.address.formOID)/\($0.address.itemOID)", $0) }, uniquingKeysWith: { a, _ in a })
        let history = Dictionary(grouping: input.file.valueHistory) { e in
            e.field.split(separator: ":", maxSplits: 1).first.map(String.init) ?? e.field
        }
        let site = input.study.sites.first { $0.id == p.siteID.rawValue }
        let sections = input.study.forms.filter { input.visit.forms.contains($0.oid) }
            .sorted { input.visit.forms.firstIndex(of: $0.oid)! < input.visit.forms.firstIndex(of: $1.oid)! }
            .map { form in
                // A computed form (the dose calculation) is shown, never typed: its actions are in the panel above.
                let computed = form.entry == .computed
                // Investigator-only forms (the hold-rule decision): shown to everyone, answerable only with `attestEligibility`.
                let investigatorOnly = canEdit && form.entry == .investigator && !Permission.attestEligibility.allows(input.role)
                let lab = ParticipantPage.laboratoryChoice(form, site: site, submitted: input.submitted?[form.oid])
                return ParticipantPage.FormSection(oid: form.oid, name: form.name, items: form.items.map { item in
                    let saved = stored["\(form.oid)/\(item.oid)"]
                    var reason: ParticipantPage.ChangeReasonField?
                    if canEdit, !computed, !investigatorOnly, saved?.value != nil {
                        let typed = input.reasons[item.oid]
                        reason = ParticipantPage.ChangeReasonField(selected: typed?.code, text: typed?.text ?? "", error: input.errors["reason.\(item.oid)"])
                    }
                    return ParticipantPage.formItem(item, stored: saved, submitted: input.submitted?[form.oid]?[item.oid], errors: input.errors,
                                                    history: history["\(event)/\(form.oid)/\(item.oid)"] ?? [], changeReason: reason,
                                                    grade: input.grades["\(form.oid)/\(item.oid)"],
                                                    laboratory: item.collectsReferenceRange ? site?.referenceRange(item: item.oid, on: input.calendarVisit?.nominalDate, laboratory: lab.chosen) : nil,
                                                    softRangeApplies: input.study.softRangeApplies(item.oid, at: event))
                }, lockedNote: computed ? "Computed by Carta from the latest height, weight and creatinine; use the dose calculation's buttons above, never typed."
                    : investigatorOnly ? "Answered by the investigator or a sub-investigator; your role can read these answers but not change them." : nil,
                laboratories: lab.options)
            }
        let summary = ParticipantPage.errorLinks(sections)
        var window = "Day \(input.visit.day)"
        if let v = input.calendarVisit {
            window += " · \(v.nominalDate)" + (v.earliest == v.latest ? " (no window)" : " (window \(v.earliest) to \(v.latest))")
        } else if input.visit.kind == .procedure {
            window = "Product chain step"
        }
        let status = input.calendarVisit.map { CourseSection.statusText($0.status) } ?? (input.visit.kind == .procedure ? "Product chain" : "Not scheduled yet")
        return Model(
            title: "\(p.subjectID) · \(input.visit.name)", subjectId: p.subjectID.rawValue, participantPath: WebPaths.participant(p.subjectID.rawValue),
            visitName: input.visit.name, visitID: input.visit.id, windowText: window, status: status,
            action: WebPaths.visit(p.subjectID.rawValue, input.visit.id), csrf: input.csrf, version: String(p.version),
            readOnly: !canEdit, error: input.error, errorSummary: summary, hasErrors: !summary.isEmpty,
            sectionsHTML: ParticipantPage.Screening.sectionsHTML(sections, readOnly: !canEdit, queryBadges: input.queryBadges),
            calculationHTML: panelHTML(input.dosePanel, csrf: input.csrf, version: String(p.version)),
            alerts: input.alerts, hasAlerts: !input.alerts.isEmpty)
    }
}

extension VisitPage.Model: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "title": self.title
        case "subjectId": self.subjectId
        case "participantPath": self.participantPath
        case "visitName": self.visitName
        case "visitID": self.visitID
        case "windowText": self.windowText
        case "status": self.status
        case "action": self.action
        case "csrf": self.csrf
        case "version": self.version
        case "readOnly": self.readOnly
        case "error": self.error
        case "errorSummary": self.errorSummary
        case "hasErrors": self.hasErrors
        case "sectionsHTML": self.sectionsHTML
        case "calculationHTML": self.calculationHTML
        case "alerts": self.alerts
        case "hasAlerts": self.hasAlerts
        default: nil
        }
    }
}
