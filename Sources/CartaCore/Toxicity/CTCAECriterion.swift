import Foundation

/// The reference a CTCAE threshold is expressed against: an absolute value, LLN, ULN or baseline.
///
/// Source: spec/clinical.md §4.2 (thresholds as ×LLN, ×ULN, ×BL or absolute SI values).
public enum CTCAEReference: String, Sendable, Codable, CaseIterable {
    case absolute, lowerLimitNormal, upperLimitNormal, baseline

    var symbol: String {
        switch self {
        case .absolute: return ""
        case .lowerLimitNormal: return "LLN"
        case .upperLimitNormal: return "ULN"
        case .baseline: return "BL"
        }
    }
}

/// A comparison operator of a CTCAE threshold (`<`, `≤`, `>`, `≥`).
///
/// Source: spec/clinical.md §4.1 range semantics ("< 75.0 − 50.0" = value < 75.0 and ≥ 50.0).
public enum CTCAEComparison: String, Sendable, Codable, CaseIterable {
    case lessThan = "<", lessOrEqual = "≤", greaterThan = ">", greaterOrEqual = "≥"

    /// Compares with a relative tolerance of 1e-9 so that unit conversion round-off (e.g. 75 000/µL
    /// × 0.001) cannot move a value across a boundary the spec pins (§4.2 vectors: 75.0 → G1).
    func holds(_ value: Double, _ threshold: Double) -> Bool {
        let equal = abs(value - threshold) <= 1e-9 * max(1, abs(value), abs(threshold))
        switch self {
        case .lessThan: return value < threshold && !equal
        case .lessOrEqual: return value < threshold || equal
        case .greaterThan: return value > threshold && !equal
        case .greaterOrEqual: return value > threshold || equal
        }
    }
}

/// One threshold: `value <op> multiple × reference` (or `value <op> multiple` when absolute).
///
/// Source: spec/clinical.md §4.2.
public struct CTCAEClause: Hashable, Sendable {
    public let comparison: CTCAEComparison
    public let multiple: Double
    public let reference: CTCAEReference

    /// Creates the value from its parts (no validation; calculators validate input).
    public init(_ comparison: CTCAEComparison, _ multiple: Double, _ reference: CTCAEReference = .absolute) {
        self.comparison = comparison; self.multiple = multiple; self.reference = reference
    }

    /// Human-readable form, e.g. `> 3.0 × ULN` or `< 75 10*9/L`.
    func text(unit: String) -> String {
        if reference == .absolute { return "\(comparison.rawValue) \(CTCAEClause.format(multiple)) \(unit)" }
        return "\(comparison.rawValue) \(CTCAEClause.format(multiple)) × \(reference.symbol)"
    }

    static func format(_ x: Double) -> String {
        // "%.1f" for whole numbers, without the C formatter (it ran for every graded value).
        x == x.rounded() && abs(x) < 1e12 ? (x < 0 || (x == 0 && x.sign == .minus) ? "-" : "") + String(Int64(abs(x))) + ".0" : String(x)
    }
}

/// The condition for one grade: true when any clause holds (a semicolon or "or" in the CTCAE cell).
///
/// Source: spec/clinical.md §4.1 ("A semicolon in a cell means 'or'").
public struct CTCAEGradeCriterion: Sendable {
    public let grade: Int
    public let anyOf: [CTCAEClause]
    /// The CTCAE cell as printed, for the rule text in results.
    public let cellText: String
}

/// The ordered criteria of a term under one baseline reading (highest grade first).
///
/// Source: spec/clinical.md §4.1 ("grade = highest grade whose condition is true").
public struct CTCAECriteriaSet: Sendable {
    /// Which variant this is, e.g. "baseline normal"; empty when the term has one variant.
    public let variant: String
    public let criteria: [CTCAEGradeCriterion]
}
