import CartaModel
import CartaCore
import CartaStudy
import Foundation

/// Reads the enrolled participants of the principal's sites and derives the outcome measures
/// (`OutcomeDerivation`) — for `carta derive`, the API, the web report and `carta report`.
///
/// Source: issue 9 scope 1 (`carta derive`, the API and the report show the same derivation).
public struct OutcomeService: Sendable {
    public let adverseEvents: AdverseEventService
    /// The licensed ITP-PAQ scoring plug-in, when the organisation holding the licence installs one.
    public let questionnaireScorer: (any QuestionnaireScorer)?
    /// The program build kept figures are filed under (`figuresKey`); nil keeps none and derives every pass afresh.
    public var keptFiguresBuild: String? = OutcomeService.runningBuild
    /// A page with more participants than this without kept figures reads them with the whole page (the fast
    /// whole-study read); fewer are read by id.
    public var pageReadAbove = 16
    /// The last report of each reading scope, reused while the data are unchanged (`report`).
    let reports = StudyReportCache()
    /// `carta serve`'s background pass of missing figures, which whole-study passes wait for.
    let background = BackgroundKeeping()
    /// The study file as `figuresKey` hashes it, encoded once: the key is asked on every pass and every tagged API request.
    let studyEncoding: Data?
    var screening: ScreeningService { adverseEvents.conduct.screening }

    public init(adverseEvents: AdverseEventService, questionnaireScorer: (any QuestionnaireScorer)? = nil) {
        self.adverseEvents = adverseEvents; self.questionnaireScorer = questionnaireScorer
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        studyEncoding = try? encoder.encode(adverseEvents.conduct.screening.study)
    }

    /// The outcome measures over the enrolled participants the principal may read, every participant's
    /// figures included (read a page at a time, so no statement binds more than one page of ids).
    public func derive(by principal: Principal, pageSize: Int = 500) async throws -> StudyOutcomes {
        try await pass(by: principal, keepParticipants: true, pageSize: pageSize, progress: { _ in }, each: { _ in })
    }

    /// What the study report shows (`StudyReport`): the study-level figures over every enrolled participant the
    /// principal may read, and the first `drawnAtMost` of them in enrolment order with their sources for the
    /// per-participant tables and plots. A study of at most `drawnAtMost` participants is derived whole, in one pass;
    /// a larger one streams without sources (from kept figures where they are current), then derives the drawn
    /// participants again with theirs, so memory is bounded by a page and the drawn participants whatever the
    /// study's size.
    ///
    /// Source: issue 9 scope 2 (the report) and scope 4 (a 100,000-participant study streams).
    ///
    /// The report carries its data cut (`StudyReport.DataCut`); one during which a change was saved is built once
    /// more, so it comes from one state of the data unless saves keep landing, and then it says so.
    ///
    /// Asked again for the same sites and drawing before anything is saved, it is the same build (`StudyReportCache`).
    public func report(by principal: Principal, drawnAtMost: Int = StudyReport.drawnAtMost, pageSize: Int = 500) async throws -> StudyReport {
        try principal.require(.readStudyData)
        let store = screening.store, clock = screening.clock
        let scope = StudyReportCache.Scope(sites: principal.user.sites.listed, drawnAtMost: drawnAtMost)
        return try await reports.report(scope, head: try await store.auditHead()) {
            try await Self.withDataCut(head: { try await store.auditHead() }, now: { clock.now }) {
                try await buildReport(by: principal, drawnAtMost: drawnAtMost, pageSize: pageSize)
            }
        }
    }

    func buildReport(by principal: Principal, drawnAtMost: Int, pageSize: Int) async throws -> StudyReport {
        if try await participantTotal(by: principal) <= drawnAtMost {
            return StudyReport(everyone: try await derive(by: principal, pageSize: pageSize))
        }
        var collector = StudyReport.Collector(drawnAtMost: 0)
        let study = try await stream(by: principal, pageSize: pageSize, includeSources: false) { collector.add($0) }
        return collector.report(study, drawn: try await firstEnrolled(drawnAtMost, by: principal, pageSize: pageSize))
    }

