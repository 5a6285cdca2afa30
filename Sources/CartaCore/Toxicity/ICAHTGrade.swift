/// An ICAHT grade (0–4) or the statement that it cannot be evaluated, with the reason.
///
/// Source: spec/clinical.md §5.3 (late categories need ≥ 2 lab values).
public enum ICAHTGrade: Hashable, Sendable {
    case grade(Int)
    case notEvaluable(reason: String)

    /// The numeric grade, or nil when not evaluable.
    public var value: Int? {
        if case .grade(let g) = self { return g }
        return nil
    }

    /// The reason, or nil when evaluable.
    public var notEvaluableReason: String? {
        if case .notEvaluable(let r) = self { return r }
        return nil
    }
}

/// One count on a protocol day (Day 0 = first CAR-T infusion), in the standard unit 10*9/L.
///
/// Source: spec/clinical.md §0.3 (protocol day), §5.3.
public struct ICAHTDailyCount: Hashable, Sendable {
    public let day: Int
    public let per10e9L: Double

    /// Creates the value from its parts (no validation; calculators validate input).
    public init(day: Int, per10e9L: Double) { self.day = day; self.per10e9L = per10e9L }
}
