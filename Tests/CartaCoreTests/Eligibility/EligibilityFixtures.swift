@testable import CartaCore

/// The §0.4 rules of NCT05315778 written directly as core values (the study file builds the same).
enum EligibilityFixture {
    static func d(_ s: String) -> ClinicalDate { ClinicalDate(iso: s)! }

    static func lab(_ v: Double, _ unit: String, lln: Double? = nil, uln: Double? = nil) -> Observation {
        .number(value: v, unit: unit, lowerLimitNormal: lln, upperLimitNormal: uln)
    }

    static let i2 = EligibilityCriterion(id: "I2", kind: .inclusion, text: "Ages 18-65 years inclusive",
                                         rule: .age(minYears: 18, maxYears: 65, inclusive: true))
    static let e6 = EligibilityCriterion(id: "E6", kind: .exclusion, text: "Failed T cell expansion test",
                                         rule: .coded(item: "TCELL", values: ["FAIL"]))
    static let e7 = EligibilityCriterion(id: "E7", kind: .exclusion, text: "Hb < 100 g/L; ANC < 1.5",
                                         rule: .any([.compare(item: "HGB", analyte: .hemoglobin, op: .lessThan, threshold: 100),
                                                     .compare(item: "ANC", analyte: .anc, op: .lessThan, threshold: 1.5)]))

    /// E8 with the ALT/AST reading `either` (any) or `both` (all).
    static func e8(transaminasesBoth: Bool = false) -> EligibilityCriterion {
        let alt = EligibilityRule.relativeToLimit(item: "ALT", op: .greaterThan, multiple: 3, limit: .upperLimitNormal)
        let ast = EligibilityRule.relativeToLimit(item: "AST", op: .greaterThan, multiple: 3, limit: .upperLimitNormal)
        return EligibilityCriterion(id: "E8", kind: .exclusion, text: "organ function", rule: .any([
            .relativeToLimit(item: "CREAT", op: .greaterThan, multiple: 1.5, limit: .upperLimitNormal),
            .relativeToLimit(item: "BILI", op: .greaterThan, multiple: 1.5, limit: .upperLimitNormal),
            transaminasesBoth ? .all([alt, ast]) : .any([alt, ast]),
            .compare(item: "LVEF", analyte: .lvef, op: .lessThanOrEqual, threshold: 50),
            .compare(item: "DYSPNEA", analyte: nil, op: .greaterThanOrEqual, threshold: 1),
            .compare(item: "SPO2", analyte: .spo2, op: .lessThan, threshold: 91),
        ]))
    }

    /// E9 with the default reading (> 1.2 × ULN) or the two-sided alternative (also < 0.8 × LLN).
    static func e9(twoSided: Bool = false) -> EligibilityCriterion {
        var parts: [EligibilityRule] = ["PT", "INR", "APTT"].map {
            .relativeToLimit(item: $0, op: .greaterThan, multiple: 1.2, limit: .upperLimitNormal)
        }
        if twoSided {
            parts += ["PT", "INR", "APTT"].map { .relativeToLimit(item: $0, op: .lessThan, multiple: 0.8, limit: .lowerLimitNormal) }
        }
        return EligibilityCriterion(id: "E9", kind: .exclusion, text: "coagulation",
                                    rule: .any(parts + [.attestation(item: "COAG_HISTORY")]))
    }

    static let e10 = EligibilityCriterion(id: "E10", kind: .exclusion, text: "serology", rule: .any([
        .coded(item: "HIV", values: ["POS"]),
        .coded(item: "SYPH", values: ["POS"]),
        .all([.coded(item: "HCVAB", values: ["POS"]),
              .relativeToLimit(item: "HCVRNA", op: .greaterThan, multiple: 1, limit: .upperLimitNormal)]),
        .all([.coded(item: "HBSAG", values: ["POS"]),
              .relativeToLimit(item: "HBVDNA", op: .greaterThan, multiple: 1, limit: .upperLimitNormal)]),
    ]))

    static let e11 = EligibilityCriterion(id: "E11", kind: .exclusion, text: "other study within 3 months", rule: .all([
        .attestation(item: "PRIOR"),
        .withinDays(item: "PRIOR_DATE", anchor: .plannedInfusion, days: 90),
    ]))

    /// Values that pass every rule above.
    static var normal: [String: Observation] {
        [
            "TCELL": .code("PASS"), "HGB": lab(130, "g/L"), "ANC": lab(3, "10*9/L"),
            "CREAT": lab(70, "umol/L", lln: 44, uln: 133), "BILI": lab(10, "umol/L", lln: 3, uln: 21),
            "ALT": lab(20, "U/L", lln: 7, uln: 40), "AST": lab(22, "U/L", lln: 13, uln: 35),
            "LVEF": lab(62, "%"), "DYSPNEA": lab(0, ""), "SPO2": lab(98, "%"),
            "PT": lab(12, "s", lln: 11, uln: 13), "INR": lab(1.0, "{INR}", lln: 0.8, uln: 1.2),
            "APTT": lab(30, "s", lln: 25, uln: 35), "COAG_HISTORY": .boolean(false),
            "HIV": .code("NEG"), "SYPH": .code("NEG"), "HCVAB": .code("NEG"), "HBSAG": .code("NEG"),
            "PRIOR": .boolean(false),
        ]
    }

    static func facts(_ changes: [String: Observation?] = [:], dob: String? = "1980-05-20",
                      consent: String? = "2025-01-10", infusion: String? = "2025-03-01") -> EligibilityFacts {
        var obs = normal
        for (k, v) in changes { obs[k] = v }
        return EligibilityFacts(dateOfBirth: dob.map(d), consentDate: consent.map(d),
                                plannedInfusionDate: infusion.map(d), observations: obs)
    }

    static func evaluate(_ c: EligibilityCriterion, _ f: EligibilityFacts, labels: [String: String] = [:]) -> CriterionResult {
        EligibilityEvaluation.evaluate([c], facts: f, labels: labels).results[0].result
    }
}

/// Coarse outcome used in the tables.
enum EligibilityOutcome: Equatable, CustomStringConvertible {
    case met, notMet, notEvaluable([String])
    init(_ r: CriterionResult) {
        switch r {
        case .met: self = .met
        case .notMet: self = .notMet
        case .notEvaluable(let m): self = .notEvaluable(m)
        }
    }
    var description: String {
        switch self {
        case .met: return "met"
        case .notMet: return "notMet"
        case .notEvaluable(let m): return "notEvaluable(\(m))"
        }
    }
}
