import Foundation

/// Calculator `cart-dose`: CAR-T target dose, fraction plan, hold-rule decisions and delivered vs planned.
///
/// Source: spec/clinical.md §6.4 and §6.5.
public enum CARTDoseCalculator: Calculator {
    /// Calculator name for `carta compute` and `/api/v1/compute/`.
    public static let name = "cart-dose"
    /// One-line description for help and the OpenAPI document.
    public static let summary = "CAR-T dose plan: cells/kg × weight split into fractions, CRS/ICANS hold rule, delivered vs planned"

    /// Input: weight (before LD), target cells/kg, optional CAR+ %, regimen overrides and fraction records.
    public struct Input: Decodable, Sendable {
        public var weightKg: Double
        /// Target dose of the dose basis, cells/kg (protocol range 1.0e7–2.0e7).
        public var targetCellsPerKg: Double
        /// CAR-positive share of the total cells (transduction efficiency), percent.
        public var carPositivePercent: Double?
        public var regimen: CARTDoseRegimen?
        /// Records of the fractions done so far, in plan order.
        public var fractions: [CARTFractionRecord]?
        /// Memberwise initialiser (values are validated when computed).
        public init(weightKg: Double, targetCellsPerKg: Double, carPositivePercent: Double? = nil,
                    regimen: CARTDoseRegimen? = nil, fractions: [CARTFractionRecord]? = nil) {
            self.weightKg = weightKg; self.targetCellsPerKg = targetCellsPerKg
            self.carPositivePercent = carPositivePercent; self.regimen = regimen; self.fractions = fractions
        }
    }

    /// Computes the plan.
    /// Source: spec/clinical.md §6.4, §6.5.
    public static func compute(_ input: Input) throws -> CARTDosePlan {
        try CARTDosePlan(weightKg: input.weightKg, targetCellsPerKg: input.targetCellsPerKg,
                         carPositivePercent: input.carPositivePercent, regimen: input.regimen ?? CARTDoseRegimen(),
                         records: input.fractions ?? [])
    }
}
