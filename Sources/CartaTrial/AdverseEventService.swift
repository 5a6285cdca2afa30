import CartaCore
import CartaModel
import CartaStore
import CartaStudy
import Foundation

/// The adverse-event log: record and change events coded with CTCAE v5.0, the SAE 24-hour clock from
/// awareness, and the CRS and ICANS episodes read from the daily assessments — through web, API and CLI.
///
/// Source: issue 8 scope 7; NCI CTCAE v5.0 (terms, grades that exist per term); ICH E2A §II.B (seriousness)
/// and the sponsor's 24-hour SAE reporting from awareness (spec/clinical.md §4.4); ASTCT 2019 (§5.1–5.2:
/// CRS and ICANS graded from signs; ICANS has no CTCAE v5.0 term and is coded "Nervous system disorders -
/// Other, specify").
public struct AdverseEventService: Sendable {
    public let conduct: ConductService
    var screening: ScreeningService { conduct.screening }
    public let terms: CTCAETermList

    /// The CTCAE terms CRS and ICANS episodes are coded with, looked up once (a whole-study pass reads every
    /// participant's episodes).
    let crsTerm: CTCAETerm?, nervousOtherTerm: CTCAETerm?

    public init(conduct: ConductService, terms: CTCAETermList = .shared) {
        self.conduct = conduct; self.terms = terms
        crsTerm = terms.term("Cytokine release syndrome"); nervousOtherTerm = terms.term("Nervous system disorders - Other, specify")
    }

    /// An event as typed (API body, web form, CLI options); every field is checked and refused with its name.
    public struct Input: Sendable, Codable {
        /// MedDRA code or exact CTCAE term.
        public var term: String
        public var specify: String?
        public var grade: Int
        public var onset: String
        public var resolution: String?
        public var seriousCriteria: [String]?
        /// ISO 8601 with offset: when the site learned of the serious event.
        public var awareAt: String?
        public var causalityLymphodepletion: String
        public var causalityCART: String
        public var causalityITP: String
        public var action: String?
        public var outcome: String?
        public init(term: String, specify: String? = nil, grade: Int, onset: String, resolution: String? = nil, seriousCriteria: [String]? = nil,
                    awareAt: String? = nil, causalityLymphodepletion: String, causalityCART: String, causalityITP: String,
                    action: String? = nil, outcome: String? = nil) {
            self.term = term; self.specify = specify; self.grade = grade; self.onset = onset; self.resolution = resolution
            self.seriousCriteria = seriousCriteria; self.awareAt = awareAt; self.causalityLymphodepletion = causalityLymphodepletion
            self.causalityCART = causalityCART; self.causalityITP = causalityITP; self.action = action; self.outcome = outcome
        }
    }

    /// The 24-hour reporting clock of a serious event.
    public struct SAEClock: Sendable, Hashable, Codable {
        public enum State: String, Sendable, Codable { case open, overdue, met, late }
        public var number: Int
        public var dueAt: Date
        public var state: State
        /// Whole hours left (negative when overdue) while open or overdue.
        public var hoursLeft: Int?
    }

    /// A CRS or ICANS episode read from the daily assessments: consecutive graded assessments above 0.
    public struct Episode: Sendable, Hashable, Codable {
        public var syndrome: String
        public var term: String
        public var meddraCode: String
        public var maxGrade: Int
        public var onset: ClinicalDate
        /// The first later assessment graded 0, if any.
        public var resolution: ClinicalDate?
        public var visits: [String]
    }

    /// Hours from awareness to the sponsor report for a serious event [D].
    public static let reportingHours = 24

    // MARK: reading

    public struct Log: Sendable {
        public var participant: Participant
        public var events: [AdverseEvent]
        public var episodes: [Episode]
        public var clocks: [SAEClock]
    }

    public func log(_ subjectID: SubjectID, by principal: Principal) async throws -> Log {
        let file = try await screening.file(subjectID, by: principal)
        let events = try await screening.store.adverseEvents(participantID: file.participant.id)
        return Log(participant: file.participant, events: events, episodes: episodes(file), clocks: events.compactMap { Self.clock($0, now: screening.clock.now) })
    }

    /// The adverse events of a participant whose file the caller has already read (the read checked the permission
    /// and the site): one statement.
    public func events(of file: ParticipantFile) async throws -> [AdverseEvent] {
        try await screening.store.adverseEvents(participantID: file.participant.id)
    }

    /// The SAE clock of an event (nil for a non-serious one or one without an awareness time).
    public static func clock(_ e: AdverseEvent, now: Date) -> SAEClock? {
        guard e.serious, let aware = e.awareAt else { return nil }
        let due = aware.addingTimeInterval(Double(Self.reportingHours) * 3600)
        if let reported = e.reportedAt { return SAEClock(number: e.number, dueAt: due, state: reported <= due ? .met : .late, hoursLeft: nil) }
        let left = Int((due.timeIntervalSince(now) / 3600).rounded(.down))
        return SAEClock(number: e.number, dueAt: due, state: now <= due ? .open : .overdue, hoursLeft: left)
    }

