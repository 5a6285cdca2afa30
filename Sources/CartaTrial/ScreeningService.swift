import CartaModel
import CartaCore
import CartaStore
import CartaStudy
import Foundation

/// Screening workflow shared by the web pages, the JSON API and the CLI: register, enter screening
/// data, evaluate eligibility, sign, enrol or record a screen failure.
///
/// Source: issue 2 §6. The store enforces atomicity, versions and the enrolment cap; this service
/// applies the study file's rules (item checks, eligibility) before anything is written.
public struct ScreeningService: Sendable {
    public let store: CartaStore
    public let study: Study

    /// The event under which screening forms are stored (CDISC ODM StudyEventOID).
    public static let screeningEvent = "SCREENING"

    /// A raw entry for one item as typed by a person or sent by a client.
    public struct RawEntry: Sendable, Equatable, Decodable {
        public var value: String
        public var unit: String?
        public var lowerLimitNormal: String?
        public var upperLimitNormal: String?
        public init(value: String, unit: String? = nil, lowerLimitNormal: String? = nil, upperLimitNormal: String? = nil) {
            self.value = value; self.unit = unit; self.lowerLimitNormal = lowerLimitNormal; self.upperLimitNormal = upperLimitNormal
        }
    }

    /// Per-field problems from a form save; nothing was written.
    public struct FormErrors: Error, Sendable {
        /// Messages keyed by item OID (or `item.OID.uln` style field names).
        public let errors: [(field: String, message: String)]
    }

    /// Result of a successful save: the participant (new version) and soft-range warnings by item.
    public struct SaveResult: Sendable {
        public let participant: Participant
        public let warnings: [String: [String]]
    }

    public init(store: CartaStore, study: Study) {
        self.store = store
        self.study = study
    }

    // MARK: registration

    /// Registers a person for screening with a pseudonymous subject ID from the study's pattern.
    ///
    /// Every problem is reported at once (`FormErrors` keyed `full_name`, `date_of_birth`,
    /// `hospital_number`, `site`), so a person fixes the whole form in one pass.
    public func register(fullName: String, dateOfBirth: String, hospitalNumber: String, siteID: String?,
                         today: ClinicalDate, actor: AuditActor) async throws -> Participant {
        var errors: [(field: String, message: String)] = []
        let name = fullName.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty { errors.append(("full_name", "Full name is required.")) }
        if name.count > 200 { errors.append(("full_name", "Full name must be at most 200 characters.")) }
        let dobText = dateOfBirth.trimmingCharacters(in: .whitespaces)
        let dob = ClinicalDate(iso: dobText)
        if let dob {
            if dob > today {
                errors.append(("date_of_birth", "Date of birth \(dob) is in the future."))
            } else if dob.age(on: today) > 120 {
                errors.append(("date_of_birth", "Date of birth \(dob) gives an age over 120 years; check the year."))
            }
        } else {
            errors.append(("date_of_birth", dobText.isEmpty ? "Date of birth is required (YYYY-MM-DD)."
                           : "Date of birth must be a calendar date YYYY-MM-DD (got \"\(dobText)\")."))
        }
        let hospital = hospitalNumber.trimmingCharacters(in: .whitespacesAndNewlines)
        if hospital.isEmpty { errors.append(("hospital_number", "Hospital number is required.")) }
        if hospital.count > 64 { errors.append(("hospital_number", "Hospital number must be at most 64 characters.")) }
        let site = (siteID?.isEmpty == false ? siteID : nil) ?? study.sites.first?.id ?? ""
        if !study.sites.contains(where: { $0.id == site }) {
            errors.append(("site", "Unknown site \"\(site)\"; choose one of \(study.sites.map(\.id).joined(separator: ", "))."))
        }
        guard errors.isEmpty, let dob else { throw FormErrors(errors: errors) }
        let study = self.study
        return try await store.registerParticipant(
            studyID: study.id, siteID: site, subjectID: { study.subjectID(sequence: $0) },
            identity: ParticipantIdentity(fullName: name, dateOfBirth: dob, hospitalNumber: hospital), actor: actor)
    }

    /// The participant with this subject ID, or 404.
    public func participant(_ subjectID: String) async throws -> Participant {
        guard let p = try await store.participant(subjectID: subjectID, studyID: study.id) else {
            throw AppError.notFound("No participant \(subjectID) in study \(study.id).")
        }
        return p
    }

    // MARK: data entry

    /// Checks every entry against the study's item definitions and saves one form; all or nothing.
    public func saveForm(subjectID: String, formOID: String, entries: [String: RawEntry], expectedVersion: Int,
                         reason: String?, actor: AuditActor) async throws -> SaveResult {
        try await saveForms(subjectID: subjectID, forms: [formOID: entries], expectedVersion: expectedVersion,
                            reason: reason, actor: actor)
    }

