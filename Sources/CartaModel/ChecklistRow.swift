import CartaCore

/// One eligibility criterion as shown to the signer and frozen in the signature's snapshot.
///
/// The JSON form (sorted keys) is what a signature's `criteria_snapshot` stores and hashes: keep the
/// property names and the outcome's raw values stable.
/// Source: 21 CFR Part 11 §11.50/§11.70 (the signed record is linked to what was signed); issue 2 scope 6.
public struct ChecklistRow: Codable, Sendable, Equatable {
    /// The criterion's result as a stable word.
    public enum Outcome: String, Codable, Sendable, CaseIterable {
        /// The participant satisfies the criterion (an exclusion's condition is absent).
        case met
        /// The participant fails the criterion.
        case notMet = "not_met"
        /// Data is missing to decide.
        case notEvaluable = "not_evaluable"
    }

    /// Criterion id, e.g. `I3`, `E7`.
    public let id: String
    /// `inclusion` or `exclusion`.
    public let kind: String
    /// Protocol text.
    public let text: String
    /// The result.
    public let result: Outcome
    /// The reason with value and threshold, or what is missing.
    public let reason: String
    /// The missing data, by label (empty unless not evaluable).
    public let missing: [String]

    /// Creates a row.
    public init(id: String, kind: String, text: String, result: Outcome, reason: String, missing: [String]) {
        self.id = id
        self.kind = kind
        self.text = text
        self.result = result
        self.reason = reason
        self.missing = missing
    }

    /// The rows of an evaluation; `describe` turns a missing fact's key into the label a person knows.
    public static func rows(_ evaluation: EligibilityEvaluation, describe: (String) -> String) -> [ChecklistRow] {
        evaluation.results.map { entry in
            switch entry.result {
            case .met(let r):
                return ChecklistRow(id: entry.criterion.id, kind: entry.criterion.kind.rawValue, text: entry.criterion.text,
                                    result: .met, reason: r, missing: [])
            case .notMet(let r):
                return ChecklistRow(id: entry.criterion.id, kind: entry.criterion.kind.rawValue, text: entry.criterion.text,
                                    result: .notMet, reason: r, missing: [])
            case .notEvaluable(let m):
                let names = m.map(describe)
                return ChecklistRow(id: entry.criterion.id, kind: entry.criterion.kind.rawValue, text: entry.criterion.text,
                                    result: .notEvaluable, reason: "Not evaluable: missing " + names.joined(separator: ", ") + ".",
                                    missing: names)
            }
        }
    }
}