    /// `build` stamped with the audit records before and after it (`head`: the trail's last record); built at most
    /// `tries` times while a change lands during the build. The last build is returned either way, its cut saying
    /// whether it is consistent: a busy study still gets its report, marked, rather than none. `carta report` writes its
    /// files inside `build`, so the files left are the last build's.
    public static func withDataCut(tries: Int = 2, head: () async throws -> Int, now: () -> Date,
                                   build: () async throws -> StudyReport) async throws -> StudyReport {
        var attempt = 1
        while true {
            let first = try await head()
            var report = try await build()
            let cut = StudyReport.DataCut(firstAuditRecord: first, lastAuditRecord: try await head(), builtAt: now())
            report.dataCut = cut
            if cut.isConsistent || attempt >= tries { return report }
            attempt += 1
        }
    }

    /// The first `count` enrolled participants the principal may read, in enrolment order, derived with their sources.
    func firstEnrolled(_ count: Int, by principal: Principal, pageSize: Int) async throws -> [StudyOutcomes.Participant] {
        let store = screening.store, studyID = StudyID(screening.study.id), sites = principal.user.sites.listed
        var files: [ParticipantFile] = [], after = 0
        while files.count < count {
            let page = try await store.participantFiles(studyID: studyID, sites: sites, afterSequence: after, limit: pageSize)
            guard let last = page.last else { break }
            files += page.filter { $0.participant.status == .enrolled }.prefix(count - files.count)
            after = last.participant.sequenceNumber
        }
        let events = try await store.adverseEvents(participantIDs: files.map(\.participant.id))
        var acc = OutcomeDerivation.Accumulator(study: screening.study, keepParticipants: false, scorer: questionnaireScorer)
        return inputs(files, events: events).map { acc.add($0) }
    }

    /// How many participants a pass by this principal reads (every status, the principal's sites): `stream`'s
    /// progress counts up to it.
    public func participantTotal(by principal: Principal) async throws -> Int {
        try principal.require(.readStudyData)
        return try await screening.store.participantCount(studyID: StudyID(screening.study.id), sites: principal.user.sites.listed)
    }

    /// The same derivation one page of participants at a time: `each` receives every enrolled participant's
    /// figures as they are derived, and the result holds the study-level figures only (no `participants`),
    /// so memory stays bounded by the page size whatever the study's size (three statements per page).
    ///
    /// Source: issue 9 scope 4.
    /// `includeSources` false leaves every participant's `sources` empty (for tables that show none of them).
    public func stream(by principal: Principal, pageSize: Int = 500, includeSources: Bool = true, progress: (Int) -> Void = { _ in },
                       each: (StudyOutcomes.Participant) async throws -> Void) async throws -> StudyOutcomes {
        try await pass(by: principal, keepParticipants: false, includeSources: includeSources, pageSize: pageSize, progress: progress, each: each)
    }

    /// Every pass carries its data cut (`StudyOutcomes.DataCut`): the audit trail's head before and after it.
    func pass(by principal: Principal, keepParticipants: Bool, includeSources: Bool = true, pageSize: Int, progress: (Int) -> Void,
              each: (StudyOutcomes.Participant) async throws -> Void) async throws -> StudyOutcomes {
        try principal.require(.readStudyData)
        let store = screening.store
        let first = try await store.auditHead()
        var outcomes: StudyOutcomes
        if !keepParticipants, !includeSources, let key = figuresKey() {
            // A reader of every site needs what the background pass is keeping; a site-bound reader derives its own few.
            if principal.user.sites.listed == nil { await background.wait() }
            outcomes = try await keptPass(sites: principal.user.sites.listed, key: key, pageSize: pageSize, progress: progress, each: each)
        } else {
            outcomes = try await derivingPass(by: principal, keepParticipants: keepParticipants, includeSources: includeSources,
                                              pageSize: pageSize, progress: progress, each: each)
        }
        outcomes.dataCut = StudyOutcomes.DataCut(firstAuditRecord: first, lastAuditRecord: try await store.auditHead())
        return outcomes
    }

