import CartaModel
import CartaCore
import CartaStore
import CartaStudy
import CartaWeb
import Foundation

extension CartaServices {
    /// Builds the participant page: checklist first (what the coordinator needs), then the forms
    /// with each field's audit history, then the actions the viewer's role allows.
    func participantModel(_ p: Participant, viewer: User,
                          submitted: [String: [String: ScreeningService.RawEntry]]? = nil,
                          errors: [(field: String, message: String)] = [], reason: String = "",
                          screeningError: String? = nil) async throws -> ParticipantPage.Model {
        let evaluation = try await screening.evaluate(p)
        let rows = screening.checklist(evaluation)
        let decision = try await store.latestEligibilityDecision(participantID: p.id)
        let values = try await store.itemValues(participantID: p.id)
        let history = try await store.auditTrail(entity: "item_value", entityID: p.id.rawValue)
        let identity = Permission.readIdentity.allows(viewer.role) ? try await store.identity(of: p.id) : nil

        let criteria = rows.map { row -> ParticipantPage.Criterion in
            let outcome: ParticipantPage.Criterion.Outcome
            switch row.result {
            case "met": outcome = .met(row.reason)
            case "not_met": outcome = .notMet(row.reason)
            default: outcome = .notEvaluable(missing: row.missing.joined(separator: ", "))
            }
            return .init(id: row.id, inclusion: row.kind == "inclusion", text: row.text, outcome: outcome)
        }
        let verdict: ParticipantPage.Verdict
        switch evaluation.overall {
        case .eligible: verdict = .eligible("Every inclusion criterion is met and no exclusion criterion applies.")
        case .notEligible(let failed):
            // Say why right here (value and threshold), so nobody has to hunt through the table.
            let why = failed.map { id in rows.first { $0.id == id && !$0.reason.isEmpty }?.reason ?? id }
            verdict = .notEligible("Not met: \(why.joined(separator: "; ")).")
        case .incomplete(let open): verdict = .incomplete("Cannot be decided yet: \(open.joined(separator: ", ")) need more data.")
        }
        let current = decision.flatMap { $0.participantVersion == p.version ? $0 : nil }
        let signature = decision.map {
            ParticipantPage.Signature(
                signedBy: $0.signerName, signedAt: WebFormat.dateTime($0.signedAt),
                decision: ($0.decision == .eligible ? "Eligible" : "Not eligible") + ($0.participantVersion == p.version ? "" : " (data changed since — sign again)"),
                meaning: $0.meaning)
        }
        let version = String(p.version)
        let canEdit = p.status == .screening && Permission.enterData.allows(viewer.role)
        let errorByField = Dictionary(errors.map { ($0.field, $0.message) }, uniquingKeysWith: { a, b in a + " " + b })
        let sections = study.forms.map { form in
            ParticipantPage.FormSection(oid: form.oid, name: form.name, items: form.items.map { item in
                formItem(item, stored: values.first { $0.address.formOID == form.oid && $0.address.itemOID == item.oid },
                         submitted: submitted?[form.oid]?[item.oid], errors: errorByField,
                         history: history.filter { $0.field.hasPrefix("\(ScreeningService.screeningEvent)/\(form.oid)/\(item.oid)") })
            })
        }
        let screeningModel = ParticipantPage.Screening(
            subjectId: p.subjectID, version: version, sections: sections, showReason: !values.isEmpty,
            reasonForChange: reason, screeningError: screeningError, readOnly: !canEdit)

        var signForm: ParticipantPage.SignForm?
        if p.status == .screening, Permission.signEligibility.allows(viewer.role) {
            let options: [(value: String, label: String)]
            switch evaluation.overall {
            case .eligible: options = [("eligible", "Eligible — every criterion met")]
            case .notEligible: options = [("not_eligible", "Not eligible")]
            case .incomplete: options = []
            }
            if !options.isEmpty, current == nil {
                signForm = .init(subjectId: p.subjectID, version: version, decisions: SelectOption.list(options, current: options.first?.value),
                                 meaning: ScreeningService.defaultMeaning, signerName: viewer.displayName)
            }
        }
        var enrolForm: ParticipantPage.ActionForm?
        var blocked: String?
        if p.status == .screening, Permission.enrol.allows(viewer.role) {
            if case .eligible = evaluation.overall, current?.decision == .eligible {
                enrolForm = .enrol(subjectId: p.subjectID, version: version)
            } else if case .eligible = evaluation.overall {
                blocked = "Enrolment needs the investigator's signed eligibility decision on the current data."
            } else {
                blocked = "Enrolment is possible only when every criterion is met."
            }
        }
        var screenFail: ParticipantPage.ScreenFailForm?
        if p.status == .screening, Permission.enrol.allows(viewer.role) {
            let suggested = rows.filter { $0.result == "not_met" }.map { "\($0.id): \($0.reason)" }.joined(separator: "\n")
            screenFail = .init(subjectId: p.subjectID, version: version, reasons: suggested)
        }
        return ParticipantPage.Model(
            subjectId: p.subjectID, status: p.status.badge, site: siteName(p.siteID), registeredOn: WebFormat.date(p.createdAt),
            identity: identity.map { .init(fullName: $0.fullName ?? "", dateOfBirth: $0.dateOfBirth?.description ?? "", hospitalNumber: $0.hospitalNumber ?? "") },
            criteria: criteria, verdict: verdict, signature: signature, screening: screeningModel,
            signForm: signForm, enrolForm: enrolForm, enrolBlockedReason: blocked, screenFailForm: screenFail,
            screenFailReasons: p.screenFailureReasons.isEmpty ? nil : p.screenFailureReasons.joined(separator: "; "))
    }

