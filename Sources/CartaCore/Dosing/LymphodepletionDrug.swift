import Foundation

/// One lymphodepleting drug of a regimen: per-m² daily dose, dispensing step and renal rule.
///
/// Source: spec/clinical.md §6.2 (30 / 300 mg/m²/day [V registry]; rounding 1 mg / 10 mg [D]) and
/// §6.3 (fludarabine renal table; no renal adjustment for cyclophosphamide at 300 mg/m² [R]).
public struct LymphodepletionDrug: Codable, Sendable, Hashable {
    /// Drug name as printed on the plan, e.g. `fludarabine`.
    public var name: String
    /// Protocol dose, mg per m² per day.
    public var mgPerM2PerDay: Double
    /// Dispensing step the daily dose is rounded to, mg (default 1).
    public var roundingStepMg: Double
    /// CrCl-banded adjustment; nil means the drug has no renal adjustment (must be stated explicitly in JSON).
    public var renalAdjustment: RenalAdjustmentTable?

    /// Memberwise initialiser (values are validated when computed).
    public init(name: String, mgPerM2PerDay: Double, roundingStepMg: Double = 1, renalAdjustment: RenalAdjustmentTable?) {
        self.name = name; self.mgPerM2PerDay = mgPerM2PerDay
        self.roundingStepMg = roundingStepMg; self.renalAdjustment = renalAdjustment
    }

    /// Fludarabine 30 mg/m²/day, rounded to 1 mg, Fludara proportional renal table.
    /// Source: spec/clinical.md §6.2, §6.3.
    public static let fludarabine = LymphodepletionDrug(name: "fludarabine", mgPerM2PerDay: 30, roundingStepMg: 1,
                                                        renalAdjustment: .fludaraProportional)
    /// Cyclophosphamide 300 mg/m²/day, rounded to 10 mg, no renal adjustment.
    /// Source: spec/clinical.md §6.2, §6.3.
    public static let cyclophosphamide = LymphodepletionDrug(name: "cyclophosphamide", mgPerM2PerDay: 300, roundingStepMg: 10,
                                                             renalAdjustment: nil)

    enum CodingKeys: String, CodingKey { case name, mgPerM2PerDay, roundingStepMg, renalAdjustment }

    /// Decodes a drug; `renalAdjustment` must be present (a table or `null`) so "no adjustment" is never implied.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        mgPerM2PerDay = try c.decode(Double.self, forKey: .mgPerM2PerDay)
        roundingStepMg = try c.dosingDecode(.roundingStepMg, default: 1.0)
        guard c.contains(.renalAdjustment) else {
            throw DecodingError.keyNotFound(CodingKeys.renalAdjustment, .init(codingPath: c.codingPath,
                debugDescription: "state the renal adjustment table, or null for none"))
        }
        renalAdjustment = try c.decodeIfPresent(RenalAdjustmentTable.self, forKey: .renalAdjustment)
    }

    /// Encodes every field, writing `renalAdjustment: null` explicitly when there is none.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(mgPerM2PerDay, forKey: .mgPerM2PerDay)
        try c.encode(roundingStepMg, forKey: .roundingStepMg)
        try c.encode(renalAdjustment, forKey: .renalAdjustment)
    }
}
