/// Grades a laboratory value with the CTCAE v5.0 table, refusing to guess when a limit is missing.
///
/// Source: spec/clinical.md §4.1 (range semantics), §4.2 (table, vectors, baseline rules, "if LLN is
/// missing, grade 1 is not computable"), §10.3 ("grade only on standardized values").
public enum CTCAELabGrader {
    /// Grades `value` (already in `term.analyte.standardUnit`); limits and baseline in the same unit.
    ///
    /// A reference limit is needed only when the outcome depends on it: platelets 40 with no LLN is
    /// grade 3, platelets 100 with no LLN is not computable. When `baseline` is given the result
    /// also carries the baseline's grade and whether the value is a treatment-emergent worsening.
    /// Source: spec/clinical.md §4.2.
    public static func grade(
        _ term: CTCAELabTerm, value: Double,
        lowerLimitNormal: Double?, upperLimitNormal: Double?,
        baseline: Double? = nil, onAnticoagulant: Bool = false
    ) -> CTCAELabAssessment {
        let main = evaluate(term, value, lowerLimitNormal, upperLimitNormal, baseline, onAnticoagulant)
        var baselineGrade: CTCAEGrade? = nil
        var worsening: Bool? = nil
        if let baseline {
            // The baseline is graded against itself under the same criteria variant, so both grades
            // answer the same question (spec/clinical.md §4.2 [D]: worsening = grade > baseline grade).
            let b = evaluate(term, baseline, lowerLimitNormal, upperLimitNormal, baseline, onAnticoagulant)
            baselineGrade = b.grade
            if let now = main.grade.value, let then = b.grade.value { worsening = now > then }
        }
        return CTCAELabAssessment(
            term: term, valueInStandardUnit: value, grade: main.grade, criteriaVariant: main.variant,
            decidingThreshold: main.threshold, decidingThresholdValue: main.thresholdValue, rule: main.rule,
            baselineGrade: baselineGrade, treatmentEmergentWorsening: worsening)
    }

    /// The grades alone, as `grade` decides them, without the words that explain them (a whole-study
    /// derivation grades every lab value and shows none of the texts; `grade` gives them when shown).
    /// Source: as `grade` (spec/clinical.md §4.1–4.2).
    public static func grades(
        _ term: CTCAELabTerm, value: Double,
        lowerLimitNormal: Double?, upperLimitNormal: Double?,
        baseline: Double? = nil, onAnticoagulant: Bool = false
    ) -> (grade: Int?, baselineGrade: Int?, worsening: Bool?) {
        let now = evaluate(term, value, lowerLimitNormal, upperLimitNormal, baseline, onAnticoagulant, explain: false).grade.value
        guard let baseline else { return (now, nil, nil) }
        let then = evaluate(term, baseline, lowerLimitNormal, upperLimitNormal, baseline, onAnticoagulant, explain: false).grade.value
        return (now, then, now.flatMap { n in then.map { n > $0 } })
    }

    struct Outcome {
        var grade: CTCAEGrade
        var variant: String = ""
        var threshold: String? = nil
        var thresholdValue: Double? = nil
        var rule: String
    }

    static func evaluate(
        _ term: CTCAELabTerm, _ value: Double, _ lln: Double?, _ uln: Double?, _ baseline: Double?, _ onAnticoagulant: Bool,
        explain: Bool = true
    ) -> Outcome {
        // `explain` false: the same grade, with empty texts (the reasons are only built to be shown).
        func refuse(_ reason: @autoclosure () -> String) -> Outcome {
            let why = explain ? reason() : ""
            return Outcome(grade: .notComputable(reason: why), rule: why)
        }
        if term == .inrIncreased && onAnticoagulant {
            return refuse("INR on anticoagulation is graded relative to baseline (> 1 – 1.5 × BL for grade 1); spec/clinical.md §4.2 gives only that cell, so grade it clinically")
        }
        let set: CTCAECriteriaSet
        switch term.baselineDependency {
        case .none, .baselineClauses:
            set = term.criteria()
        case .variantByBaselineAboveULN:
            guard let baseline else { return refuse("a baseline value is required: \(term.ctcaeTerm) criteria differ for normal and abnormal baseline") }
            guard let uln else { return refuse("the upper limit of normal is required to classify the baseline as normal or abnormal") }
            set = term.criteria(baselineAbnormal: CTCAEComparison.greaterThan.holds(baseline, uln))
        case .variantByBaselineBelowLLN:
            guard let baseline else { return refuse("a baseline value is required: \(term.ctcaeTerm) criteria differ for normal and abnormal baseline") }
            guard let lln else { return refuse("the lower limit of normal is required to classify the baseline as normal or abnormal") }
            set = term.criteria(baselineAbnormal: CTCAEComparison.lessThan.holds(baseline, lln))
        }
        let unit = term.analyte.standardUnit
        func reference(_ r: CTCAEReference) -> Double? {
            switch r {
            case .absolute: return 1
            case .lowerLimitNormal: return lln
            case .upperLimitNormal: return uln
            case .baseline: return baseline
            }
        }
        func name(_ r: CTCAEReference) -> String {
            switch r {
            case .absolute: return "value"
            case .lowerLimitNormal: return "lower limit of normal"
            case .upperLimitNormal: return "upper limit of normal"
            case .baseline: return "baseline value"
            }
        }
        for criterion in set.criteria {
            var missing: [String] = []
            for clause in criterion.anyOf {
                guard let ref = reference(clause.reference) else { missing.append(name(clause.reference)); continue }
                let threshold = clause.multiple * ref
                if clause.comparison.holds(value, threshold) {
                    guard explain else { return Outcome(grade: .grade(criterion.grade), rule: "") }
                    return Outcome(
                        grade: .grade(criterion.grade), variant: set.variant, threshold: clause.text(unit: unit),
                        thresholdValue: threshold, rule: "Grade \(criterion.grade): \(criterion.cellText)")
                }
            }
            if !missing.isEmpty {
                guard explain else { return Outcome(grade: .notComputable(reason: ""), rule: "") }
                let reason = "the \(missing.joined(separator: " and ")) is required to decide grade \(criterion.grade) (\(criterion.cellText))"
                return Outcome(grade: .notComputable(reason: reason), variant: set.variant, rule: reason)
            }
        }
        // No condition holds: grade 0, decided by the mildest grade's first threshold.
        guard explain else { return Outcome(grade: .grade(0), rule: "") }
        let mildest = set.criteria[set.criteria.count - 1]
        let clause = mildest.anyOf[0]
        return Outcome(
            grade: .grade(0), variant: set.variant, threshold: clause.text(unit: unit),
            thresholdValue: reference(clause.reference).map { clause.multiple * $0 },
            rule: "Grade 0: no grade \(mildest.grade) condition met (grade \(mildest.grade) is \(mildest.cellText))")
    }
}
