import CartaCore
import CartaModel
import CartaStudy
import Foundation
import Synchronization

/// The coordinator's "today": for each enrolled participant at the principal's sites, what is due
/// today, what is overdue, the latest platelet count with its trend, the current CRS and ICANS grades,
/// the product-chain step waiting, and the alerts not yet acknowledged — alarming participants first.
///
/// Source: issue 8 scope 9 ("the today screen and alerts: due today, overdue, the latest platelet count
/// with its trend, current CRS/ICANS grade, open SAE clocks, grade ≥ 3 lab values not yet reviewed;
/// alerts stay listed until a person acknowledges them"); spec/clinical.md §1 (platelet thresholds 30
/// and 100 ×10⁹/L), §5.1–5.2 (grades), §6.4 (hold rule).
public struct TodayService: Sendable {
    public let conduct: ConductService
    var study: Study { conduct.screening.study }
    /// Each participant's line before SAE clocks and acknowledgements, kept for as long as the participant's
    /// version and the day stay the same (every saved value bumps the version). Why: the today screen is
    /// reloaded all day; recomputing every course, grade and deviation per request made it slow (issue 8
    /// "Performance": < 10 ms at p99).
    let baseRows = BaseRowCache()
    /// Above this many participants to read again, the today screen reads the study's pages; at most this many, by id.
    public var pageReadAbove = 16

    public init(conduct: ConductService) { self.conduct = conduct }

    /// Lines by participant with the version and day they were computed for.
    final class BaseRowCache: Sendable {
        let rows = Mutex<[ParticipantID: (version: Int, today: ClinicalDate, row: Row)]>([:])

        func row(_ file: ParticipantFile, today: ClinicalDate, compute: () -> Row) -> Row {
            let id = file.participant.id, version = file.participant.version
            if let hit = rows.withLock({ $0[id] }), hit.version == version, hit.today == today { return hit.row }
            let row = compute()
            rows.withLock { $0[id] = (version, today, row) }
            return row
        }

        /// The line kept for a participant at this version (or a later one) on `today`, if any.
        func current(_ p: Participant, today: ClinicalDate) -> Row? {
            guard let hit = rows.withLock({ $0[p.id] }), hit.version >= p.version, hit.today == today else { return nil }
            return hit.row
        }
    }

    /// One platelet count with the date of its visit.
    public struct PlateletCount: Sendable, Hashable, Codable {
        public var date: ClinicalDate
        public var visitID: String
        /// The item that holds the count (its control on the visit page is `item-<itemOID>`).
        public var itemOID: String
        /// ×10⁹/L.
        public var value: Double
    }

    /// Something a person must look at; listed until acknowledged (its `key` names the fact, so a new
    /// fact — a higher grade, another missed day — is a new alert).
    public struct Alert: Sendable, Hashable, Codable {
        public var key: String
        public var severity: String
        public var text: String
        /// The visit whose data raised it; nil for an SAE clock (it belongs to the adverse-event log).
        public var visitID: String? = nil
        /// The control or form on that visit's page the alert is about — `item-<ItemOID>` or `form-<FormOID>` —
        /// so a person goes from the alert straight to its fields (issue 8 scope 11); nil when it is the whole visit.
        public var field: String? = nil
        /// The adverse event an SAE clock is about.
        public var adverseEvent: Int? = nil
    }

    /// One participant's line of the today screen (SAE clocks come first among its alerts).
    public struct Row: Sendable {
        public var participant: Participant
        /// Protocol day today (Day 0 = first infusion), or nil before any calendar.
        public var studyDay: Int?
        public var provisional: Bool
        public var dueToday: [CalendarVisit]
        public var overdue: [CalendarVisit]
        /// The product-chain step waiting, in words ("" when none).
        public var nextStep: String
        public var platelets: [PlateletCount]
        public var crsGrade: Int?
        public var icansGrade: Int?
        public var alerts: [Alert]
        public var deviations: [ProtocolDeviation]
        /// The end of study recorded on or before today (disposition form: completed, withdrawn, death…), or nil while
        /// the participant is on study. Such a participant has no visits left to do; the screen lists them last.
        public var endOfStudy: ProductChainState.EndOfStudy? = nil

