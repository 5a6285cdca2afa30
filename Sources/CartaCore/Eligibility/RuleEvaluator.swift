import Foundation

/// Evaluates eligibility rules over one person's facts in three-valued (Kleene) logic and writes
/// the reasons a coordinator reads.
///
/// Source: spec/clinical.md §0.4 (rules and boundaries), §0.3 (whole calendar-day differences).
struct RuleEvaluator {
    /// The truth of a rule's condition with the fragments that explain it (reasons when decided,
    /// missing keys when unknown).
    enum Truth {
        case yes([String])
        case no([String])
        case unknown([String])
    }

    let facts: EligibilityFacts
    let labels: [String: String]

    /// The criterion's result from the eligibility point of view.
    func result(for criterion: EligibilityCriterion) -> CriterionResult {
        let tag = " (\(criterion.id))"
        switch (truth(criterion.rule), criterion.kind) {
        case (.unknown(let missing), _):
            return .notEvaluable(missing: missing)
        case (.yes(let parts), .inclusion):
            return .met(reason: parts.joined(separator: "; ") + " → requirement met" + tag)
        case (.no(let parts), .inclusion):
            return .notMet(reason: parts.joined(separator: "; ") + " → requirement not met" + tag)
        case (.yes(let parts), .exclusion):
            return .notMet(reason: parts.joined(separator: "; ") + " → excluded" + tag)
        case (.no(let parts), .exclusion):
            return .met(reason: parts.joined(separator: "; ") + " → not excluded" + tag)
        }
    }

    func truth(_ rule: EligibilityRule) -> Truth {
        switch rule {
        case .attestation(let item): return attestation(item)
        case .age(let lo, let hi, let inclusive): return age(lo, hi, inclusive)
        case .compare(let item, let analyte, let op, let threshold): return compare(item, analyte, op, threshold)
        case .relativeToLimit(let item, let op, let multiple, let limit): return relative(item, op, multiple, limit)
        case .coded(let item, let values): return coded(item, values)
        case .withinDays(let item, let anchor, let days): return within(item, anchor, days)
        case .all(let rules): return combine(rules.map(truth), all: true)
        case .any(let rules): return combine(rules.map(truth), all: false)
        }
    }

    // Kleene logic: `all` is false as soon as one part is false; `any` true as soon as one is true.
    private func combine(_ parts: [Truth], all: Bool) -> Truth {
        var yes: [String] = [], no: [String] = [], missing: [String] = []
        var anyYes = false, anyNo = false, anyUnknown = false
        for p in parts {
            switch p {
            case .yes(let r): yes += r; anyYes = true
            case .no(let r): no += r; anyNo = true
            case .unknown(let m): anyUnknown = true; for k in m where !missing.contains(k) { missing.append(k) }
            }
        }
        if all {
            if anyNo { return .no(no) }
            return anyUnknown ? .unknown(missing) : .yes(yes)
        } else {
            if anyYes { return .yes(yes) }
            return anyUnknown ? .unknown(missing) : .no(no)
        }
    }

    private func label(_ item: String) -> String { labels[item] ?? item }

    private func attestation(_ item: String) -> Truth {
        switch facts.observations[item] {
        case nil: return .unknown([item])
        case .boolean(let b)?: return b ? .yes(["\(label(item)): yes"]) : .no(["\(label(item)): no"])
        case let other?: return .unknown([mismatch(item, expected: "a yes/no answer", got: other)])
        }
    }

    private func age(_ lo: Int, _ hi: Int, _ inclusive: Bool) -> Truth {
        var missing: [String] = []
        if facts.dateOfBirth == nil { missing.append(EligibilityFacts.MissingKey.dateOfBirth) }
        if facts.consentDate == nil { missing.append(EligibilityFacts.MissingKey.consentDate) }
        guard let dob = facts.dateOfBirth, let consent = facts.consentDate else { return .unknown(missing) }
        let years = dob.age(on: consent)
        let inside = inclusive ? (lo...hi).contains(years) : (years > lo && years < hi)
        let range = "\(lo)–\(hi) years" + (inclusive ? " inclusive" : " exclusive")
        let text = "age \(years) years at consent (\(consent)) is \(inside ? "within" : "outside") \(range)"
        return inside ? .yes([text]) : .no([text])
    }

