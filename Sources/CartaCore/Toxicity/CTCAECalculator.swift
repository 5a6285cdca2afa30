import Foundation

/// Calculator `ctcae`: grades one laboratory value with CTCAE v5.0 (SI units, baseline rules).
///
/// Source: spec/clinical.md §4.2 and §10.3; docs/calculators/ctcae.md.
public enum CTCAECalculator: Calculator {
    /// Name used by `carta compute` and `/api/v1/compute/`.
    public static let name = "ctcae"
    /// One-line description for help and the OpenAPI document.
    public static let summary = "CTCAE v5.0 grade of a laboratory value (SI units, baseline rules, treatment-emergent worsening)"

    /// A measured value with its unit, e.g. `{"value": 60, "unit": "umol/L"}`.
    ///
    /// Source: spec/clinical.md §4.2.
    public struct Measurement: Codable, Sendable, Equatable {
        public let value: Double
        public let unit: String
    }

    /// Input: term, value and unit, the lab's reference limits (same unit), optional baseline.
    ///
    /// Source: spec/clinical.md §4.2.
    public struct Input: Codable, Sendable {
        /// Term key (`plateletCountDecreased`) or CTCAE text (`Platelet count decreased`).
        public let term: String
        public let value: Double
        public let unit: String
        /// The lab's lower limit of normal, in `unit`; optional (grade 1 of "decreased" terms needs it).
        public let lowerLimitNormal: Double?
        /// The lab's upper limit of normal, in `unit`; optional ("× ULN" grades need it).
        public let upperLimitNormal: Double?
        /// Last pre-lymphodepletion value; required for ALT, AST, bilirubin and fibrinogen.
        public let baseline: Measurement?
        /// INR only: the patient is on anticoagulation (then Carta refuses to grade). Default false.
        public let onAnticoagulant: Bool?
    }

    /// Output: the grade (null when not computable) with the threshold and the rule that decided it.
    ///
    /// Source: spec/clinical.md §4.2.
    public struct Output: Encodable, Sendable, Equatable {
        public let term: String
        public let ctcaeTerm: String
        public let ctcaeVersion: String
        public let meddraCode: String?
        public let valueInStandardUnit: Double
        public let standardUnit: String
        public let grade: Int?
        public let notComputableReason: String?
        public let criteriaVariant: String?
        public let decidingThreshold: String?
        public let decidingThresholdValue: Double?
        public let rule: String
        public let baselineInStandardUnit: Double?
        public let baselineGrade: Int?
        public let baselineNotComputableReason: String?
        public let treatmentEmergentWorsening: Bool?

        enum CodingKeys: String, CodingKey {
            case term, ctcaeTerm, ctcaeVersion, meddraCode, valueInStandardUnit, standardUnit, grade
            case notComputableReason, criteriaVariant, decidingThreshold, decidingThresholdValue, rule
            case baselineInStandardUnit, baselineGrade, baselineNotComputableReason, treatmentEmergentWorsening
        }

        /// Encodes with an explicit `"grade": null` when not computable.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(term, forKey: .term)
            try c.encode(ctcaeTerm, forKey: .ctcaeTerm)
            try c.encode(ctcaeVersion, forKey: .ctcaeVersion)
            try c.encodeIfPresent(meddraCode, forKey: .meddraCode)
            try c.encode(valueInStandardUnit, forKey: .valueInStandardUnit)
            try c.encode(standardUnit, forKey: .standardUnit)
            try c.encode(grade, forKey: .grade) // explicit null: "not computable" is not grade 0
            try c.encodeIfPresent(notComputableReason, forKey: .notComputableReason)
            try c.encodeIfPresent(criteriaVariant, forKey: .criteriaVariant)
            try c.encodeIfPresent(decidingThreshold, forKey: .decidingThreshold)
            try c.encodeIfPresent(decidingThresholdValue, forKey: .decidingThresholdValue)
            try c.encode(rule, forKey: .rule)
            try c.encodeIfPresent(baselineInStandardUnit, forKey: .baselineInStandardUnit)
            try c.encodeIfPresent(baselineGrade, forKey: .baselineGrade)
            try c.encodeIfPresent(baselineNotComputableReason, forKey: .baselineNotComputableReason)
            try c.encodeIfPresent(treatmentEmergentWorsening, forKey: .treatmentEmergentWorsening)
        }
    }

    /// Validates, converts to the standard unit and grades.
    ///
    /// Source: spec/clinical.md §4.2; §10.3 ("grade only on standardized values").
    public static func compute(_ input: Input) throws -> Output {
        guard let term = CTCAELabTerm(lookup: input.term) else {
            throw CalculatorError.invalid("term", "unknown CTCAE laboratory term \"\(input.term)\"; use one of \(CTCAELabTerm.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let analyte = term.analyte
        func standard(_ v: Double, _ unit: String, _ field: String, unitField: String) throws -> Double {
            guard v.isFinite, v >= 0 else { throw CalculatorError.outOfRange(field, "must be a finite number ≥ 0") }
            return try UnitConversion.toStandard(v, unit: unit, analyte: analyte, field: unitField)
        }
        let value = try standard(input.value, input.unit, "value", unitField: "unit")
        var lln: Double? = nil, uln: Double? = nil
        if let l = input.lowerLimitNormal {
            guard l > 0 else { throw CalculatorError.outOfRange("lowerLimitNormal", "must be > 0") }
            lln = try standard(l, input.unit, "lowerLimitNormal", unitField: "unit")
        }
        if let u = input.upperLimitNormal {
            guard u > 0 else { throw CalculatorError.outOfRange("upperLimitNormal", "must be > 0") }
            uln = try standard(u, input.unit, "upperLimitNormal", unitField: "unit")
        }
        if let l = lln, let u = uln, l >= u {
            throw CalculatorError.invalid("upperLimitNormal", "must be greater than lowerLimitNormal")
        }
        let baseline = try input.baseline.map { try standard($0.value, $0.unit, "baseline.value", unitField: "baseline.unit") }
        if input.onAnticoagulant != nil && term != .inrIncreased {
            throw CalculatorError.invalid("onAnticoagulant", "applies only to inrIncreased")
        }
        let a = CTCAELabGrader.grade(
            term, value: value, lowerLimitNormal: lln, upperLimitNormal: uln,
            baseline: baseline, onAnticoagulant: input.onAnticoagulant ?? false)
        return Output(
            term: term.rawValue, ctcaeTerm: term.ctcaeTerm, ctcaeVersion: "5.0", meddraCode: term.meddraCode,
            valueInStandardUnit: value, standardUnit: analyte.standardUnit,
            grade: a.grade.value, notComputableReason: a.grade.notComputableReason,
            criteriaVariant: a.criteriaVariant.isEmpty ? nil : a.criteriaVariant,
            decidingThreshold: a.decidingThreshold, decidingThresholdValue: a.decidingThresholdValue, rule: a.rule,
            baselineInStandardUnit: baseline, baselineGrade: a.baselineGrade?.value,
            baselineNotComputableReason: a.baselineGrade?.notComputableReason,
            treatmentEmergentWorsening: a.treatmentEmergentWorsening)
    }
}