    /// CRS and ICANS episodes of a participant's assessments.
    public func episodes(_ file: ParticipantFile) -> [Episode] {
        let values = VisitValues(file.values)
        let chain = ProductChainState(values: values, study: screening.study)
        return episodes(ToxicityCourse(values: values, study: screening.study, visitDates: chain.visitDates))
    }

    /// CRS and ICANS episodes of already graded assessments.
    public func episodes(_ tox: ToxicityCourse) -> [Episode] {
        func read(_ list: [ToxicityCourse.Graded], syndrome: String, term: CTCAETerm?) -> [Episode] {
            var out: [Episode] = []
            var current: Episode?
            for g in list {
                guard let grade = g.grade, let date = g.date else { continue }
                if grade > 0 {
                    var episode = current ?? Episode(syndrome: syndrome, term: term?.term ?? syndrome, meddraCode: term?.meddraCode ?? "",
                                                     maxGrade: grade, onset: date, resolution: nil, visits: [])
                    episode.maxGrade = max(episode.maxGrade, grade)
                    episode.visits.append(g.visitID)
                    current = episode
                } else if var open = current {
                    open.resolution = date
                    out.append(open)
                    current = nil
                }
            }
            if let current { out.append(current) }
            return out
        }
        return read(tox.crs, syndrome: "CRS", term: crsTerm) + read(tox.icans, syndrome: "ICANS", term: nervousOtherTerm)
    }

    // MARK: recording

    /// Records a new adverse event after checking every field (refused with the field's name).
    public func record(_ input: Input, subjectID: SubjectID, by principal: Principal) async throws -> AdverseEvent {
        try principal.require(.enterData)
        let file = try await screening.file(subjectID, by: principal)
        let event = try checked(input, participant: file.participant, id: UUID().uuidString.lowercased(), reportedAt: nil)
        return try await screening.mapped {
            try await screening.store.saveAdverseEvent(event, expectedVersion: nil, reason: nil, actor: principal.actor, at: screening.clock.now)
        }
    }

    /// Changes AE-`number` at `expectedVersion`; a change needs a reason (R-RC-1).
    public func update(number: Int, _ input: Input, expectedVersion: Int, reason: ChangeReason?, subjectID: SubjectID,
                       by principal: Principal) async throws -> AdverseEvent {
        try principal.require(.enterData)
        let file = try await screening.file(subjectID, by: principal)
        guard let existing = try await screening.store.adverseEvents(participantID: file.participant.id).first(where: { $0.number == number }) else {
            throw WorkflowError(.notFound, "\(subjectID) has no adverse event AE-\(number).")
        }
        guard let reason else { throw WorkflowError.invalid("reason", "Changing AE-\(number) needs a reason for change (\(ChangeReason.codeList)).") }
        if let problem = reason.problem { throw WorkflowError.invalid("reason", "Reason for change: \(problem).") }
        let event = try checked(input, participant: file.participant, id: existing.id, reportedAt: existing.reportedAt)
        return try await screening.mapped {
            try await screening.store.saveAdverseEvent(event, expectedVersion: expectedVersion, reason: reason.stored, actor: principal.actor,
                                                       at: screening.clock.now)
        }
    }

    /// Records when a serious event was reported to the sponsor (stops its clock).
    public func report(number: Int, reportedAt text: String?, subjectID: SubjectID, by principal: Principal) async throws -> AdverseEvent {
        try principal.require(.enterData)
        let file = try await screening.file(subjectID, by: principal)
        guard var event = try await screening.store.adverseEvents(participantID: file.participant.id).first(where: { $0.number == number }) else {
            throw WorkflowError(.notFound, "\(subjectID) has no adverse event AE-\(number).")
        }
        guard event.serious else { throw WorkflowError(.invalidState, "AE-\(number) is not serious; only serious events are reported within \(Self.reportingHours) hours.") }
        guard event.reportedAt == nil else { throw WorkflowError(.invalidState, "AE-\(number) was already reported.") }
        let now = screening.clock.now
        let at = try text.map { try instant($0, field: "reportedAt") } ?? now
        if at > now.addingTimeInterval(300) { throw WorkflowError.invalid("reportedAt", "The report time lies in the future; enter when it was sent.") }
        if let aware = event.awareAt, at < aware { throw WorkflowError.invalid("reportedAt", "The report time is before the site became aware of the event.") }
        let version = event.version
        event.reportedAt = at
        return try await screening.mapped {
            try await screening.store.saveAdverseEvent(event, expectedVersion: version, reason: "new_information: serious adverse event reported to the sponsor", actor: principal.actor, at: now)
        }
    }

    // MARK: checks

    func instant(_ text: String, field: String) throws -> Date {
        guard let d = try? Date(text, strategy: .iso8601) else {
            throw WorkflowError.invalid(field, "\(field) must be a date and time with its UTC offset, e.g. 2026-12-05T14:30:00+08:00 (got \(text.quotedForMessage)).")
        }
        return d
    }

