import CartaCore
import CartaModel
import CartaStore
import CartaStudy
import Foundation

/// Screening workflow shared by the web pages, the JSON API and the CLI: register, enter screening
/// data, evaluate eligibility, sign, enrol or record a screen failure.
///
/// Source: issue 2 §6; issue 6 scope 1. The store enforces atomicity, versions and the enrolment cap;
/// this service applies the study file's rules (item checks, eligibility) before anything is written,
/// and refuses with a `WorkflowError` that names the field and the rule.
public struct ScreeningService: Sendable {
    public let store: CartaStore
    public let study: Study
    public let clock: SiteClock

    /// The event under which screening forms are stored (CDISC ODM StudyEventOID).
    public static let screeningEvent: EventOID = .screening

    /// An entry as typed (the model's `RawEntry`).
    public typealias RawEntry = CartaModel.RawEntry

    /// Result of a successful save: the participant (new version) and soft-range warnings by item.
    public struct SaveResult: Sendable {
        public let participant: Participant
        public let warnings: [String: [String]]
    }

    /// Item definitions by OID, built once (a study's items are looked up for every stored value).
    let itemsByOID: [String: ItemDefinition]

    public init(store: CartaStore, study: Study, clock: SiteClock) {
        self.store = store
        self.study = study
        self.clock = clock
        self.itemsByOID = Dictionary(study.allItems.map { ($0.oid, $0) }, uniquingKeysWith: { first, _ in first })
    }

    // MARK: registration

    /// Registers a person for screening with a pseudonymous subject ID from the study's pattern.
    ///
    /// Every problem is reported at once (fields `full_name`, `date_of_birth`, `hospital_number`, `site`),
    /// so a person fixes the whole form in one pass. The date of birth is checked against the site's today.
    public func register(fullName: String, dateOfBirth: String, hospitalNumber: String, siteID: String?,
                         by principal: Principal) async throws -> Participant {
        try principal.require(.registerParticipant)
        let today = clock.today
        var errors: [WorkflowError.FieldProblem] = []
        func problem(_ field: String, _ message: String) { errors.append(.init(field: field, message: message)) }
        let name = fullName.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty { problem("full_name", "Full name is required.") }
        if name.count > 200 { problem("full_name", "Full name must be at most 200 characters.") }
        if name.hasControlOrInvisibleCharacters() {
            problem("full_name", "Full name contains control or invisible characters (e.g. NUL, zero-width space); retype it.")
        }
        let dobText = dateOfBirth.trimmingCharacters(in: .whitespaces)
        let dob = ClinicalDate(iso: dobText)
        if let dob {
            if dob > today {
                problem("date_of_birth", "Date of birth \(dob) is in the future.")
            } else if dob.age(on: today) > 120 {
                problem("date_of_birth", "Date of birth \(dob) gives an age over 120 years; check the year.")
            }
        } else {
            problem("date_of_birth", dobText.isEmpty ? "Date of birth is required (YYYY-MM-DD)."
                    : "Date of birth must be a calendar date YYYY-MM-DD (got \(dobText.quotedForMessage)).")
        }
        let hospital = hospitalNumber.trimmingCharacters(in: .whitespacesAndNewlines)
        if hospital.isEmpty { problem("hospital_number", "Hospital number is required.") }
        if hospital.count > 64 { problem("hospital_number", "Hospital number must be at most 64 characters.") }
        if hospital.hasControlOrInvisibleCharacters() {
            problem("hospital_number", "Hospital number contains control or invisible characters; retype it.")
        }
        // Without a choice, the first of the study's sites that the user belongs to.
        let reachable = study.sites.map(\.id).filter { principal.reaches(SiteID($0)) }
        let site = (siteID?.isEmpty == false ? siteID : nil) ?? reachable.first ?? ""
        if !study.sites.contains(where: { $0.id == site }) {
            problem("site", "Unknown site \"\(site)\"; choose one of \(reachable.joined(separator: ", ")).")
        } else if !principal.reaches(SiteID(site)) {
            problem("site", "You do not belong to site \(site); register at one of your sites (\(principal.user.sites.description)).")
        }
        guard errors.isEmpty, let dob else { throw WorkflowError.invalidInput(errors) }
        let study = self.study
        return try await mapped {
            try await store.registerParticipant(
                studyID: StudyID(study.id), siteID: SiteID(site), subjectID: { SubjectID(study.subjectID(sequence: $0)) },
                identity: ParticipantIdentity(fullName: name, dateOfBirth: dob, hospitalNumber: hospital), actor: principal.actor)
        }
    }