    func formItem(_ item: ItemDefinition, stored: ItemValue?, submitted: ScreeningService.RawEntry?,
                  errors: [String: String], history: [AuditEvent]) -> ParticipantPage.FormItem {
        let kind: ParticipantPage.FormItem.Kind
        switch item.type {
        case .decimal, .integer: kind = .number
        case .text: kind = .text
        case .date: kind = .date
        case .code: kind = .select
        case .boolean: kind = .yesNo
        }
        func yesNo(_ v: String?) -> String? { item.type == .boolean ? (v == "true" ? "Y" : v == "false" ? "N" : v) : v }
        let value = yesNo(submitted?.value) ?? yesNo(stored?.valueText) ?? ""
        let unit = submitted?.unit ?? stored?.unitEntered ?? item.unit
        let units = item.acceptedUnits.map { SelectOption(value: $0, label: EligibilityFormat.displayUnit($0).isEmpty ? $0 : EligibilityFormat.displayUnit($0), selected: $0 == unit) }
        func num(_ d: Double?) -> String { d.map { EligibilityFormat.number($0) } ?? "" }
        let range = item.collectsReferenceRange
            ? ParticipantPage.ReferenceRange(lln: submitted?.lowerLimitNormal ?? num(stored?.lowerLimitNormal),
                                             uln: submitted?.upperLimitNormal ?? num(stored?.upperLimitNormal)) : nil
        let error = [errors["item.\(item.oid)"], errors["lln.\(item.oid)"], errors["uln.\(item.oid)"]].compactMap { $0 }.joined(separator: " ")
        var warning: String?
        if submitted == nil, let stored, let text = stored.valueText, !text.isEmpty,
           case .valid(_, let w) = item.check(raw: text, unit: stored.unitEntered), !w.isEmpty {
            warning = w.joined(separator: " ")
        }
        let entries = history.filter { !$0.field.hasSuffix(":standard") && !$0.field.hasSuffix(":standard_unit") }.reversed().map { e in
            let suffix = e.field.split(separator: ":").dropFirst().first.map { " (\($0 == "lln" ? "lower limit" : $0 == "uln" ? "upper limit" : String($0)))" } ?? ""
            return ParticipantPage.HistoryEntry(when: WebFormat.auditTime(e.at), who: e.username, oldValue: (yesNo(e.oldValue) ?? "—") + suffix,
                                                newValue: (yesNo(e.newValue) ?? "—") + suffix, reason: e.reason ?? "", source: e.source.rawValue)
        }
        return ParticipantPage.FormItem(
            oid: item.oid, label: item.label, kind: kind, value: value,
            choices: item.type == .code ? SelectOption.list([("", "— choose —")] + item.codeList.map { ($0.code, $0.label) }, current: value) : [],
            units: units, referenceRange: range, error: error.isEmpty ? nil : error, warning: warning,
            help: item.help, loinc: item.loinc, history: entries)
    }
}
