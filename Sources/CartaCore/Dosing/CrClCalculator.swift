import Foundation

/// Calculator `crcl`: Cockcroft–Gault creatinine clearance from age, sex, weight and serum creatinine.
///
/// Source: spec/clinical.md §6.3 (formula, SI form, IBW option) and §6.5 (weight/height limits).
public enum CrClCalculator: Calculator {
    /// Calculator name for `carta compute` and `/api/v1/compute/`.
    public static let name = "crcl"
    /// One-line description for help and the OpenAPI document.
    public static let summary = "Cockcroft–Gault creatinine clearance (mg/dL or µmol/L; actual or Devine ideal body weight)"

    /// A serum creatinine result with its unit (`mg/dL` or `umol/L`, printed spellings like `µmol/L` accepted).
    public struct Creatinine: Codable, Sendable, Equatable {
        public var value: Double
        public var unit: String
        /// Memberwise initialiser (values are validated when computed).
        public init(value: Double, unit: String) { self.value = value; self.unit = unit }
    }

    /// Input of the calculator.
    public struct Input: Decodable, Sendable {
        public var ageYears: Double
        public var sex: CockcroftGault.Sex
        public var weightKg: Double
        /// Needed only when `weightBasis` is `ideal`.
        public var heightCm: Double?
        public var serumCreatinine: Creatinine
        /// Default `actual` (spec §6.3).
        public var weightBasis: CockcroftGault.WeightBasis?
        /// Default `rounded` (k = 1.23 / 1.04 as printed in spec §6.3).
        public var siConstant: CockcroftGault.SIConstant?
        public var limits: DosingLimits?
        /// Memberwise initialiser (values are validated when computed).
        public init(ageYears: Double, sex: CockcroftGault.Sex, weightKg: Double, heightCm: Double? = nil,
                    serumCreatinine: Creatinine, weightBasis: CockcroftGault.WeightBasis? = nil,
                    siConstant: CockcroftGault.SIConstant? = nil, limits: DosingLimits? = nil) {
            self.ageYears = ageYears; self.sex = sex; self.weightKg = weightKg; self.heightCm = heightCm
            self.serumCreatinine = serumCreatinine; self.weightBasis = weightBasis
            self.siConstant = siConstant; self.limits = limits
        }
    }

    /// Output: unrounded and 1-dp CrCl, which form and weight were used, and warnings.
    public struct Output: Encodable, Sendable, Equatable {
        /// Unrounded CrCl, mL/min — dose rules use the 1-dp value (see docs).
        public let crClMlMin: Double
        /// CrCl rounded to 1 dp, mL/min.
        public let crClDisplayMlMin: Double
        /// `conventional` (mg/dL) or `si` (µmol/L), chosen by the creatinine unit.
        public let form: String
        public let formula: String
        public let weightBasis: CockcroftGault.WeightBasis
        public let weightUsedKg: Double
        /// Devine IBW when height was given, kg.
        public let idealBodyWeightKg: Double?
        /// Creatinine in the standard unit (µmol/L).
        public let creatinineUmolPerL: Double
        public let warnings: [String]
    }

    /// Serum creatinine a living adult can have, µmol/L (≈ 0.11–22.6 mg/dL): the study form's hard range
    /// (NCT05315778.yaml `CREAT.hardRange`), so the calculator refuses what the form refuses.
    /// Source: issue 8 "Bad input and clinical safety" (creatinine 1.0 µmol/L gave a CrCl of 7,749 mL/min).
    public static let creatinineHardLimitUmolPerL: ClosedRange<Double> = 10...2000