        /// Latest count and the one before it: "up", "down", "steady" or nil with fewer than two.
        /// What the "Needs attention" view keeps (web and API): an alert to acknowledge, or a visit due today or overdue.
        public var needsAttention: Bool { !alerts.isEmpty || !overdue.isEmpty || !dueToday.isEmpty }
        public var plateletTrend: String? {
            guard platelets.count >= 2 else { return nil }
            let a = platelets[platelets.count - 2].value, b = platelets[platelets.count - 1].value
            return b > a ? "up" : b < a ? "down" : "steady"
        }
    }

    /// Platelet count below which a participant is flagged (spec §1.1: response needs ≥ 30 ×10⁹/L; below
    /// 20 bleeding risk is high and transfusion is usual) [D].
    public static let plateletAlertBelow = 20.0
    /// Lab values of this CTCAE grade or higher, worse than baseline, are alerts (issue 8 scope 6: grade ≥ 3).
    public static let labAlertGrade = 3
    /// SAE clock alerts end only when the report is recorded, never by acknowledgement.
    public static let saeKeyPrefix = "sae:"

    /// Every enrolled participant's line, alarming ones first (alerts, then overdue, then due today).
    /// `acknowledged` holds the alert keys already acknowledged, by participant.
    /// `unreported` holds each participant's serious events not yet reported (their clocks are alerts
    /// that only the report clears).
    public func rows(files: [ParticipantFile], acknowledged: [ParticipantID: Set<String>], unreported: [ParticipantID: [AdverseEvent]] = [:],
                     today: ClinicalDate, now: Date) -> [Row] {
        let rows = files.filter { $0.participant.status == .enrolled }.map { file in
            let base = baseRows.row(file, today: today) { baseRow(file, today: today) }
            return finished(base, acknowledged: acknowledged[file.participant.id] ?? [], unreported: unreported[file.participant.id] ?? [], now: now)
        }
        return Self.alarmingFirst(rows)
    }

    /// Alerts, then overdue, then due today; then participants on study before those whose study ended (with nothing
    /// left to act on, they are what a coordinator needs least today); subject order among equals.
    static func alarmingFirst(_ rows: [Row]) -> [Row] {
        rows.sorted { a, b in
            let ka = (a.alerts.count, a.overdue.count, a.dueToday.count), kb = (b.alerts.count, b.overdue.count, b.dueToday.count)
            if ka != kb { return ka > kb }
            if (a.endOfStudy == nil) != (b.endOfStudy == nil) { return a.endOfStudy == nil }
            return a.participant.subjectID.rawValue < b.participant.subjectID.rawValue
        }
    }

    func row(_ file: ParticipantFile, acknowledged: Set<String>, unreported: [AdverseEvent] = [], today: ClinicalDate, now: Date) -> Row {
        finished(baseRow(file, today: today), acknowledged: acknowledged, unreported: unreported, now: now)
    }

    /// The line with the open SAE clocks first among its alerts, high before the rest, acknowledged ones left out.
    func finished(_ base: Row, acknowledged: Set<String>, unreported: [AdverseEvent], now: Date) -> Row {
        var alerts: [Alert] = []
        for e in unreported {
            guard let clock = AdverseEventService.clock(e, now: now), let left = clock.hoursLeft else { continue }
            let what = "AE-\(e.number) \(e.term) grade \(e.grade) is serious"
            alerts.append(Alert(key: Self.saeKeyPrefix + "AE-\(e.number)", severity: "high",
                                text: left >= 0 ? "SAE clock: \(what); report it to the sponsor within \(left) h (by \(clock.dueAt.formatted(.iso8601)))."
                                    : "SAE clock overdue: \(what); the report was due \(-left) h ago (\(clock.dueAt.formatted(.iso8601))). Report it now.",
                                adverseEvent: e.number))
        }
        alerts += base.alerts
        var row = base
        row.alerts = (alerts.filter { $0.severity == "high" } + alerts.filter { $0.severity != "high" }).filter { !acknowledged.contains($0.key) }
        return row
    }

