import Foundation

/// A validated body-surface-area result: the inputs, the formula, unrounded and displayed BSA.
///
/// Source: spec/clinical.md §6.1 ("store height, weight, formula, unrounded BSA and displayed BSA
/// (2 dp)") and §6.5 (weight, height and BSA hard limits; warn above 2.2 m²).
public struct BodySurfaceArea: Encodable, Sendable, Equatable {
    /// The formula used.
    public let formula: BSAFormula
    /// Weight used, kg.
    public let weightKg: Double
    /// Height used, cm.
    public let heightCm: Double
    /// Unrounded BSA, m² — every dose is computed from this value.
    public let bsaM2: Double
    /// BSA rounded to 2 decimal places for display, m².
    public let bsaDisplayM2: Double
    /// Warnings from §6.5 (e.g. BSA above 2.2 m²: confirm no capping is intended).
    public let warnings: [String]

    /// Computes BSA after checking weight, height and the result against `limits`.
    /// - Throws: `CalculatorError` naming `weightField`, `heightField` or `bsaField`.
    /// Source: spec/clinical.md §6.1, §6.5.
    public init(weightKg: Double, heightCm: Double, formula: BSAFormula = .studyDefault,
                limits: DosingLimits = DosingLimits(),
                weightField: String = "weightKg", heightField: String = "heightCm", bsaField: String = "bsaM2") throws {
        try DosingCheck.within(weightKg, limits.weightKg, weightField, unit: "kg", rule: "weight hard limit, spec §6.5")
        try DosingCheck.within(heightCm, limits.heightCm, heightField, unit: "cm", rule: "height hard limit, spec §6.5")
        let bsa = formula.bsaM2(heightCm: heightCm, weightKg: weightKg)
        guard limits.bsaM2.contains(bsa) else {
            throw CalculatorError.outOfRange(bsaField,
                "BSA \(DosingCheck.fmt(bsa)) m² (\(formula.rawValue), from \(weightField) and \(heightField)) is outside \(DosingCheck.fmt(limits.bsaM2.lowerBound))–\(DosingCheck.fmt(limits.bsaM2.upperBound)) m² (BSA hard limit, spec §6.5)")
        }
        self.formula = formula
        self.weightKg = weightKg
        self.heightCm = heightCm
        self.bsaM2 = bsa
        self.bsaDisplayM2 = DosingRounding.round(bsa, places: 2)
        var w: [String] = []
        if bsa > limits.bsaWarnAboveM2 {
            w.append("BSA \(DosingCheck.fmt(bsaDisplayM2)) m² is above \(DosingCheck.fmt(limits.bsaWarnAboveM2)) m²: confirm that no capping is intended (spec §6.5)")
        }
        self.warnings = w
    }
}
