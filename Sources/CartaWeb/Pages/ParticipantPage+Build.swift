import CartaCore
import CartaModel
import CartaStudy
import Foundation

extension ParticipantPage {
    /// What the participant page is built from: records and decisions already made, no database.
    ///
    /// Source: issue 6 scope 4 (page models built from domain records by pure, unit-tested functions).
    public struct Input: Sendable {
        /// The participant's file (identity present only when the viewer may see it; value history included).
        public var file: ParticipantFile
        /// The study (forms and items).
        public var study: Study
        /// The evaluated checklist.
        public var checklist: [ChecklistRow]
        /// Where screening stands and what may happen next.
        public var state: ScreeningState
        /// The viewer's role.
        public var role: UserRole
        /// The viewer's printed name (shown on the signing form).
        public var viewerName: String
        /// The site's name.
        public var siteName: String
        /// Entries the user just posted, by form and item, shown instead of the stored values.
        public var submitted: [String: [String: SubmittedEntry]]?
        /// Field problems from the last save, by field (`item.OID`, `lln.OID`, `uln.OID`).
        public var errors: [String: String]
        /// The reasons for change as typed, by item OID (code and words, echoed after a refused save).
        public var reasons: [String: TypedReason]
        /// Whether the latest signature still covers the data (by content hash; `ScreeningService.signatureStanding`).
        public var signatureStanding: SignatureStanding
        /// Whether the viewer has yet to acknowledge that an electronic signature is legally binding.
        public var viewerNeedsSigningAcknowledgement: Bool
        /// Whether the viewer has a second factor, so signing forms ask for a code.
        public var viewerHasSecondFactor: Bool
        /// The lock covering this casebook or the database, if any (then nothing can be entered).
        public var lock: DataLock?
        /// True after a conflict (someone else saved first): the inputs show the values now saved and
        /// each item whose entry differs says what the user had entered; nothing stale is re-posted.
        public var conflict: Bool
        /// A message about the whole screening form (e.g. a conflict).
        public var screeningError: String?
        /// Active queries by item OID, shown beside each field (issue 7 scope 5: "shown on the field").
        public var queryBadges: [String: QueryBadge] = [:]

        /// Creates the input.
        public init(file: ParticipantFile, study: Study, checklist: [ChecklistRow], state: ScreeningState, role: UserRole,
                    viewerName: String, siteName: String, submitted: [String: [String: SubmittedEntry]]? = nil,
                    errors: [String: String] = [:], reasons: [String: TypedReason] = [:], conflict: Bool = false,
                    screeningError: String? = nil, signatureStanding: SignatureStanding = .valid,
                    viewerNeedsSigningAcknowledgement: Bool = false, viewerHasSecondFactor: Bool = false) {
            self.viewerHasSecondFactor = viewerHasSecondFactor
            self.lock = nil
            self.signatureStanding = signatureStanding
            self.viewerNeedsSigningAcknowledgement = viewerNeedsSigningAcknowledgement
            self.file = file
            self.study = study
            self.checklist = checklist
            self.state = state
            self.role = role
            self.viewerName = viewerName
            self.siteName = siteName
            self.submitted = submitted
            self.errors = errors
            self.reasons = reasons
            self.conflict = conflict
            self.screeningError = screeningError
        }
    }

    /// A reason for change as posted: the code chosen (may be empty) and the words typed.
    public struct TypedReason: Sendable, Equatable {
        public var code: String
        public var text: String
        public init(code: String, text: String) { self.code = code; self.text = text }
    }

    /// One posted entry as typed (value, unit, reference limits).
    public typealias SubmittedEntry = RawEntry