    /// Refuses an impossible creatinine and names the unit the number was probably meant in.
    static func checkPlausible(_ umol: Double, entered: Double, conventional: Bool) throws {
        let limit = creatinineHardLimitUmolPerL
        guard !limit.contains(umol) else { return }
        let mgPerDL = UnitConversion.creatinineUmolPerLPerMgPerDL
        var hint = ""
        if !conventional, limit.contains(entered * mgPerDL) {
            hint = "; \(DosingCheck.fmt(entered)) is an ordinary value in mg/dL (= \(DosingCheck.fmt(DosingRounding.round(entered * mgPerDL, places: 1))) µmol/L): was the unit mg/dL?"
        } else if conventional, limit.contains(entered) {
            hint = "; \(DosingCheck.fmt(entered)) is an ordinary value in µmol/L: was the unit umol/L?"
        }
        throw CalculatorError.outOfRange("serumCreatinine.value",
            "\(DosingCheck.fmt(entered)) \(conventional ? "mg/dL" : "µmol/L") is outside the physiological limits \(DosingCheck.fmt(limit.lowerBound))–\(DosingCheck.fmt(limit.upperBound)) µmol/L\(hint)")
    }

    /// Validates and computes CrCl.
    /// Source: spec/clinical.md §6.3.
    public static func compute(_ input: Input) throws -> Output {
        let limits = input.limits ?? DosingLimits()
        // Cockcroft–Gault is an adult formula and needs 140 − age > 0.
        try DosingCheck.within(input.ageYears, 18...120, "ageYears", unit: "years", rule: "Cockcroft–Gault is validated for adults")
        try DosingCheck.within(input.weightKg, limits.weightKg, "weightKg", unit: "kg", rule: "weight hard limit, spec §6.5")
        if let h = input.heightCm {
            try DosingCheck.within(h, limits.heightCm, "heightCm", unit: "cm", rule: "height hard limit, spec §6.5")
        }
        let scr = input.serumCreatinine
        try DosingCheck.positive(scr.value, "serumCreatinine.value", unit: scr.unit)
        let umol = try UnitConversion.toStandard(scr.value, unit: scr.unit, analyte: .creatinine, field: "serumCreatinine.unit")
        let conventional = UnitConversion.normalise(scr.unit) == UnitConversion.normalise("mg/dL")
        try checkPlausible(umol, entered: scr.value, conventional: conventional)

        let basis = input.weightBasis ?? .actual
        let ibw = input.heightCm.map { CockcroftGault.idealBodyWeightKg(heightCm: $0, sex: input.sex) }
        var warnings: [String] = []
        let weight: Double
        switch basis {
        case .actual:
            weight = input.weightKg
        case .ideal:
            guard let ibw else {
                throw CalculatorError(code: "missing_field", message: "heightCm: required when weightBasis is \"ideal\" (Devine IBW, spec §6.3)", field: "heightCm")
            }
            weight = ibw
            if ibw > input.weightKg {
                warnings.append("ideal body weight \(DosingCheck.fmt(DosingRounding.round(ibw, places: 1))) kg exceeds actual weight \(DosingCheck.fmt(input.weightKg)) kg; CrCl may be overestimated")
            }
        }

        let crcl: Double
        let formula: String
        if conventional {
            crcl = CockcroftGault.crClConventional(ageYears: input.ageYears, weightKg: weight, creatinineMgPerDL: scr.value, sex: input.sex)
            formula = "(140 − age) × W / (72 × SCr mg/dL)" + (input.sex == .female ? " × 0.85" : "")
        } else {
            let constant = input.siConstant ?? .rounded
            crcl = CockcroftGault.crClSI(ageYears: input.ageYears, weightKg: weight, creatinineUmolPerL: umol, sex: input.sex, constant: constant)
            formula = "(140 − age) × W × \(DosingCheck.fmt(CockcroftGault.k(sex: input.sex, constant: constant))) / SCr µmol/L"
        }
        return Output(crClMlMin: crcl, crClDisplayMlMin: DosingRounding.round(crcl, places: 1),
                      form: conventional ? "conventional" : "si", formula: formula, weightBasis: basis,
                      weightUsedKg: weight, idealBodyWeightKg: ibw, creatinineUmolPerL: umol, warnings: warnings)
    }
}
