import CartaCore

/// The schedule of events relative to Day 0 (first CAR-T infusion): visits with their windows and
/// forms, and the product-chain steps that order them.
///
/// Source: spec/clinical.md §0.3 (time axis), §7 (visit windows) [D], §6.5 (interval from the end of
/// lymphodepletion to the first infusion) [D/R].
public struct StudySchedule: Hashable, Sendable, Codable {
    /// What Day 0 is, in words.
    public var dayZero: String
    public var visits: [VisitDefinition]
    /// Days allowed between the last lymphodepletion dose and the first infusion.
    public var infusionAfterLymphodepletion: DayInterval = DayInterval(minDays: 2, maxDays: 7)

    public init(dayZero: String, visits: [VisitDefinition],
                infusionAfterLymphodepletion: DayInterval = DayInterval(minDays: 2, maxDays: 7)) {
        self.dayZero = dayZero
        self.visits = visits
        self.infusionAfterLymphodepletion = infusionAfterLymphodepletion
    }

    /// The visit (or procedure) with id `id`.
    public func visit(_ id: String) -> VisitDefinition? { visits.first { $0.id == id } }
}

/// A permitted number of days between two events: fewer than `minDays` is refused, more than
/// `maxDays` is allowed with a warning and a protocol deviation.
///
/// Source: spec/clinical.md §6.5 ("Interval LD end → first infusion: block < 2 days, warn > 7 days") [D/R].
public struct DayInterval: Hashable, Sendable, Codable {
    public var minDays: Int
    public var maxDays: Int
    public init(minDays: Int, maxDays: Int) { self.minDays = minDays; self.maxDays = maxDays }
}

/// Whether a schedule entry is a visit with a window or a product-chain step without one.
///
/// Source: spec/clinical.md §7 (apheresis "after eligibility", manufacturing "≈ 2 weeks": no window).
public enum VisitKind: String, Hashable, Sendable, Codable, CaseIterable {
    /// A visit: planned on its nominal day, with a window; tracked as due, done, overdue, missed.
    case visit
    /// A product-chain step (apheresis, manufacturing and release): ordered, not scheduled.
    case procedure
}

/// A planned visit: nominal protocol day, allowed window, and the forms collected.
///
/// Source: spec/clinical.md §7.
public struct VisitDefinition: Hashable, Sendable, Codable {
    public var id: String
    public var name: String
    public var kind: VisitKind = .visit
    /// Nominal protocol day (Day 0 = first infusion; negative before).
    public var day: Int
    /// Days allowed before the nominal day.
    public var windowBefore: Int
    /// Days allowed after the nominal day.
    public var windowAfter: Int
    /// Form OIDs collected at this visit.
    public var forms: [String]

    public init(id: String, name: String, kind: VisitKind = .visit, day: Int, windowBefore: Int, windowAfter: Int, forms: [String]) {
        self.id = id; self.name = name; self.kind = kind; self.day = day
        self.windowBefore = windowBefore; self.windowAfter = windowAfter; self.forms = forms
    }

    /// The earliest and latest protocol day of the window.
    public var windowDays: ClosedRange<Int> { (day - windowBefore)...(day + windowAfter) }
}