    /// Checks the entries of several screening forms and saves them in one transaction; any
    /// invalid entry rejects the whole save (`FormErrors`, nothing written).
    public func saveForms(subjectID: String, forms: [String: [String: RawEntry]], expectedVersion: Int,
                          reason: String?, actor: AuditActor) async throws -> SaveResult {
        for formOID in forms.keys where study.form(formOID) == nil {
            throw AppError.notFound("The study has no form \(formOID).")
        }
        let p = try await participant(subjectID)
        guard p.status == .screening else {
            throw AppError(.conflict, code: "invalid_state",
                           message: "\(p.subjectID) is \(p.status.rawValue); screening data can only be changed during screening.")
        }
        let existing = try await store.itemValues(participantID: p.id).filter { $0.address.eventOID == Self.screeningEvent }
        var errors: [(field: String, message: String)] = []
        var warnings: [String: [String]] = [:]
        var writes: [(formOID: String, values: [ItemValueInput])] = []
        for (formOID, entries) in forms.sorted(by: { $0.key < $1.key }) {
            guard let form = study.form(formOID) else { continue }
            var inputs: [ItemValueInput] = []
            for oid in entries.keys.sorted() where form.items.first(where: { $0.oid == oid }) == nil {
                errors.append(("item.\(oid)", "Form \(formOID) has no item \(oid)."))
            }
            for item in form.items {
                guard let entry = entries[item.oid] else { continue }
                switch check(item, entry, hadValue: existing.contains { $0.address.formOID == formOID && $0.address.itemOID == item.oid && $0.valueText != nil }) {
                case .skip: continue
                case .failed(let e): errors += e
                case .ok(let input, let w):
                    if !w.isEmpty { warnings[item.oid] = w }
                    inputs.append(input)
                }
            }
            writes.append((formOID, inputs))
        }
        guard errors.isEmpty else { throw FormErrors(errors: errors) }
        let saved = try await store.saveForms(
            participantID: p.id, eventOID: Self.screeningEvent, forms: writes,
            expectedVersion: expectedVersion, reason: reason?.isEmpty == false ? reason : nil, actor: actor)
        return SaveResult(participant: saved, warnings: warnings)
    }

    enum EntryCheck {
        case skip
        case failed([(field: String, message: String)])
        case ok(ItemValueInput, warnings: [String])
    }

    /// Checks one entry: the value by the item's type, unit and ranges; the reference limits as numbers.
    func check(_ item: ItemDefinition, _ entry: RawEntry, hadValue: Bool) -> EntryCheck {
        let raw = entry.value.trimmingCharacters(in: .whitespacesAndNewlines)
        let unit = entry.unit?.trimmingCharacters(in: .whitespaces)
        if raw.isEmpty {
            if item.required && hadValue {
                return .failed([("item.\(item.oid)", "\(item.label) is required and cannot be cleared; enter the corrected value.")])
            }
            // Clearing a stored value is a change (audited); a blank that was blank is nothing.
            return hadValue ? .ok(ItemValueInput(itemOID: item.oid, valueText: nil), warnings: []) : .skip
        }
        switch item.check(raw: raw, unit: unit?.isEmpty == false ? unit : nil) {
        case .invalid(let message):
            return .failed([("item.\(item.oid)", message)])
        case .valid(let value, let w):
            var errors: [(field: String, message: String)] = []
            var lln: Double?, uln: Double?
            if item.collectsReferenceRange {
                for (name, text) in [("lln", entry.lowerLimitNormal), ("uln", entry.upperLimitNormal)] {
                    let t = (text ?? "").trimmingCharacters(in: .whitespaces)
                    guard !t.isEmpty else { continue }
                    guard let x = Double(t), x.isFinite, x >= 0 else {
                        errors.append(("\(name).\(item.oid)", "\(item.label): the \(name == "lln" ? "lower" : "upper") limit of normal must be a non-negative number (got \"\(t)\")."))
                        continue
                    }
                    if name == "lln" { lln = x } else { uln = x }
                }
                if let lo = lln, let hi = uln, lo > hi {
                    errors.append(("lln.\(item.oid)", "\(item.label): the lower limit of normal \(lo) is above the upper limit \(hi)."))
                }
            }
            guard errors.isEmpty else { return .failed(errors) }
            return .ok(ItemValueInput(
                itemOID: item.oid, valueText: value.text, unitEntered: value.unit,
                valueStandard: value.standardValue, unitStandard: value.standardUnit,
                lowerLimitNormal: lln, upperLimitNormal: uln), warnings: w)
        }
    }

    // MARK: eligibility

    /// Evaluates every eligibility criterion from the stored screening data and the date of birth.
    public func evaluate(_ p: Participant) async throws -> EligibilityEvaluation {
        let values = try await store.itemValues(participantID: p.id)
        var observations: [String: Observation] = [:]
        for v in values {
            guard let item = study.item(v.address.itemOID), let text = v.valueText else { continue }
            let checked = CheckedValue(text: text, number: Double(text), unit: v.unitEntered,
                                       standardValue: v.valueStandard, standardUnit: v.unitStandard)
            if let o = item.observation(of: checked, lowerLimitNormal: v.lowerLimitNormal, upperLimitNormal: v.upperLimitNormal) {
                observations[item.oid] = o
            }
        }
        let dob = try await store.identity(of: p.id)?.dateOfBirth
        return study.evaluateEligibility(study.eligibilityFacts(dateOfBirth: dob, observations: observations))
    }
}
