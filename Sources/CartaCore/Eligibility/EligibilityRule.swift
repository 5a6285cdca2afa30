import Foundation

/// A machine-checkable condition of an eligibility criterion, evaluated in three-valued logic
/// (true / false / unknown because data are missing).
///
/// Thresholds are in the analyte's standard unit (`Analyte.standardUnit`), or in the item's unit
/// when the item has no analyte. Item keys are item OIDs of the study file.
/// Source: spec/clinical.md §0.4; issue 2 scope item 2.
public indirect enum EligibilityRule: Hashable, Sendable, Codable {
    /// A yes/no item answered by the investigator: true when the answer is yes. For an exclusion
    /// the question is "is the condition present?", for an inclusion "is the requirement satisfied?".
    case attestation(item: String)
    /// Age in completed years at the consent date lies in `minYears...maxYears`
    /// (or strictly between them when `inclusive` is false). Source: §0.4 I2 ("age at consent" [D]).
    case age(minYears: Int, maxYears: Int, inclusive: Bool)
    /// The item's numeric value compared with a fixed threshold, e.g. Hb < 100 g/L.
    case compare(item: String, analyte: Analyte?, op: ComparisonOperator, threshold: Double)
    /// The item's value compared with a multiple of the lab's own reference limit,
    /// e.g. creatinine > 1.5 × ULN.
    case relativeToLimit(item: String, op: ComparisonOperator, multiple: Double, limit: ReferenceLimit)
    /// The item's code is one of `values`, e.g. T-cell expansion test = FAIL.
    case coded(item: String, values: [String])
    /// Every sub-rule is true (false as soon as one is false, even if others are unknown).
    case all([EligibilityRule])
    /// At least one sub-rule is true (true as soon as one is true, even if others are unknown).
    case any([EligibilityRule])
    /// The item's date lies within `days` calendar days before the anchor date (on or after
    /// anchor − days; dates after the anchor count as within). Source: §0.4 E11, §0.3.
    case withinDays(item: String, anchor: DateAnchor, days: Int)

    /// Every item OID the rule reads, in order of first appearance.
    public var itemKeys: [String] {
        var out: [String] = []
        func add(_ k: String) { if !out.contains(k) { out.append(k) } }
        func walk(_ r: EligibilityRule) {
            switch r {
            case .attestation(let i), .compare(let i, _, _, _), .relativeToLimit(let i, _, _, _),
                 .coded(let i, _), .withinDays(let i, _, _):
                add(i)
            case .age: break
            case .all(let rs), .any(let rs): rs.forEach(walk)
            }
        }
        walk(self)
        return out
    }
}

/// A numeric comparison operator used by eligibility rules.
///
/// Source: spec/clinical.md §0.4 (the registry uses <, >, ≤ and ≥ literally).
public enum ComparisonOperator: String, Hashable, Sendable, Codable, CaseIterable {
    case lessThan = "<"
    case lessThanOrEqual = "<="
    case greaterThan = ">"
    case greaterThanOrEqual = ">="

    /// True when `lhs op rhs`. Values within 1e-9 (relative) of each other count as equal, so a
    /// boundary computed in floating point (3 × 1.2 = 3.5999…) still lands on the boundary.
    public func holds(_ lhs: Double, _ rhs: Double) -> Bool {
        if abs(lhs - rhs) <= 1e-9 * max(1, abs(lhs), abs(rhs)) {
            return self == .lessThanOrEqual || self == .greaterThanOrEqual
        }
        switch self {
        case .lessThan: return lhs < rhs
        case .lessThanOrEqual: return lhs <= rhs
        case .greaterThan: return lhs > rhs
        case .greaterThanOrEqual: return lhs >= rhs
        }
    }

    /// The printed symbol (`<`, `≤`, `>`, `≥`).
    public var symbol: String {
        switch self {
        case .lessThan: return "<"
        case .lessThanOrEqual: return "≤"
        case .greaterThan: return ">"
        case .greaterThanOrEqual: return "≥"
        }
    }

    /// The operator that holds exactly when this one does not (`<` ↔ `≥`).
    public var negated: ComparisonOperator {
        switch self {
        case .lessThan: return .greaterThanOrEqual
        case .lessThanOrEqual: return .greaterThan
        case .greaterThan: return .lessThanOrEqual
        case .greaterThanOrEqual: return .lessThan
        }
    }
}

/// Which end of a lab's normal reference range a relative rule uses.
///
/// Source: spec/clinical.md §0.4 E8–E10 ("× the upper limit of the normal range").
public enum ReferenceLimit: String, Hashable, Sendable, Codable, CaseIterable {
    case upperLimitNormal = "ULN"
    case lowerLimitNormal = "LLN"
}

/// The date a `withinDays` rule counts back from.
///
/// Source: spec/clinical.md §0.4 E11 ("within 3 months before this CAR-T cell infusion").
public enum DateAnchor: String, Hashable, Sendable, Codable, CaseIterable {
    /// The planned date of the first CAR-T infusion (Day 0).
    case plannedInfusion
    /// The informed-consent date.
    case consent
}
