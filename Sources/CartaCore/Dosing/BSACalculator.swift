import Foundation

/// Calculator `bsa`: body surface area by a chosen (or the study default) formula, with all formulas for comparison.
///
/// Source: spec/clinical.md §6.1 (formulas, default Mosteller, 2-dp display) and §6.5 (limits).
public enum BSACalculator: Calculator {
    /// Calculator name for `carta compute` and `/api/v1/compute/`.
    public static let name = "bsa"
    /// One-line description for help and the OpenAPI document.
    public static let summary = "Body surface area (Mosteller, DuBois, Haycock, Gehan–George, Stevenson) with §6.5 limits"

    /// Input: weight in kg, height in cm, optional formula (default `mosteller`) and optional limits.
    public struct Input: Decodable, Sendable {
        public var weightKg: Double
        public var heightCm: Double
        public var formula: BSAFormula?
        public var limits: DosingLimits?
        /// Memberwise initialiser (values are validated when computed).
        public init(weightKg: Double, heightCm: Double, formula: BSAFormula? = nil, limits: DosingLimits? = nil) {
            self.weightKg = weightKg; self.heightCm = heightCm; self.formula = formula; self.limits = limits
        }
    }

    /// Output: the chosen formula's unrounded and displayed BSA, warnings, and every formula's unrounded BSA.
    public struct Output: Encodable, Sendable, Equatable {
        /// Formula used for `bsaM2` (the requested one, else the study default).
        public let formula: BSAFormula
        /// True when no formula was given and the study default was used.
        public let formulaDefaulted: Bool
        public let weightKg: Double
        public let heightCm: Double
        /// Unrounded BSA, m².
        public let bsaM2: Double
        /// BSA rounded to 2 dp, m².
        public let bsaDisplayM2: Double
        /// Unrounded BSA by every formula (keyed by formula raw value), m²; for comparison only.
        public let bsaM2ByFormula: [String: Double]
        public let warnings: [String]
    }

    /// Validates the input and computes BSA.
    /// Source: spec/clinical.md §6.1, §6.5.
    public static func compute(_ input: Input) throws -> Output {
        let formula = input.formula ?? .studyDefault
        let bsa = try BodySurfaceArea(weightKg: input.weightKg, heightCm: input.heightCm, formula: formula,
                                      limits: input.limits ?? DosingLimits())
        var all: [String: Double] = [:]
        for f in BSAFormula.allCases { all[f.rawValue] = f.bsaM2(heightCm: input.heightCm, weightKg: input.weightKg) }
        return Output(formula: formula, formulaDefaulted: input.formula == nil, weightKg: input.weightKg,
                      heightCm: input.heightCm, bsaM2: bsa.bsaM2, bsaDisplayM2: bsa.bsaDisplayM2,
                      bsaM2ByFormula: all, warnings: bsa.warnings)
    }
}