    func checked(_ i: Input, participant p: Participant, id: String, reportedAt: Date?) throws -> AdverseEvent {
        var problems: [WorkflowError.FieldProblem] = []
        func problem(_ field: String, _ message: String) { problems.append(.init(field: field, message: message)) }
        func code<E: RawRepresentable & CaseIterable>(_ text: String?, _ field: String, _ t: E.Type) -> E? where E.RawValue == String {
            guard let text, !text.isEmpty else { return nil }
            guard let e = E(rawValue: text) else { problem(field, "\(field) must be one of \(E.allCases.map(\.rawValue).joined(separator: ", ")) (got \(text.quotedForMessage))."); return nil }
            return e
        }
        let term = terms.term(i.term)
        if term == nil {
            let near = terms.search(i.term, limit: 3).map(\.term)
            problem("term", "\"\(i.term)\" is not a CTCAE v5.0 term or MedDRA code" + (near.isEmpty ? "." : "; did you mean \(near.joined(separator: ", "))?"))
        }
        if i.grade == 0 {
            problem("grade", "grade is missing: choose the event's CTCAE v5.0 grade"
                + (term.map { " (\($0.term) has grades \($0.definedGrades.map(String.init).joined(separator: ", ")))." } ?? " (1 to 5)."))
        } else if let term, !term.has(grade: i.grade) {
            problem("grade", "\(term.term) has no grade \(i.grade) in CTCAE v5.0; its grades are \(term.definedGrades.map(String.init).joined(separator: ", ")).")
        }
        let specify = i.specify?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let term, term.needsSpecification, specify?.isEmpty ?? true { problem("specify", "\(term.term) needs the event named in words (specify).") }
        if let specify, specify.hasControlOrInvisibleCharacters() { problem("specify", "specify contains control or invisible characters.") }
        let today = screening.clock.today
        let onset = ClinicalDate(iso: i.onset)
        if onset == nil { problem("onset", "onset must be a date YYYY-MM-DD (got \(i.onset.quotedForMessage)).") }
        if let onset, onset > today { problem("onset", "onset \(onset) is after today (\(today)); record events that have begun.") }
        let resolution = i.resolution.flatMap { $0.isEmpty ? nil : $0 }.map { ClinicalDate(iso: $0) }
        if case .some(.none) = resolution { problem("resolution", "resolution must be a date YYYY-MM-DD (got \((i.resolution ?? "").quotedForMessage)).") }
        if let r = resolution ?? nil, let onset, r < onset { problem("resolution", "resolution \(r) is before the onset \(onset).") }
        if let r = resolution ?? nil, r > today { problem("resolution", "resolution \(r) is after today (\(today)).") }
        var criteria: [SeriousnessCriterion] = []
        for c in i.seriousCriteria ?? [] { if let e = code(c, "seriousCriteria", SeriousnessCriterion.self) { criteria.append(e) } }
        var aware: Date?
        if let text = i.awareAt, !text.isEmpty {
            do { aware = try instant(text, field: "awareAt") } catch let e as WorkflowError { problems += e.fields }
        }
        if !criteria.isEmpty, aware == nil { problem("awareAt", "A serious event needs the time the site became aware of it (awareAt): the \(Self.reportingHours)-hour reporting clock starts there.") }
        if let aware, aware > screening.clock.now.addingTimeInterval(300) { problem("awareAt", "awareAt lies in the future.") }
        let ld = code(i.causalityLymphodepletion, "causalityLymphodepletion", Causality.self)
        let cart = code(i.causalityCART, "causalityCART", Causality.self)
        let itp = code(i.causalityITP, "causalityITP", Causality.self)
        for (value, field) in [(ld, "causalityLymphodepletion"), (cart, "causalityCART"), (itp, "causalityITP")] where value == nil && !problems.contains(where: { $0.field == field }) {
            problem(field, "\(field) is required (\(Causality.allCases.map(\.rawValue).joined(separator: ", "))).")
        }
        let action = code(i.action, "action", AdverseEventAction.self) ?? .none
        let outcome = code(i.outcome, "outcome", AdverseEventOutcome.self)
        if i.grade == 5 {
            if outcome != .fatal { problem("outcome", "A grade 5 event is death: its outcome is fatal.") }
            if !criteria.contains(.death) { problem("seriousCriteria", "A grade 5 event is serious with the criterion death.") }
        }
        guard problems.isEmpty, let term, let onset, let ld, let cart, let itp else { throw WorkflowError.invalidInput(problems) }
        return AdverseEvent(id: id, participantID: p.id, number: 0, meddraCode: term.meddraCode, term: term.term,
                            specify: specify?.isEmpty == false ? specify : nil, grade: i.grade, onset: onset, resolution: resolution ?? nil,
                            seriousCriteria: criteria, awareAt: aware, reportedAt: reportedAt, causalityLymphodepletion: ld, causalityCART: cart,
                            causalityITP: itp, action: action, outcome: outcome, version: 0, updatedBy: "", updatedAt: screening.clock.now)
    }
}