    /// A warning when `hospitalNumber` is already registered in the study (other than `except`), naming the
    /// participants the principal may see — the same person may be about to be registered twice. A match at a
    /// site the principal does not reach is said without naming it.
    ///
    /// Source: issue 8 scope 11.
    public func hospitalNumberWarning(_ hospitalNumber: String, except: SubjectID?, by principal: Principal) async throws -> String? {
        try principal.require(.registerParticipant)
        let matches = try await store.participants(withHospitalNumber: hospitalNumber, studyID: StudyID(study.id)).filter { $0.subjectID != except }
        guard !matches.isEmpty else { return nil }
        let named = matches.filter { principal.reaches($0.siteID) }.map(\.subjectID.rawValue)
        let hidden = matches.count - named.count
        let whom = (named + (hidden > 0 ? ["\(hidden.counted("participant")) at another site"] : [])).joined(separator: ", ")
        // The number itself is not repeated: the warning travels in a flash cookie and a response header.
        return "This hospital number is already registered in this study for \(whom); check that this is not the same person before screening goes on."
    }

    /// The participant with this subject ID, or `notFound` — also when it belongs to a site the
    /// principal does not reach, so that subject IDs of other sites cannot be probed.
    public func participant(_ subjectID: SubjectID, by principal: Principal) async throws -> Participant {
        try principal.require(.readStudyData)
        guard let p = try await store.participant(subjectID: SubjectID(study.canonicalSubjectID(subjectID.rawValue)), studyID: StudyID(study.id)),
              principal.reaches(p.siteID) else {
            throw notFound(subjectID)
        }
        return p
    }

    /// The participant's whole file in at most three statements, or `notFound` (unknown, or at a site
    /// the principal does not reach). Identity only when asked for and the role may read it; value
    /// history only when a page shows it.
    public func file(_ subjectID: SubjectID, by principal: Principal, identity: Bool = false,
                     history: Bool = false) async throws -> ParticipantFile {
        try principal.require(.readStudyData)
        guard let f = try await store.participantFile(subjectID: SubjectID(study.canonicalSubjectID(subjectID.rawValue)), studyID: StudyID(study.id),
                                                      includeIdentity: identity && principal.may(.readIdentity),
                                                      includeHistory: history),
              principal.reaches(f.participant.siteID) else {
            throw notFound(subjectID)
        }
        return f
    }

    /// Every participant's file at the principal's sites (no identity, no history) in a fixed number of statements.
    public func files(by principal: Principal) async throws -> [ParticipantFile] {
        try principal.require(.readStudyData)
        return try await store.participantFiles(studyID: StudyID(study.id), sites: principal.user.sites.listed)
    }

    /// The participants at the principal's sites, in subject order (one statement).
    public func participants(by principal: Principal) async throws -> [Participant] {
        try principal.require(.readStudyData)
        return try await store.participants(studyID: StudyID(study.id), sites: principal.user.sites.listed)
    }

    /// A date after the site's today in an item that records what happened (not `futureAllowed`): a visit, consent or
    /// dose dated in the future is most likely a mistyped date, and it places visits, windows and deviations wrongly (a
    /// visit dated next month was saved silently and reported "37 days late"). Said as a warning with the save, like a
    /// value outside its expected range. (Refusing it outright needs the trial-conduct test fixtures, which date courses
    /// after the real today, moved onto a test clock first.)
    func futureDateProblem(_ item: ItemDefinition, _ value: MeasuredValue?) -> String? {
        guard item.type == .date, !item.futureAllowed, let text = value?.text, let date = ClinicalDate(iso: text) else { return nil }
        let today = clock.today
        guard date > today else { return nil }
        return "\(item.label) \(text) is after today (\(today)); please confirm: it should be the date it happened"
    }

    /// A saved value as people read it: "95 g/L", or "blank".
    static func describe(_ value: MeasuredValue) -> String {
        value.text.isEmpty ? "blank" : value.text + (value.unit.map { " \($0)" } ?? "")
    }

