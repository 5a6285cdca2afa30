import CartaCore

/// The eligibility section of a study: its criteria and the items that carry the consent and
/// planned-infusion dates.
///
/// Source: spec/clinical.md §0.4; DESIGN.md §1.
public struct StudyEligibility: Hashable, Sendable, Codable {
    /// Date item holding the informed-consent date (the age anchor, §0.4 I2 [D]).
    public var consentDateItem: String
    /// Date item holding the planned first CAR-T infusion date (Day 0), the E11 anchor.
    public var plannedInfusionDateItem: String?
    public var inclusion: [EligibilityCriterion]
    public var exclusion: [EligibilityCriterion]

    /// Inclusion criteria first, then exclusion criteria, in file order.
    public var criteria: [EligibilityCriterion] { inclusion + exclusion }
}

extension Study {
    /// Item labels by OID, for readable eligibility reasons.
    public var itemLabels: [String: String] {
        Dictionary(allItems.map { ($0.oid, $0.label) }, uniquingKeysWith: { a, _ in a })
    }

    /// Builds eligibility facts from checked observations keyed by item OID; the consent and
    /// planned-infusion dates are taken from the study's designated date items.
    ///
    /// Source: issue 2 scope item 6 (date of birth is identifying and held outside the forms).
    public func eligibilityFacts(dateOfBirth: ClinicalDate?, observations: [String: Observation]) -> EligibilityFacts {
        func date(_ oid: String?) -> ClinicalDate? {
            guard let oid, case .date(let d)? = observations[oid] else { return nil }
            return d
        }
        return EligibilityFacts(dateOfBirth: dateOfBirth, consentDate: date(eligibility.consentDateItem),
                                plannedInfusionDate: date(eligibility.plannedInfusionDateItem),
                                observations: observations)
    }

    /// Evaluates every criterion of the study against `facts`, naming items by their labels.
    ///
    /// Source: spec/clinical.md §0.4.
    public func evaluateEligibility(_ facts: EligibilityFacts) -> EligibilityEvaluation {
        EligibilityEvaluation.evaluate(eligibility.criteria, facts: facts, labels: itemLabels)
    }

    /// A readable name for an entry of `CriterionResult.notEvaluable(missing:)`:
    /// `HGB` → "Hemoglobin", `CREAT.ULN` → "Creatinine: upper limit of normal".
    ///
    /// Source: issue 2 scope item 6 ("not evaluable (with what is missing)").
    public func describeMissing(_ key: String) -> String {
        switch key {
        case EligibilityFacts.MissingKey.dateOfBirth: return "date of birth"
        case EligibilityFacts.MissingKey.consentDate:
            return item(eligibility.consentDateItem)?.label ?? "consent date"
        case EligibilityFacts.MissingKey.plannedInfusionDate:
            return eligibility.plannedInfusionDateItem.flatMap { item($0)?.label } ?? "planned CAR-T infusion date"
        default: break
        }
        for (suffix, words) in [(".ULN", "upper limit of normal"), (".LLN", "lower limit of normal")] where key.hasSuffix(suffix) {
            let oid = String(key.dropLast(suffix.count))
            if let it = item(oid) { return "\(it.label): \(words)" }
        }
        return item(key)?.label ?? key
    }
}
