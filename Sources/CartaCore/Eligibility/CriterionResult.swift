/// The outcome of one criterion, from the eligibility point of view.
///
/// An exclusion criterion is `.met` when the excluding condition is absent. Reasons name the value
/// and the threshold that decided it. `missing` lists item OIDs, `ITEM.ULN` / `ITEM.LLN` for a
/// missing reference limit, or `dateOfBirth` / `consentDate` / `plannedInfusionDate`.
/// Source: DESIGN.md §4 ("rule outcomes are values"); issue 2 scope item 6.
public enum CriterionResult: Hashable, Sendable, Codable {
    case met(reason: String)
    case notMet(reason: String)
    case notEvaluable(missing: [String])

    /// True for `.met`.
    public var isMet: Bool { if case .met = self { return true } else { return false } }

    /// The reason text, or a sentence naming what is missing.
    public var explanation: String {
        switch self {
        case .met(let r), .notMet(let r): return r
        case .notEvaluable(let m): return "not evaluable: missing " + m.joined(separator: ", ")
        }
    }
}

/// The eligibility checklist of one person: every criterion with its result and the overall verdict.
///
/// Source: issue 2 scope item 6 ("never lets a participant be enrolled while any criterion is not
/// met or not evaluable").
public struct EligibilityEvaluation: Hashable, Sendable, Codable {
    /// The overall verdict. `notEligible` wins over `incomplete`: one failed criterion settles it.
    ///
    /// Source: issue 2 scope item 6.
    public enum Overall: Hashable, Sendable, Codable {
        case eligible
        case notEligible(failed: [String])
        case incomplete(notEvaluable: [String])
    }

    /// One row of the checklist.
    ///
    /// Source: issue 2 scope item 6 ("evaluates every criterion").
    public struct Entry: Hashable, Sendable, Codable {
        public var criterion: EligibilityCriterion
        public var result: CriterionResult
    }

    /// The criteria in the order given, each with its result.
    public var results: [Entry]
    public var overall: Overall

    /// Evaluates every criterion against `facts`.
    ///
    /// `labels` maps item OIDs to the names used in reasons ("Hemoglobin"); unlabelled items are
    /// named by analyte or OID. Source: spec/clinical.md §0.4.
    public static func evaluate(_ criteria: [EligibilityCriterion], facts: EligibilityFacts,
                                labels: [String: String] = [:]) -> EligibilityEvaluation {
        let evaluator = RuleEvaluator(facts: facts, labels: labels)
        let entries = criteria.map { Entry(criterion: $0, result: evaluator.result(for: $0)) }
        let failed = entries.filter { if case .notMet = $0.result { return true }; return false }.map(\.criterion.id)
        let open = entries.filter { if case .notEvaluable = $0.result { return true }; return false }.map(\.criterion.id)
        let overall: Overall = !failed.isEmpty ? .notEligible(failed: failed)
            : !open.isEmpty ? .incomplete(notEvaluable: open) : .eligible
        return EligibilityEvaluation(results: entries, overall: overall)
    }

    /// The result for criterion `id`, if it was evaluated.
    public func result(for id: String) -> CriterionResult? {
        results.first { $0.criterion.id == id }?.result
    }
}
