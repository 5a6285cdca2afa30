import Foundation

/// Calculator `lymphodepletion`: fludarabine/cyclophosphamide plan per drug per day from weight, height and CrCl.
///
/// Source: spec/clinical.md §6.2, §6.3, §6.5; regimen defaults from the registry record (§0.2).
public enum LymphodepletionCalculator: Calculator {
    /// Calculator name for `carta compute` and `/api/v1/compute/`.
    public static let name = "lymphodepletion"
    /// One-line description for help and the OpenAPI document.
    public static let summary = "Lymphodepletion doses (default Flu 30 + Cy 300 mg/m²/day, Days −5…−3) with renal adjustment and limits"

    /// Input: weight, height, CrCl (from `crcl`), optional regimen overrides and the weight of the last calculation.
    public struct Input: Decodable, Sendable {
        public var weightKg: Double
        public var heightCm: Double
        /// Creatinine clearance, mL/min (e.g. `crClMlMin` of the `crcl` calculator).
        public var crClMlMin: Double
        /// Regimen overrides; absent keys keep the spec defaults.
        public var regimen: LymphodepletionRegimen?
        /// Weight used for the previous dose calculation, kg; a > 10% change raises a warning.
        public var weightAtLastCalculationKg: Double?
        /// Memberwise initialiser (values are validated when computed).
        public init(weightKg: Double, heightCm: Double, crClMlMin: Double, regimen: LymphodepletionRegimen? = nil,
                    weightAtLastCalculationKg: Double? = nil) {
            self.weightKg = weightKg; self.heightCm = heightCm; self.crClMlMin = crClMlMin
            self.regimen = regimen; self.weightAtLastCalculationKg = weightAtLastCalculationKg
        }
    }

    /// Computes the plan.
    /// Source: spec/clinical.md §6.2, §6.3, §6.5.
    public static func compute(_ input: Input) throws -> LymphodepletionPlan {
        try LymphodepletionPlan(weightKg: input.weightKg, heightCm: input.heightCm, crClMlMin: input.crClMlMin,
                                regimen: input.regimen ?? LymphodepletionRegimen(),
                                weightAtLastCalculationKg: input.weightAtLastCalculationKg)
    }
}