    /// The screening fields a criterion reads (its rule's items; the consent date for an age rule, the date of birth
    /// being identifying and outside the forms), each linking to its control on this page.
    static func criterionFields(_ id: String, study: Study) -> [FieldLink] {
        guard let rule = study.eligibility.criteria.first(where: { $0.id == id })?.rule else { return [] }
        func readsAge(_ r: EligibilityRule) -> Bool {
            switch r {
            case .age: true
            case .all(let rs), .any(let rs): rs.contains(where: readsAge)
            default: false
            }
        }
        let onPage = Set(study.screeningForms.flatMap(\.items).map(\.oid))
        let keys = (readsAge(rule) ? [study.eligibility.consentDateItem] : []) + rule.itemKeys
        let labels = study.itemLabels
        return keys.filter(onPage.contains).map { FieldLink(label: labels[$0] ?? $0, href: "#item-" + $0) }
    }

    /// Builds the participant page: checklist first (what the coordinator needs), then the forms with
    /// each field's audit history, then the actions the viewer's role and the screening state allow.
    public static func build(_ input: Input) -> Model {
        let p = input.file.participant
        let rows = input.checklist
        let criteria = rows.map { row -> Criterion in
            let outcome: Criterion.Outcome
            switch row.result {
            case .met: outcome = .met(row.reason)
            case .notMet: outcome = .notMet(row.reason)
            case .notEvaluable: outcome = .notEvaluable(missing: row.missing.joined(separator: ", "))
            }
            return .init(id: row.id, inclusion: row.kind == "inclusion", text: row.text, outcome: outcome, fields: criterionFields(row.id, study: input.study))
        }
        let verdict: Verdict
        switch input.state.overall {
        case .eligible: verdict = .eligible("Every inclusion criterion is met and no exclusion criterion applies.")
        case .notEligible(let failed):
            // Say why right here (value and threshold), so nobody has to hunt through the table.
            let why = failed.map { id in rows.first { $0.id == id && !$0.reason.isEmpty }?.reason ?? id }
            verdict = .notEligible("Not met: \(why.joined(separator: "; ")).")
        case .incomplete(let open): verdict = .incomplete("Cannot be decided yet: \(open.joined(separator: ", ")) need more data.")
        }
        let signature = input.file.latestDecision.map {
            Signature(
                signedBy: $0.signerName, signedAt: WebFormat.dateTime($0.signedAt),
                decision: $0.decision == .eligible ? "Eligible" : "Not eligible",
                meaning: $0.meaning, contentHash: $0.contentHash, invalidated: input.signatureStanding == .invalidatedByChange)
        }
        let version = String(p.version)
        let subject = p.subjectID.rawValue
        let canEdit = input.state.mayEnterScreeningData && Permission.enterData.allows(input.role) && input.lock == nil
        let lockedNote = input.lock.map { l in
            "\(l.scope == .database ? "The database" : "This casebook") is locked by \(l.lockedByName) (\(WebFormat.dateTime(l.lockedAt))): \(l.reason). Nothing can be changed until a data manager unlocks it."
        }
        let stored = Dictionary(input.file.values.filter { $0.address.eventOID == .screening }
            .map { ("\($0.address.formOID)/\($0.address.itemOID)", $0) }, uniquingKeysWith: { a, _ in a })
        // History by the value's path (before any ":part" suffix), grouped once for the whole page.
        let history = Dictionary(grouping: input.file.valueHistory) { e in
            e.field.split(separator: ":", maxSplits: 1).first.map(String.init) ?? e.field
        }
        let site = input.study.sites.first { $0.id == p.siteID.rawValue }
        // The laboratory range shown is the one in force on the consent date (the date screening data are saved under).
        let screeningDate = input.file.values.first { $0.address.eventOID == .screening && $0.address.itemOID.rawValue == ProductChain.screeningDate }?
            .value.flatMap { ClinicalDate(iso: $0.text) }
        let sections = input.study.screeningForms.map { form in
            // Investigator-only forms (issue 7): shown to everyone, answerable only with `attestEligibility`.
            let locked = canEdit && form.entry == .investigator && !Permission.attestEligibility.allows(input.role)
            let lab = laboratoryChoice(form, site: site, submitted: input.submitted?[form.oid])
            return FormSection(oid: form.oid, name: form.name, items: form.items.map { item in
                let saved = stored["\(form.oid)/\(item.oid)"]
                let posted = input.submitted?[form.oid]?[item.oid]
                var reason: ChangeReasonField?
                if canEdit, !locked, saved?.value != nil {
                    let typed = input.reasons[item.oid]
                    reason = ChangeReasonField(selected: typed?.code, text: typed?.text ?? "", error: input.errors["reason.\(item.oid)"])
                }
                var conflict: String?
                if input.conflict, let posted {
                    let now = saved?.value?.text ?? ""
                    if posted.value.trimmingCharacters(in: .whitespaces) != now {
                        conflict = "You entered \(posted.value.isEmpty ? "nothing" : posted.value); the value now saved is \(now.isEmpty ? "blank" : now) (shown). Enter yours again, with a reason, if it should replace it."
                    }
                }
                return formItem(item, stored: saved, submitted: input.conflict ? nil : posted, errors: input.errors,
                                history: history["\(EventOID.screening)/\(form.oid)/\(item.oid)"] ?? [],
                                changeReason: reason, conflict: conflict,
                                laboratory: item.collectsReferenceRange ? site?.referenceRange(item: item.oid, on: screeningDate, laboratory: lab.chosen) : nil)
            }, lockedNote: locked ? "Answered by the investigator or a sub-investigator; your role can read these answers but not change them." : nil,
               laboratories: lab.options)
        }
        let screening = Screening(
            subjectId: subject, version: version, sections: sections, screeningError: input.screeningError, readOnly: !canEdit,
            lockedNote: lockedNote, queryBadges: input.queryBadges)

        var signForm: SignForm?
        if Permission.signEligibility.allows(input.role) {
            let options: [(value: String, label: String)] = input.state.signableDecisions.map {
                $0 == .eligible ? ("eligible", "Eligible — every criterion met") : ("not_eligible", "Not eligible")
            }
            if !options.isEmpty {
                signForm = .init(subjectId: subject, version: version, decisions: SelectOption.list(options, current: options.first?.value),
                                 meaning: EligibilityDecision.defaultMeaning, signerName: input.viewerName,
                                 needsAcknowledgement: input.viewerNeedsSigningAcknowledgement,
                                 needsCode: input.viewerHasSecondFactor)
            }
        }
        var enrolForm: ActionForm?
        var blocked: String?
        if Permission.enrol.allows(input.role) {
            switch input.state.enrolment {
            case .allowed: enrolForm = .enrol(subjectId: subject, version: version)
            case .needsSignature: blocked = "Enrolment needs the investigator's signed eligibility decision on the current data."
            case .notEligible, .incomplete: blocked = "Enrolment is possible only when every criterion is met."
            case .notScreening: break
            }
        }
        var screenFail: ScreenFailForm?
        if input.state.mayRecordScreenFailure, Permission.enrol.allows(input.role) {
            let suggested = rows.filter { $0.result == .notMet }.map { "\($0.id): \($0.reason)" }.joined(separator: "\n")
            screenFail = .init(subjectId: subject, version: version, reasons: suggested)
        }
        let identity = input.file.identity
        return Model(
            subjectId: subject, status: p.status, site: input.siteName, registeredOn: WebFormat.date(p.createdAt),
            identity: identity.map { .init(fullName: $0.fullName ?? "", dateOfBirth: $0.dateOfBirth?.description ?? "", hospitalNumber: $0.hospitalNumber ?? "") },
            criteria: criteria, verdict: verdict, signature: signature, screening: screening,
            signForm: signForm, enrolForm: enrolForm, enrolBlockedReason: blocked, screenFailForm: screenFail,
            screenFailReasons: p.screenFailureReasons.isEmpty ? nil : p.screenFailureReasons.joined(separator: "; "))
    }