    func derivingPass(by principal: Principal, keepParticipants: Bool, includeSources: Bool, pageSize: Int, progress: (Int) -> Void,
                      each: (StudyOutcomes.Participant) async throws -> Void) async throws -> StudyOutcomes {
        var acc = OutcomeDerivation.Accumulator(study: screening.study, keepParticipants: keepParticipants, includeSources: includeSources,
                                                scorer: questionnaireScorer)
        let figuresOf = acc.figuresOf
        var registered = 0, screenFailed = 0
        // The next page is read while this one is derived: the read runs on the store's threads, the derivation
        // here, so a whole-study pass keeps both cores busy (issue 9 scope 4).
        let store = screening.store, studyID = StudyID(screening.study.id), sites = principal.user.sites.listed
        @Sendable func fetch(after: Int) async throws -> (files: [ParticipantFile], events: [ParticipantID: [AdverseEvent]]) {
            let page = try await store.participantFiles(studyID: studyID, sites: sites, afterSequence: after, limit: pageSize)
            let enrolled = page.filter { $0.participant.status == .enrolled }.map(\.participant.id)
            return (page, try await store.adverseEvents(participantIDs: enrolled))
        }
        var next = Task { try await fetch(after: 0) }
        defer { next.cancel() }
        while true {
            let (page, events) = try await next.value
            guard let last = page.last else { break }
            next = Task { try await fetch(after: last.participant.sequenceNumber) }
            registered += page.count
            screenFailed += page.filter { $0.participant.status == .screenFailed }.count
            let files = page.filter { $0.participant.status == .enrolled }
            for (figures, _) in await concurrentFigures(files, events: events, figures: figuresOf, encode: false) { try await each(acc.add(figures)) }
            progress(registered)
        }
        var outcomes = acc.finish(registered: registered, screenFailed: screenFailed)
        outcomes.synthetic = try await screening.store.isSynthetic()
        return outcomes
    }

    /// One enrolled participant's figures from an already loaded file and its adverse events (the participant
    /// page's "outcomes so far"; the same derivation as the report's row, so the two never disagree).
    public func participant(_ file: ParticipantFile, events: [AdverseEvent]) -> StudyOutcomes.Participant {
        var acc = OutcomeDerivation.Accumulator(study: screening.study, keepParticipants: false, scorer: questionnaireScorer)
        return acc.add(inputs([file], events: [file.participant.id: events])[0])
    }

    /// Each participant's figures (`figures`, pure), the page's two halves on two cores (the course records and the
    /// figures are most of a participant's derivation time; the study-level accumulation after them stays in
    /// participant order, so the result is `inputs` + `Accumulator.add` one by one). With `encode`, each comes with
    /// its bytes for keeping (`PositionalCoder`, `storeOutcomeFigures`); nil if they cannot be encoded (not kept).
    func concurrentFigures(_ files: [ParticipantFile], events: [ParticipantID: [AdverseEvent]],
                           figures: @escaping @Sendable (OutcomeDerivation.Input) -> OutcomeDerivation.Accumulator.Figures, encode: Bool) async
        -> [(OutcomeDerivation.Accumulator.Figures, Data?)] {
        @Sendable func derive(_ files: [ParticipantFile]) -> [(OutcomeDerivation.Accumulator.Figures, Data?)] {
            inputs(files, events: events).map {
                let f = figures($0)
                return (f, encode ? (try? PositionalCoder.encode(f)).map { Data($0) } : nil)
            }
        }
        guard files.count >= 32 else { return derive(files) }
        let half = files.count / 2
        let head = Array(files[..<half]), tail = Array(files[half...])
        async let first = derive(head)
        let second = derive(tail)
        return await first + second
    }

    /// The derivation inputs of already loaded files.
    public func inputs(_ files: [ParticipantFile], events: [ParticipantID: [AdverseEvent]]) -> [OutcomeDerivation.Input] {
        let lookups = ParticipantCourseRecord.Lookups(study: screening.study)
        return files.map { file in
            let record = ParticipantCourseRecord(file: file, study: screening.study, lookups: lookups)
            return OutcomeDerivation.Input(record: record, events: events[file.participant.id] ?? [], episodes: adverseEvents.episodes(record.toxicity))
        }
    }
}
