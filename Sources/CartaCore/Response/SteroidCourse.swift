/// Why a corticosteroid course was given (only ITP courses count toward dependence).
///
/// Source: spec/clinical.md §1.2 (corticosteroid dependence), §1.4.
public enum SteroidReason: String, Codable, Sendable, CaseIterable {
    case itp, crs, icans, other
}

/// A corticosteroid course at a constant prednisone-equivalent daily dose, first to last day inclusive.
///
/// Source: spec/clinical.md §1.2, §1.4 (dependence), §9.2 (prednisone equivalence).
public struct SteroidCourse: Sendable, Equatable {
    /// `dayNumber` of the first day.
    public var startDayNumber: Int
    /// `dayNumber` of the last day.
    public var endDayNumber: Int
    /// Daily dose as prednisone-equivalent mg/day.
    public var prednisoneEquivalentMgPerDay: Double
    /// Why it was given.
    public var reason: SteroidReason

    /// Creates a course.
    public init(startDayNumber: Int, endDayNumber: Int, prednisoneEquivalentMgPerDay: Double, reason: SteroidReason) {
        self.startDayNumber = startDayNumber; self.endDayNumber = endDayNumber
        self.prednisoneEquivalentMgPerDay = prednisoneEquivalentMgPerDay; self.reason = reason
    }
}