    /// Everything of a participant's line that depends only on the file and the day (no SAE clocks, nothing filtered).
    func baseRow(_ file: ParticipantFile, today: ClinicalDate) -> Row {
        let course = conduct.course(of: file)
        let chain = course.chain
        let tox = ToxicityCourse(values: file.values, study: study, visitDates: chain.visitDates)
        let calendar = course.calendar
        let open = calendar?.visits.filter { ($0.earliest...$0.latest).contains(today) && $0.doneOn == nil } ?? []
        let platelets = plateletCounts(file, chain: chain)
        let crs = tox.crs.last { $0.grade != nil }, icans = tox.icans.last { $0.grade != nil }
        var alerts: [Alert] = []
        if let crs, let g = crs.grade, g >= 2 {
            alerts.append(Alert(key: "crs:\(crs.visitID):\(g)", severity: g >= 3 ? "high" : "medium",
                                text: "CRS grade \(g) at \(crs.visitID) (\(crs.date?.description ?? "undated")): \(crs.rule)",
                                visitID: crs.visitID, field: "form-" + ToxicityCourse.crsForm))
        }
        if let icans, let g = icans.grade, g >= 1 {
            alerts.append(Alert(key: "icans:\(icans.visitID):\(g)", severity: g >= 3 ? "high" : "medium",
                                text: "ICANS grade \(g) at \(icans.visitID) (\(icans.date?.description ?? "undated")): \(icans.rule)",
                                visitID: icans.visitID, field: "form-" + ToxicityCourse.icansForm))
        }
        if let last = platelets.last, last.value < Self.plateletAlertBelow {
            alerts.append(Alert(key: "platelets:\(last.visitID):\(Self.number(last.value))", severity: "high",
                                text: "Platelets \(Self.number(last.value)) ×10⁹/L at \(last.visitID) (\(last.date)), below \(Self.number(Self.plateletAlertBelow)).",
                                visitID: last.visitID, field: "item-" + last.itemOID))
        }
        // A lab value of CTCAE grade ≥ 3 that is worse than its baseline grade (ITP's low platelets at baseline
        // are the disease, not an alert); only each term's latest graded value counts, so a recovered value ends it.
        let labs = LabGrades(file: file, study: study, visitDates: chain.visitDates, baselineBefore: chain.lymphodepletionDates.values.min())
        var latest: [CTCAELabTerm: LabGrades.Graded] = [:]
        for g in labs.values where g.grade != nil && g.date != nil { latest[g.term] = g }
        for g in latest.values.sorted(by: { $0.term.rawValue < $1.term.rawValue }) {
            guard let grade = g.grade, grade >= Self.labAlertGrade, g.worsening != false, g.visitID != study.schedule.visits.first?.id else { continue }
            alerts.append(Alert(key: "lab:\(g.term.rawValue):\(g.visitID):\(grade)", severity: "high",
                                text: "\(g.term.ctcaeTerm) grade \(grade) at \(g.visitID) (\(g.date?.description ?? "undated")): \(EligibilityFormat.quantity(g.value, g.term.analyte.standardUnit))"
                                    + (g.baselineGrade.map { ", baseline grade \($0)" } ?? ", no baseline grade") + " (CTCAE v5.0).",
                                visitID: g.visitID, field: "item-" + g.itemOID))
        }
        for d in course.deviations {
            alerts.append(Alert(key: "deviation:\(d.rule.rawValue):\(d.visitID)", severity: "medium", text: "Protocol deviation: \(d.description)",
                                visitID: d.visitID))
        }
        return Row(participant: file.participant, studyDay: calendar.map { $0.dayZero.days(to: today) }, provisional: calendar?.provisional ?? true,
                   dueToday: open.filter { $0.status == .due }, overdue: open.filter { $0.status == .overdue },
                   nextStep: nextStep(chain), platelets: platelets, crsGrade: crs?.grade, icansGrade: icans?.grade,
                   alerts: alerts, deviations: course.deviations, endOfStudy: chain.endOfStudy.flatMap { $0.date <= today ? $0 : nil })
    }

