import Foundation

/// CAR-T dosing settings as study data: per-kg range, fractions, which cells the dose counts, hold rule, limits.
///
/// Source: spec/clinical.md §6.4 (1.0–2.0 × 10^7 cells/kg [V]; fractions [R/D]; cell basis [?]; hold
/// rule [D]) and §6.5 (CAR-T caps).
public struct CARTDoseRegimen: Codable, Sendable, Hashable {
    /// Which count the per-kg dose refers to (spec §6.4 [?]: registry silent; total cells probable).
    public enum DoseBasis: String, Codable, Sendable, CaseIterable { case totalCells, carPositiveCells }

    /// What defines protocol Day 0 (spec §0.3 [D]: the first CAR-T fraction); `validate` enforces it
    /// by requiring the first fraction on Day 0.
    public enum DayZero: String, Codable, Sendable, CaseIterable {
        /// Day 0 is the date of the first fraction of a split dose.
        case firstFraction
    }

    /// Lowest target dose allowed, cells/kg.
    public var minCellsPerKg: Double = 1.0e7
    /// Highest target dose allowed, cells/kg.
    public var maxCellsPerKg: Double = 2.0e7
    /// Fractions in order; percentages must sum to 100.
    public var fractions: [CARTFraction] = [
        CARTFraction(protocolDay: 0, percent: 10), CARTFraction(protocolDay: 1, percent: 30), CARTFraction(protocolDay: 2, percent: 60),
    ]
    public var doseBasis: DoseBasis = .totalCells
    /// What Day 0 is (spec §0.3 [D]).
    public var dayZero: DayZero = .firstFraction
    public var holdRule: CARTHoldRule = CARTHoldRule()
    public var limits: DosingLimits = DosingLimits()

    /// The spec defaults.
    public init() {}

    enum CodingKeys: String, CodingKey { case minCellsPerKg, maxCellsPerKg, fractions, doseBasis, dayZero, holdRule, limits }

    /// Decodes overrides; absent keys keep the defaults.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = CARTDoseRegimen()
        minCellsPerKg = try c.dosingDecode(.minCellsPerKg, default: d.minCellsPerKg)
        maxCellsPerKg = try c.dosingDecode(.maxCellsPerKg, default: d.maxCellsPerKg)
        fractions = try c.dosingDecode(.fractions, default: d.fractions)
        doseBasis = try c.dosingDecode(.doseBasis, default: d.doseBasis)
        dayZero = try c.dosingDecode(.dayZero, default: d.dayZero)
        holdRule = try c.dosingDecode(.holdRule, default: d.holdRule)
        limits = try c.dosingDecode(.limits, default: d.limits)
    }

    /// Checks the fractions (≥ 1, first on Day 0, days strictly increasing, each > 0 %, sum 100 %) and the range.
    /// Source: spec/clinical.md §0.3 (Day 0 = first fraction [D]), §6.4.
    public func validate(field: String = "regimen") throws {
        try DosingCheck.positive(minCellsPerKg, "\(field).minCellsPerKg", unit: "cells/kg")
        try DosingCheck.positive(maxCellsPerKg, "\(field).maxCellsPerKg", unit: "cells/kg")
        guard minCellsPerKg <= maxCellsPerKg else { throw CalculatorError.invalid("\(field).minCellsPerKg", "must not exceed maxCellsPerKg") }
        guard let first = fractions.first else { throw CalculatorError.invalid("\(field).fractions", "needs at least one fraction") }
        guard first.protocolDay == 0 else {
            throw CalculatorError.invalid("\(field).fractions[0].protocolDay", "the first fraction defines Day 0 (spec §0.3), got \(first.protocolDay)")
        }
        for (i, f) in fractions.enumerated() {
            try DosingCheck.positive(f.percent, "\(field).fractions[\(i)].percent", unit: "%")
            if i > 0, f.protocolDay <= fractions[i - 1].protocolDay {
                throw CalculatorError.invalid("\(field).fractions[\(i)].protocolDay", "fraction days must increase")
            }
        }
        let sum = fractions.reduce(0) { $0 + $1.percent }
        guard abs(sum - 100) < 1e-9 else {
            throw CalculatorError.invalid("\(field).fractions", "percentages sum to \(DosingCheck.fmt(sum)), must sum to 100")
        }
    }
}