    func notFound(_ subjectID: SubjectID) -> WorkflowError {
        WorkflowError(.notFound, "No participant \(subjectID.rawValue.shortenedForMessage) in study \(study.id) at your sites.")
    }

    // MARK: data entry

    /// Checks the entries of several screening forms and saves them in one transaction; any
    /// invalid entry rejects the whole save (`invalidInput` naming each field, nothing written).
    ///
    /// Every change to a saved value needs a reason (issue 7 scope 3; R-RC-1): the entry's own, else
    /// `reason` for the whole request (API and CLI); a change without one is refused as field
    /// `reason.<OID>`, naming the value it would change.
    ///
    /// `enteredAt` is when the data were entered on a device that saved them later (offline capture): ISO 8601
    /// with its UTC offset, not ahead of the server by more than `deviceClockTolerance` and not older than
    /// `offlineEntryLimit`; it is audited beside the server's receipt time (standards.md R-TS-1).
    public func saveForms(subjectID: SubjectID, forms: [String: [String: RawEntry]], expectedVersion: Int,
                          reason: ChangeReason? = nil, enteredAt: String? = nil, by principal: Principal) async throws -> SaveResult {
        let screeningForms = Set(study.screeningForms.map(\.oid))
        return try await saveEventForms(subjectID: subjectID, eventOID: Self.screeningEvent, forms: forms, expectedVersion: expectedVersion,
                                        reason: reason, enteredAt: enteredAt, by: principal) { file, _ in
            for formOID in forms.keys where !screeningForms.contains(formOID) {
                throw WorkflowError(.invalidState, "\(formOID) is not a screening form; it is recorded at a visit (PUT …/events/{visit}/forms/\(formOID)).")
            }
            guard file.participant.status == .screening else {
                throw WorkflowError(.invalidState, "\(file.participant.subjectID) is \(file.participant.status.rawValue); screening data can only be changed during screening.")
            }
            return []
        }
    }

