import Foundation

/// What the study report shows: the study-level figures over every enrolled participant, the baseline
/// characteristics of every one of them, and — for the per-participant tables and plots — the first
/// participants in enrolment order with the source values behind their figures, at most `drawnAtMost`.
///
/// Why a limit: a plot of thousands of trajectories cannot be read, and drawing them needs every participant's
/// sources in memory at once (1.8 GiB and a 71 MB page for 10,000 whole courses; 100,000 would exhaust the
/// server). Above the limit the report says which participants it draws; every participant's figures stay in
/// the analysis-ready tables (subjects.csv, visits.csv), which stream.
///
/// Source: issue 9 scope 2 (report, per-participant plots) and scope 4 (a 100,000-participant study streams).
public struct StudyReport: Sendable {
    /// Per-participant tables and plots draw at most this many participants unless told otherwise.
    public static let drawnAtMost = 100

    /// The study-level figures; `participants` holds the drawn participants, with their sources.
    public var outcomes: StudyOutcomes
    /// Enrolled participants counted in the study-level figures.
    public var enrolled: Int
    public var baseline: BaselineTally
    /// The state of the data the report was built from; nil for a report made from figures alone.
    public var dataCut: DataCut?

    /// A report's data cut: the audit trail's last record when its build began and when it ended, and when it was
    /// built. Every saved change writes its audit record in the same transaction, so equal records mean nothing was
    /// saved during the build and every figure comes from one state of the data; a printed or filed report says
    /// which (standards.md R-CP-1, 21 CFR 11.10(b): accurate and complete copies, here traceable to the audit record
    /// they were made at).
    public struct DataCut: Sendable, Equatable {
        public var firstAuditRecord: Int
        public var lastAuditRecord: Int
        public var builtAt: Date
        public var isConsistent: Bool { firstAuditRecord == lastAuditRecord }
        public init(firstAuditRecord: Int, lastAuditRecord: Int, builtAt: Date) {
            self.firstAuditRecord = firstAuditRecord; self.lastAuditRecord = lastAuditRecord; self.builtAt = builtAt
        }
    }

    /// The per-participant parts show some of the enrolled participants, not all.
    public var isExcerpt: Bool { outcomes.participants.count < enrolled }

    /// Every participant drawn (the whole derivation).
    public init(everyone outcomes: StudyOutcomes) {
        var baseline = BaselineTally()
        for p in outcomes.participants { baseline.add(p) }
        self.init(study: outcomes, drawn: outcomes.participants, enrolled: outcomes.participants.count, baseline: baseline)
    }

    public init(study: StudyOutcomes, drawn: [StudyOutcomes.Participant], enrolled: Int, baseline: BaselineTally) {
        var outcomes = study
        outcomes.participants = drawn
        self.outcomes = outcomes; self.enrolled = enrolled; self.baseline = baseline
    }

    /// The baseline table's inputs over every enrolled participant (a few numbers each, so a large study fits).
    public struct BaselineTally: Sendable, Equatable {
        public private(set) var participants = 0
        public private(set) var female = 0
        public private(set) var ages: [Double] = []
        public private(set) var weights: [Double] = []
        public private(set) var platelets: [Double] = []

        public init() {}

        public mutating func add(_ p: StudyOutcomes.Participant) {
            participants += 1
            if p.sex == "F" { female += 1 }
            if let a = p.ageYears { ages.append(Double(a)) }
            if let w = p.weightKg { weights.append(w) }
            if let b = p.baseline { platelets.append(b) }
        }
    }

    /// Builds a report from a pass that yields every enrolled participant once, in enrolment order: tallies each
    /// and keeps the first `drawnAtMost` as given.
    public struct Collector: Sendable {
        public let drawnAtMost: Int
        public private(set) var drawn: [StudyOutcomes.Participant] = []
        public private(set) var enrolled = 0
        public private(set) var baseline = BaselineTally()

        public init(drawnAtMost: Int) { self.drawnAtMost = drawnAtMost }

        public mutating func add(_ p: StudyOutcomes.Participant) {
            enrolled += 1
            baseline.add(p)
            if drawn.count < drawnAtMost { drawn.append(p) }
        }

        /// The report of the pass's study-level figures; `drawn` replaces the participants kept here (the same
        /// participants derived again with their sources, when the pass left them out).
        public func report(_ study: StudyOutcomes, drawn replacement: [StudyOutcomes.Participant]? = nil) -> StudyReport {
            StudyReport(study: study, drawn: replacement ?? drawn, enrolled: enrolled, baseline: baseline)
        }
    }
}