    private func compare(_ item: String, _ analyte: Analyte?, _ op: ComparisonOperator, _ threshold: Double) -> Truth {
        guard let obs = facts.observations[item] else { return .unknown([item]) }
        guard case .number(var value, var unit, _, _) = obs else {
            return .unknown([mismatch(item, expected: "a number", got: obs)])
        }
        if let analyte, UnitConversion.normalise(unit) != UnitConversion.normalise(analyte.standardUnit) {
            guard let v = try? UnitConversion.toStandard(value, unit: unit, analyte: analyte) else {
                return .unknown(["\(item) (unit \"\(unit)\" cannot be converted to \(analyte.standardUnit))"])
            }
            value = v; unit = analyte.standardUnit
        }
        let holds = op.holds(value, threshold)
        let shown = holds ? op : op.negated
        let text = "\(label(item)) \(EligibilityFormat.quantity(value, unit)) \(shown.symbol) \(EligibilityFormat.quantity(threshold, unit))"
        return holds ? .yes([text]) : .no([text])
    }

    private func relative(_ item: String, _ op: ComparisonOperator, _ multiple: Double, _ limit: ReferenceLimit) -> Truth {
        guard let obs = facts.observations[item] else { return .unknown([item]) }
        guard case .number(let value, let unit, let lln, let uln) = obs else {
            return .unknown([mismatch(item, expected: "a number", got: obs)])
        }
        guard let reference = (limit == .upperLimitNormal ? uln : lln) else {
            return .unknown([EligibilityFacts.MissingKey.limit(item, limit)])
        }
        let threshold = multiple * reference
        let holds = op.holds(value, threshold)
        let shown = holds ? op : op.negated
        let f = EligibilityFormat.self
        let text = "\(label(item)) \(f.quantity(value, unit)) \(shown.symbol) \(f.number(multiple)) × \(limit.rawValue) "
            + "\(f.number(reference)) = \(f.quantity(threshold, unit))"
        return holds ? .yes([text]) : .no([text])
    }

    private func coded(_ item: String, _ values: [String]) -> Truth {
        guard let obs = facts.observations[item] else { return .unknown([item]) }
        guard case .code(let code) = obs else { return .unknown([mismatch(item, expected: "a code", got: obs)]) }
        if values.contains(code) { return .yes(["\(label(item)): \(code)"]) }
        return .no(["\(label(item)): \(code) (not \(values.joined(separator: " or ")))"])
    }

    private func within(_ item: String, _ anchor: DateAnchor, _ days: Int) -> Truth {
        guard let obs = facts.observations[item] else { return .unknown([item]) }
        guard case .date(let date) = obs else { return .unknown([mismatch(item, expected: "a date", got: obs)]) }
        let anchorDate: ClinicalDate?, anchorName: String, anchorKey: String
        switch anchor {
        case .plannedInfusion:
            (anchorDate, anchorName, anchorKey) = (facts.plannedInfusionDate, "planned CAR-T infusion", EligibilityFacts.MissingKey.plannedInfusionDate)
        case .consent:
            (anchorDate, anchorName, anchorKey) = (facts.consentDate, "consent", EligibilityFacts.MissingKey.consentDate)
        }
        guard let anchorDate else {
            // The infusion always follows consent, so a date more than `days` before consent is
            // also more than `days` before any infusion: decidable without the infusion date.
            if anchor == .plannedInfusion, let consent = facts.consentDate, date.days(to: consent) > days {
                return .no(["\(label(item)) \(date) is \(date.days(to: consent)) days before consent (\(consent)), "
                    + "so more than \(days) days before any CAR-T infusion"])
            }
            return .unknown([anchorKey])
        }
        let before = date.days(to: anchorDate)
        let position = before >= 0 ? "\(before) days before" : "\(-before) days after"
        let inside = before <= days
        let text = "\(label(item)) \(date) is \(position) the \(anchorName) date (\(anchorDate)); "
            + (inside ? "within \(days) days" : "more than \(days) days")
        return inside ? .yes([text]) : .no([text])
    }

    private func mismatch(_ item: String, expected: String, got: Observation) -> String {
        let kind: String
        switch got {
        case .number: kind = "a number"
        case .code: kind = "a code"
        case .boolean: kind = "a yes/no answer"
        case .date: kind = "a date"
        }
        return "\(item) (expected \(expected), got \(kind))"
    }
}