    /// Saves the entries of several forms of one event in one transaction, after `admit` has accepted
    /// the participant's state and the order of events (it sees the file and the checked writes, and
    /// returns warnings to pass on). Shared by screening and the visits after enrolment.
    func saveEventForms(subjectID: SubjectID, eventOID: EventOID, forms: [String: [String: RawEntry]], expectedVersion: Int,
                        reason: ChangeReason?, enteredAt: String?, by principal: Principal, computedWrite: Bool = false,
                        admit: (ParticipantFile, [(formOID: FormOID, values: [ItemValueInput])]) throws -> [String]) async throws -> SaveResult {
        try principal.require(.enterData)
        let deviceTime = try enteredAt.map(checkedDeviceTime)
        var forms = forms
        for (formOID, entries) in forms {
            guard let form = study.form(formOID) else { throw WorkflowError(.notFound, "The study has no form \(formOID).") }
            if form.entry == .computed, !computedWrite {
                // Blank fields of a computed form (a page's read-only copy) carry nothing; any value is refused.
                if entries.values.contains(where: { !$0.value.trimmingCharacters(in: .whitespaces).isEmpty }) {
                    throw WorkflowError(.forbidden, "\(form.name) (\(formOID)) is computed by Carta, never typed; use its calculate and verify actions. Nothing was saved.")
                }
                forms[formOID] = nil
            }
            if form.entry == .investigator, !principal.may(.attestEligibility) {
                throw WorkflowError(.forbidden, "\(form.name) (\(formOID)) is answered by the investigator: \(Permission.attestEligibility.refusal) Nothing was saved.")
            }
        }
        let file = try await file(subjectID, by: principal)
        let p = file.participant
        // A stale form is a conflict before anything else: its reasons were given against values that
        // may no longer be the saved ones (the store repeats this check atomically).
        _ = try admit(file, [])
        guard p.version == expectedVersion else {
            throw WorkflowError(.conflict, "participant \(p.subjectID) was changed by \(p.updatedBy) (version \(p.version), your form had version \(expectedVersion)); nothing was saved — check the values now saved and re-enter your changes")
        }
        let existing = file.values.filter { $0.address.eventOID == eventOID }
        var errors: [WorkflowError.FieldProblem] = []
        var warnings: [String: [String]] = [:]
        var writes: [(formOID: FormOID, values: [ItemValueInput])] = []
        if let problem = reason?.problem { errors.append(.init(field: "reason", message: "Reason for change: \(problem).")) }
        // The visit's date (for the laboratory range in force) is found once per save, and only if a lab item is posted.
        let postsLabItems = forms.contains { f, entries in study.form(f)?.items.contains { $0.collectsReferenceRange && entries[$0.oid] != nil } == true }
        let date = postsLabItems ? eventDate(eventOID, file: file, forms: forms) : clock.today
        for (formOID, entries) in forms.sorted(by: { $0.key < $1.key }) {
            guard let form = study.form(formOID) else { continue }
            var inputs: [ItemValueInput] = []
            for oid in entries.keys.sorted() where form.items.first(where: { $0.oid == oid }) == nil {
                errors.append(.init(field: "item.\(oid)", message: "Form \(formOID) has no item \(oid)."))
            }
            for item in form.items {
                guard var entry = entries[item.oid] else { continue }
                if let lab = entry.laboratory, let problem = laboratoryProblem(lab, item: item, site: p.siteID) {
                    errors.append(.init(field: "laboratory.\(formOID)", message: problem))
                    continue
                }
                fillReferenceRange(&entry, item: item, site: p.siteID, on: date)
                let saved = existing.first { $0.address.formOID.rawValue == formOID && $0.address.itemOID.rawValue == item.oid }?.value
                if let problem = entry.reason?.problem {
                    errors.append(.init(field: "reason.\(item.oid)", message: "\(item.label): reason for change: \(problem)."))
                }
                // Only body measurements are compared with the last value (`ItemDefinition.stableAnalytes`): no scan for other items.
                let previous = item.analyte.map(ItemDefinition.stableAnalytes.contains) == true ? previousValue(of: item.oid, before: eventOID, in: file) : nil
                switch EntryCheck.check(item, entry, saved: saved, previous: previous) {
                case .skip: continue
                case .failed(let e): errors += e
                case .ok(var input, var w):
                    // Only soft-range warnings come from the check: none where the study file expects values outside it.
                    if !study.softRangeApplies(item.oid, at: eventOID) { w = [] }
                    if let problem = futureDateProblem(item, input.value) { w.append(problem) }
                    if let saved, input.value != saved {
                        guard let why = entry.reason ?? reason else {
                            errors.append(.init(field: "reason.\(item.oid)", message: "\(item.label) was \(Self.describe(saved)); changing it needs a reason for change (\(ChangeReason.codeList)). Nothing was saved."))
                            continue
                        }
                        input.reason = why.stored
                    }
                    if !w.isEmpty { warnings[item.oid] = w }
                    inputs.append(input)
                }
            }
            writes.append((FormOID(formOID), inputs))
        }
        guard errors.isEmpty else { throw WorkflowError.invalidInput(errors) }
        let orderWarnings = try admit(file, writes)
        if !orderWarnings.isEmpty { warnings["order", default: []] += orderWarnings }
        // The edit checks read the values as they will be after this save.
        var merged = Dictionary(file.values.map { ($0.address, $0) }, uniquingKeysWith: { a, _ in a })
        for (formOID, inputs) in writes {
            for input in inputs {
                let address = ItemAddress(eventOID: eventOID, formOID: formOID, itemOID: input.itemOID, repeatKey: input.repeatKey)
                merged[address] = ItemValue(participantID: p.id, address: address, value: input.value, updatedAt: clock.now,
                                            updatedBy: principal.user.username)
            }
        }
        let findings = study.editCheckFindings(Array(merged.values), eventOrder: study.schedule.eventOrder)
        let saved = try await mapped {
            try await store.saveForms(
                participantID: p.id, eventOID: eventOID, forms: writes,
                expectedVersion: expectedVersion, reason: nil, actor: principal.actor,
                allowed: eventOID == Self.screeningEvent ? [.screening] : [.enrolled], editCheckFindings: findings,
                deviceEnteredAt: deviceTime)
        }
        return SaveResult(participant: saved, warnings: warnings)
    }