    /// Platelet counts of every visit, in date order (the screening count dated by the screening visit).
    public func plateletCounts(_ file: ParticipantFile, chain: ProductChainState) -> [PlateletCount] {
        let plateletItems = Set(study.allItems.filter { $0.analyte == .platelets }.map(\.oid))
        let screeningVisit = study.schedule.visits.first?.id ?? ""
        return file.values.compactMap { v -> PlateletCount? in
            guard plateletItems.contains(v.address.itemOID.rawValue), let x = v.value?.standardValue else { return nil }
            let visit = v.address.eventOID == .screening ? screeningVisit : v.address.eventOID.rawValue
            guard let date = chain.visitDates[visit] else { return nil }
            return PlateletCount(date: date, visitID: visit, itemOID: v.address.itemOID.rawValue, value: x)
        }.sorted { $0.date < $1.date }
    }

    /// What the product chain waits for next, in words.
    func nextStep(_ c: ProductChainState) -> String {
        if c.apheresisDate == nil { return "Leukapheresis" }
        if c.released != true { return "Product release" }
        let ld = ProductChainState.lymphodepletionVisits(study)
        if let next = ld.first(where: { c.lymphodepletionDates[$0.id] == nil }) { return next.name }
        if c.dayZero == nil { return "CAR-T infusion (fraction 1)" }
        let planned = ProductChain.bagItems.count
        let bags = c.bags.count
        if c.infusions.count < min(planned, bags) { return "CAR-T fraction \(c.infusions.count + 1)" }
        return ""
    }

    /// A count as people write it: "12", "12.5".
    public static func number(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }
}

extension TodayService {
    /// The today screen of the principal's sites on the site's today: the participants (one statement), the files of
    /// those whose line is not kept for their version and today, then acknowledgements and unreported serious events
    /// (one statement each).
    ///
    /// Only participants changed since their line was computed are read again, and a large set a page of participants
    /// at a time (`pageSize`), so a study of thousands of participants neither holds every file in memory nor reads them
    /// all on every request (issue 8 scope 9; issue 9 scope 4: a scale cohort is served like a study of five).
    public func today(by principal: Principal, pageSize: Int = 500) async throws -> [Row] {
        let screening = conduct.screening, store = screening.store
        let today = screening.clock.today
        let enrolled = try await screening.participants(by: principal).filter { $0.status == .enrolled }
        _ = try await keepLines(of: enrolled, sites: principal.user.sites.listed, today: today, pageSize: pageSize)
        let ids = enrolled.map(\.id)
        let acknowledged = try await store.acknowledgedAlerts(participantIDs: ids)
        let unreported = try await store.unreportedSeriousEvents(participantIDs: ids)
        let now = screening.clock.now
        // A participant whose file was not found (moved to another site since the list) has no line.
        return Self.alarmingFirst(enrolled.compactMap { p in
            baseRows.current(p, today: today).map { finished($0, acknowledged: acknowledged[p.id] ?? [], unreported: unreported[p.id] ?? [], now: now) }
        })
    }

    /// Computes and keeps the lines of `enrolled` (at `sites`) not current for `today`; returns how many it computed.
    func keepLines(of enrolled: [Participant], sites: [SiteID]?, today: ClinicalDate, pageSize: Int) async throws -> Int {
        let screening = conduct.screening, store = screening.store
        let stale = enrolled.filter { baseRows.current($0, today: today) == nil }
        var kept = 0
        func keep(_ files: [ParticipantFile], of ids: Set<ParticipantID>) {
            for file in files where ids.contains(file.participant.id) {
                _ = baseRows.row(file, today: today) { kept += 1; return baseRow(file, today: today) }
            }
        }
        if stale.count > pageReadAbove {
            // Many to read: the study's pages (the fast whole-study read), keeping the lines of the stale ones.
            let ids = Set(stale.map(\.id)), studyID = StudyID(screening.study.id)
            var after = 0
            while true {
                try Task.checkCancellation()
                let page = try await store.participantFilePage(studyID: studyID, sites: sites, afterSequence: after, limit: pageSize).files
                guard let last = page.last else { break }
                keep(page, of: ids)
                after = last.participant.sequenceNumber
            }
        } else if !stale.isEmpty {
            keep(try await store.participantFiles(studyID: StudyID(screening.study.id), ids: stale.map(\.id)).files, of: Set(stale.map(\.id)))
        }
        return kept
    }

