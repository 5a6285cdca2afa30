/// An ITP response level: complete response, response ("PR" in the registry), no response, or not evaluable.
///
/// Ordered NE < NR < R < CR so "status ≥ L" reads naturally for L ∈ {R, CR}.
/// Source: spec/clinical.md §1.2 (IWG CR/R/NR), §1.5 row 2 (store code `R`, display "PR (= IWG R)").
public enum ResponseLevel: String, Codable, Sendable, Comparable, CaseIterable {
    case notEvaluable = "NE", nr = "NR", r = "R", cr = "CR"

    @usableFromInline var rank: Int {
        switch self {
        case .notEvaluable: return 0
        case .nr: return 1
        case .r: return 2
        case .cr: return 3
        }
    }

    /// Display label per spec §1.5 row 2.
    public var displayLabel: String {
        switch self {
        case .notEvaluable: return "not evaluable"
        case .nr: return "NR"
        case .r: return "PR (= IWG R)"
        case .cr: return "CR"
        }
    }

    /// True for R and CR.
    @inlinable public var isResponse: Bool { self == .r || self == .cr }

    /// Orders NE < NR < R < CR.
    public static func < (a: ResponseLevel, b: ResponseLevel) -> Bool { a.rank < b.rank }
}

/// A yes / no / cannot-tell answer for a flag such as "early response".
///
/// Source: DESIGN.md §4 (rule outcomes are values, incomplete data is "not evaluable", never guessed).
public enum FlagOutcome: String, Codable, Sendable, CaseIterable, Equatable {
    case met, notMet, notEvaluable
}