    /// The value of `itemOID` entered last at another event, with where it was — the reference of the unit-slip
    /// check (a weight of 140 "kg" after 63.5 kg). Entry time, not visit date: it is the value the person last saw.
    func previousValue(of itemOID: String, before eventOID: EventOID, in file: ParticipantFile) -> (value: MeasuredValue, where: String)? {
        let last = file.values.filter { $0.address.itemOID.rawValue == itemOID && $0.address.eventOID != eventOID && $0.value?.standardValue != nil }
            .max { $0.updatedAt < $1.updatedAt }
        guard let last, let value = last.value else { return nil }
        let visit = last.address.eventOID == Self.screeningEvent ? study.schedule.visits.first : study.schedule.visit(last.address.eventOID.rawValue)
        return (value, visit?.name ?? last.address.eventOID.rawValue)
    }

    /// A lab value entered without its reference limits takes the site laboratory's range in force on the visit's
    /// date (converted to the unit the value is entered in); limits typed from the report always win.
    /// Source: issue 8 scope 11 (reference ranges held once per site and laboratory, with the dates they apply from).
    func fillReferenceRange(_ entry: inout RawEntry, item: ItemDefinition, site: SiteID, on date: ClinicalDate) {
        guard item.collectsReferenceRange, !entry.value.trimmedOfWhitespace(newlines: false).isEmpty,
              (entry.lowerLimitNormal ?? "").trimmedOfWhitespace(newlines: false).isEmpty,
              (entry.upperLimitNormal ?? "").trimmedOfWhitespace(newlines: false).isEmpty,
              let found = study.sites.first(where: { $0.id == site.rawValue })?.referenceRange(item: item.oid, on: date, laboratory: entry.laboratory),
              let limits = item.limits(of: found.range, in: entry.unit.flatMap { $0.trimmedOfWhitespace(newlines: false).isEmpty ? nil : $0 } ?? item.unit ?? found.range.unit) else { return }
        entry.lowerLimitNormal = limits.lln
        entry.upperLimitNormal = limits.uln
    }

    /// Why a value cannot name `laboratory`: it is not one of the site's laboratories, or the item keeps no range.
    func laboratoryProblem(_ laboratory: String, item: ItemDefinition, site: SiteID) -> String? {
        let labs = study.sites.first { $0.id == site.rawValue }?.laboratories ?? []
        guard item.collectsReferenceRange else { return "\(item.label) is not a laboratory value; it takes no laboratory (\"\(laboratory)\")." }
        guard labs.contains(where: { $0.id == laboratory }) else {
            return "\(item.label): laboratory \"\(laboratory)\" is not one of the site's laboratories"
                + (labs.isEmpty ? " (the site keeps none in the study file)." : " (\(labs.map { "\($0.id) — \($0.name)" }.joined(separator: ", "))).")
        }
        return nil
    }

    /// The date of `eventOID` as this save will have it: a visit-date item posted now, else the one recorded, else today.
    func eventDate(_ eventOID: EventOID, file: ParticipantFile, forms: [String: [String: RawEntry]]) -> ClinicalDate {
        let dateItems = eventOID == Self.screeningEvent ? [ProductChain.screeningDate] : ProductChain.visitDateItems
        for entries in forms.values {
            for (oid, e) in entries where dateItems.contains(oid) {
                if let d = ClinicalDate(iso: e.value.trimmingCharacters(in: .whitespaces)) { return d }
            }
        }
        if eventOID == Self.screeningEvent,
           let consent = file.values.first(where: { $0.address.eventOID == eventOID && $0.address.itemOID.rawValue == ProductChain.screeningDate })?.value?.text,
           let d = ClinicalDate(iso: consent) { return d }
        return ProductChainState(values: file.values, study: study).visitDates[eventOID.rawValue] ?? clock.today
    }

    /// How far a device's clock may run ahead of the server's.
    public static let deviceClockTolerance: TimeInterval = 5 * 60
    /// How long data may wait on a device before they are saved.
    public static let offlineEntryLimit: TimeInterval = 30 * 24 * 3600

