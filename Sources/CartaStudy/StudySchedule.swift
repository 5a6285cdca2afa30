/// The schedule of events relative to Day 0 (first CAR-T infusion). Minimal here; the
/// "trial conduct" issue adds assessments per visit.
///
/// Source: spec/clinical.md §0.3 (time axis) and §7 (visit windows) [D].
public struct StudySchedule: Hashable, Sendable, Codable {
    /// What Day 0 is, in words.
    public var dayZero: String
    public var visits: [VisitDefinition]
}

/// A planned visit: nominal protocol day, allowed window, and the forms collected.
///
/// Source: spec/clinical.md §7.
public struct VisitDefinition: Hashable, Sendable, Codable {
    public var id: String
    public var name: String
    /// Nominal protocol day (Day 0 = first infusion; negative before).
    public var day: Int
    /// Days allowed before the nominal day.
    public var windowBefore: Int
    /// Days allowed after the nominal day.
    public var windowAfter: Int
    /// Form OIDs collected at this visit.
    public var forms: [String]

    /// The earliest and latest protocol day of the window.
    public var windowDays: ClosedRange<Int> { (day - windowBefore)...(day + windowAfter) }
}