    static func formItem(_ item: ItemDefinition, stored: ItemValue?, submitted: SubmittedEntry?,
                         errors: [String: String], history: [AuditEvent], changeReason: ChangeReasonField? = nil,
                         conflict: String? = nil, grade: String? = nil,
                         laboratory: (laboratory: Laboratory, range: LabReferenceRange)? = nil, softRangeApplies: Bool = true) -> FormItem {
        let kind: FormItem.Kind
        switch item.type {
        case .decimal, .integer: kind = .number
        case .text: kind = .text
        case .date: kind = .date
        case .code: kind = .select
        case .boolean: kind = .yesNo
        }
        func yesNo(_ v: String?) -> String? { item.type == .boolean ? (v == "true" ? "Y" : v == "false" ? "N" : v) : v }
        let storedValue = stored?.value
        let value = yesNo(submitted?.value) ?? yesNo(storedValue?.text) ?? ""
        let unit = submitted?.unit ?? storedValue?.unit ?? (item.collectsReferenceRange ? laboratory?.range.unit : nil) ?? item.unit
        let units = item.acceptedUnits.map { SelectOption(value: $0, label: EligibilityFormat.displayUnit($0).isEmpty ? $0 : EligibilityFormat.displayUnit($0), selected: $0 == unit) }
        func num(_ d: Double?) -> String { d.map { EligibilityFormat.number($0) } ?? "" }
        let range = item.collectsReferenceRange
            ? ReferenceRange(lln: submitted?.lowerLimitNormal ?? num(storedValue?.lowerLimitNormal),
                             uln: submitted?.upperLimitNormal ?? num(storedValue?.upperLimitNormal),
                             laboratory: laboratory.map { $0.range.text(laboratory: $0.laboratory) },
                             llnPlaceholder: laboratory.flatMap { l in unit.flatMap { item.limits(of: l.range, in: $0)?.lln } } ?? "",
                             ulnPlaceholder: laboratory.flatMap { l in unit.flatMap { item.limits(of: l.range, in: $0)?.uln } } ?? "") : nil
        let held = errors["confirm.\(item.oid)"]
        let error = [errors["item.\(item.oid)"], held, errors["lln.\(item.oid)"], errors["uln.\(item.oid)"]].compactMap { $0 }.joined(separator: " ")
        var warning: String?
        if submitted == nil, softRangeApplies, let storedValue, !storedValue.text.isEmpty,
           case .valid(_, let w) = item.check(raw: storedValue.text, unit: storedValue.unit), !w.isEmpty {
            warning = w.joined(separator: " ")
        }
        let hidden: Set<String> = [ItemValuePart.standard.rawValue, ItemValuePart.standardUnit.rawValue]
        let entries = history.filter { e in
            guard let part = e.field.split(separator: ":", maxSplits: 1).dropFirst().first else { return true }
            return !hidden.contains(String(part))
        }.reversed().map { e in
            let suffix = e.field.split(separator: ":").dropFirst().first.map { " (\($0 == "lln" ? "lower limit" : $0 == "uln" ? "upper limit" : String($0)))" } ?? ""
            return HistoryEntry(when: WebFormat.auditTime(e.at), who: e.username, oldValue: (yesNo(e.oldValue) ?? "—") + suffix,
                                newValue: (yesNo(e.newValue) ?? "—") + suffix, reason: e.reason.map(ChangeReason.display(stored:)) ?? "",
                                source: e.source.rawValue)
        }
        return FormItem(
            oid: item.oid, label: item.label, kind: kind, value: value,
            choices: item.type == .code ? SelectOption.list([("", "— choose —")] + item.codeList.map { ($0.code, $0.label) }, current: value) : [],
            units: units, referenceRange: range, error: error.isEmpty ? nil : error, warning: warning,
            help: item.help, loinc: item.loinc, history: entries, changeReason: changeReason, conflict: conflict, grade: grade,
            confirmPrompt: held.map { _ in
                let shownUnit = EligibilityFormat.displayUnit(unit ?? "")
                return "\(value)\(shownUnit.isEmpty ? "" : " " + shownUnit) is right as typed"
            })
    }
}