    /// The device entry time as given (ISO 8601 with an offset), after checking it is plausible.
    ///
    /// Source: standards.md R-TS-1 ("device-local entry time and server receipt time both kept"); ICH E6(R3)
    /// 4.2.2(d) (unambiguous timestamps: the offset is required).
    func checkedDeviceTime(_ text: String) throws -> String {
        let t = text.trimmingCharacters(in: .whitespaces)
        let plain = ISO8601DateFormatter()
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard t.count <= 40, t.contains("T"), t.hasSuffix("Z") || t.suffix(6).first == "+" || t.suffix(6).first == "-",
              let date = plain.date(from: t) ?? fractional.date(from: t) else {
            throw WorkflowError.invalid("enteredAt", "enteredAt must be the device's date and time with its UTC offset, e.g. 2026-12-05T14:30:00+08:00 (got \(text.quotedForMessage)).")
        }
        let now = clock.now
        if date.timeIntervalSince(now) > Self.deviceClockTolerance {
            throw WorkflowError.invalid("enteredAt", "enteredAt \(t) is ahead of the server's clock by more than \(Int(Self.deviceClockTolerance / 60)) minutes: set the device's clock. Nothing was saved.")
        }
        if now.timeIntervalSince(date) > Self.offlineEntryLimit {
            throw WorkflowError.invalid("enteredAt", "enteredAt \(t) is more than \(Int(Self.offlineEntryLimit / 86_400)) days old: enter these data again from the source. Nothing was saved.")
        }
        return t
    }

    // MARK: eligibility

    /// Evaluates every eligibility criterion from a participant's stored screening data and date of birth. Pure.
    public func evaluate(_ file: ParticipantFile) -> EligibilityEvaluation {
        var observations: [String: Observation] = [:]
        // Screening values only: the same items are measured again after enrolment (haemoglobin, ANC, creatinine at
        // lymphodepletion and every visit), and eligibility is judged on the screening results, whatever order the
        // values come in (ClinicalTrials.gov NCT05315778: the criteria are met at screening, before enrolment).
        for v in file.values where v.address.eventOID == Self.screeningEvent {
            guard let item = itemsByOID[v.address.itemOID.rawValue], let value = v.value else { continue }
            if let o = item.observation(of: value) {
                observations[item.oid] = o
            }
        }
        return study.evaluateEligibility(study.eligibilityFacts(dateOfBirth: file.dateOfBirth, observations: observations))
    }

    /// The checklist rows of an evaluation, with missing data named by its labels.
    public func checklist(_ evaluation: EligibilityEvaluation) -> [ChecklistRow] {
        ChecklistRow.rows(evaluation, describe: study.describeMissing)
    }

    /// A participant's screening state: next step, whether a decision may be signed, whether enrolment is possible.
    public func state(_ file: ParticipantFile) -> ScreeningState {
        state(file, evaluation: evaluate(file))
    }

    /// The screening state for an evaluation already at hand.
    public func state(_ file: ParticipantFile, evaluation: EligibilityEvaluation) -> ScreeningState {
        ScreeningState(participant: file.participant, overall: evaluation.overall, latestDecision: file.latestDecision,
                       missing: checklist(evaluation).flatMap(\.missing))
    }

    /// Runs a store call and turns its refusals into workflow errors (driver failures pass through).
    func mapped<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let e as StoreError {
            throw WorkflowError(e) ?? e
        }
    }
}

extension ScreeningService {
    /// Every participant with its screening state, in a fixed number of statements whatever the count.
    ///
    /// Source: issue 6 "Done when" (the participant list makes a constant number of store reads).
    /// Only screening values are read: the state depends on nothing else (`evaluate`), and a study's later visits hold
    /// nearly all of its values (a 3,000-participant cohort read 2.6 million values and 2 GB for this list).
    public func roster(by principal: Principal) async throws -> [ScreeningRosterEntry] {
        try principal.require(.readStudyData)
        return try await store.participantFiles(studyID: StudyID(study.id), sites: principal.user.sites.listed, event: Self.screeningEvent)
            .map { ScreeningRosterEntry(participant: $0.participant, state: state($0)) }
    }

    /// Every participant at the principal's sites and the roster of those still in screening, in the same two
    /// statements as `roster` but reading only the screening participants' values: what the dashboard and the
    /// participant list need (the next step of anyone enrolled or screen-failed follows from the status alone).
    public func rosterOverview(by principal: Principal) async throws -> (participants: [Participant], inScreening: [ScreeningRosterEntry]) {
        try principal.require(.readStudyData)
        let files = try await store.participantFiles(studyID: StudyID(study.id), sites: principal.user.sites.listed, event: Self.screeningEvent,
                                                     valuesOf: .screening)
        return (files.map(\.participant),
                files.filter { $0.participant.status == .screening }.map { ScreeningRosterEntry(participant: $0.participant, state: state($0)) })
    }
}