    /// Computes the today lines of every enrolled participant (all sites) not yet current for the site's day, so that
    /// the first reader of the day's today screen finds them kept: on a large study the first request of each site day
    /// otherwise recomputes every line (every course, grade and deviation) inside the request. `carta serve` runs it
    /// at its start and after each site midnight. Returns how many lines it computed; stops at a page when cancelled.
    public func keepTodaysLines(pageSize: Int = 500) async throws -> Int {
        let screening = conduct.screening
        let enrolled = try await screening.store.participants(studyID: StudyID(screening.study.id), sites: nil).filter { $0.status == .enrolled }
        return try await keepLines(of: enrolled, sites: nil, today: screening.clock.today, pageSize: pageSize)
    }

    /// One participant's alerts not yet acknowledged, SAE clocks first (what the visit pages keep beside the form):
    /// empty unless the participant is enrolled. Two reads (acknowledgements, unreported serious events).
    public func alerts(of file: ParticipantFile) async throws -> [Alert] {
        guard file.participant.status == .enrolled else { return [] }
        let id = file.participant.id, store = conduct.screening.store
        let acknowledged = try await store.acknowledgedAlerts(participantIDs: [id])[id] ?? []
        let unreported = try await store.unreportedSeriousEvents(participantIDs: [id])[id] ?? []
        let today = conduct.screening.clock.today
        let base = baseRows.row(file, today: today) { baseRow(file, today: today) }
        return finished(base, acknowledged: acknowledged, unreported: unreported, now: conduct.screening.clock.now).alerts
    }

    /// Acknowledges one alert now listed for a participant (a key that is not listed is `notFound`), with
    /// an optional note; audited.
    public func acknowledge(subjectID: SubjectID, key: String, note: String?, by principal: Principal) async throws -> Alert {
        try principal.require(.enterData)
        if let note, note.hasControlOrInvisibleCharacters(allowingLineBreaks: true) {
            throw WorkflowError.invalid("note", "The note contains control or invisible characters; type it again.")
        }
        // As long as a query's message at most: a 100,000-character note was kept whole in the audit trail and the casebook.
        if let note, note.trimmingCharacters(in: .whitespacesAndNewlines).count > QueryService.maxText {
            throw WorkflowError.invalid("note", "Keep the note under \(QueryService.maxText) characters (got \(note.trimmingCharacters(in: .whitespacesAndNewlines).count)); nothing was acknowledged.")
        }
        if key.hasPrefix(Self.saeKeyPrefix) {
            throw WorkflowError(.invalidState, "An SAE clock ends when the report is recorded (POST …/adverse-events/{n}/report), not by acknowledging it.")
        }
        let file = try await conduct.screening.file(subjectID, by: principal)
        let row = row(file, acknowledged: [], today: conduct.screening.clock.today, now: conduct.screening.clock.now)
        guard let alert = row.alerts.first(where: { $0.key == key }) else {
            throw WorkflowError(.notFound, "\(subjectID) has no alert \(key) now; the today screen lists the current ones.")
        }
        let trimmed = note?.trimmingCharacters(in: .whitespacesAndNewlines)
        try await conduct.screening.mapped {
            try await conduct.screening.store.acknowledgeAlert(participantID: file.participant.id, key: key, text: alert.text,
                                                               note: trimmed?.isEmpty == false ? trimmed : nil,
                                                               actor: principal.actor, at: conduct.screening.clock.now)
        }
        return alert
    }
}
