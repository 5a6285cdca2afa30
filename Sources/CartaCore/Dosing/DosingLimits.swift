import Foundation

/// Hard limits (block) and warning thresholds for dose calculations; a study-level setting.
///
/// Source: spec/clinical.md §6.5 (all values [D], defaults below); §6.2 (recalculate when weight
/// changes > 10%).
public struct DosingLimits: Codable, Sendable, Hashable {
    /// Weight accepted for dosing, kg (block outside).
    public var weightKg: ClosedRange<Double> = 35...150
    /// Height accepted for dosing, cm (block outside).
    public var heightCm: ClosedRange<Double> = 130...210
    /// BSA accepted for dosing, m², any formula (block outside).
    public var bsaM2: ClosedRange<Double> = 1.2...2.6
    /// BSA above which a warning asks to confirm that no capping is intended, m².
    public var bsaWarnAboveM2: Double = 2.2
    /// Relative weight change since the dose calculation that triggers recalculation (0.10 = 10%).
    public var weightChangeWarnFraction: Double = 0.10
    /// A lymphodepletion daily dose may exceed protocol mg/m² × BSA by at most this fraction.
    public var ldDoseToleranceFraction: Double = 0.05
    /// The only lymphodepletion days allowed (protocol days); nil disables the check.
    public var ldDays: [Int]? = [-5, -4, -3]
    /// Minimum whole days from the last LD day to Day 0 (block below).
    public var ldToInfusionMinDays: Int = 2
    /// Days from the last LD day to Day 0 above which a warning is raised.
    public var ldToInfusionWarnAboveDays: Int = 7
    /// Highest CAR-T dose per kg of the protocol range, cells/kg.
    public var cartMaxCellsPerKg: Double = 2.0e7
    /// Tolerance over `cartMaxCellsPerKg × weight` before blocking (0.10 = 10%).
    public var cartPerKgToleranceFraction: Double = 0.10
    /// Absolute CAR-T total cap, cells.
    public var cartMaxTotalCells: Double = 2.0e9
    /// Delivered dose per kg below which a warning asks for the reason to be recorded, cells/kg.
    public var cartMinDeliveredCellsPerKg: Double = 1.0e7

    /// The spec defaults.
    public init() {}

    enum CodingKeys: String, CodingKey {
        case weightKg, heightCm, bsaM2, bsaWarnAboveM2, weightChangeWarnFraction, ldDoseToleranceFraction
        case ldDays, ldToInfusionMinDays, ldToInfusionWarnAboveDays, cartMaxCellsPerKg
        case cartPerKgToleranceFraction, cartMaxTotalCells, cartMinDeliveredCellsPerKg
    }

    /// Decodes overrides; absent keys keep the §6.5 defaults. Ranges are `{"min":…, "max":…}`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = DosingLimits()
        weightKg = try c.dosingDecode(.weightKg, default: DosingRange(d.weightKg)).range(c.codingPath, "weightKg")
        heightCm = try c.dosingDecode(.heightCm, default: DosingRange(d.heightCm)).range(c.codingPath, "heightCm")
        bsaM2 = try c.dosingDecode(.bsaM2, default: DosingRange(d.bsaM2)).range(c.codingPath, "bsaM2")
        bsaWarnAboveM2 = try c.dosingDecode(.bsaWarnAboveM2, default: d.bsaWarnAboveM2)
        weightChangeWarnFraction = try c.dosingDecode(.weightChangeWarnFraction, default: d.weightChangeWarnFraction)
        ldDoseToleranceFraction = try c.dosingDecode(.ldDoseToleranceFraction, default: d.ldDoseToleranceFraction)
        ldDays = c.contains(.ldDays) ? try c.decodeIfPresent([Int].self, forKey: .ldDays) : d.ldDays
        ldToInfusionMinDays = try c.dosingDecode(.ldToInfusionMinDays, default: d.ldToInfusionMinDays)
        ldToInfusionWarnAboveDays = try c.dosingDecode(.ldToInfusionWarnAboveDays, default: d.ldToInfusionWarnAboveDays)
        cartMaxCellsPerKg = try c.dosingDecode(.cartMaxCellsPerKg, default: d.cartMaxCellsPerKg)
        cartPerKgToleranceFraction = try c.dosingDecode(.cartPerKgToleranceFraction, default: d.cartPerKgToleranceFraction)
        cartMaxTotalCells = try c.dosingDecode(.cartMaxTotalCells, default: d.cartMaxTotalCells)
        cartMinDeliveredCellsPerKg = try c.dosingDecode(.cartMinDeliveredCellsPerKg, default: d.cartMinDeliveredCellsPerKg)
    }

    /// Encodes every setting (ranges as `{"min":…, "max":…}`).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(DosingRange(weightKg), forKey: .weightKg)
        try c.encode(DosingRange(heightCm), forKey: .heightCm)
        try c.encode(DosingRange(bsaM2), forKey: .bsaM2)
        try c.encode(bsaWarnAboveM2, forKey: .bsaWarnAboveM2)
        try c.encode(weightChangeWarnFraction, forKey: .weightChangeWarnFraction)
        try c.encode(ldDoseToleranceFraction, forKey: .ldDoseToleranceFraction)
        try c.encode(ldDays, forKey: .ldDays)
        try c.encode(ldToInfusionMinDays, forKey: .ldToInfusionMinDays)
        try c.encode(ldToInfusionWarnAboveDays, forKey: .ldToInfusionWarnAboveDays)
        try c.encode(cartMaxCellsPerKg, forKey: .cartMaxCellsPerKg)
        try c.encode(cartPerKgToleranceFraction, forKey: .cartPerKgToleranceFraction)
        try c.encode(cartMaxTotalCells, forKey: .cartMaxTotalCells)
        try c.encode(cartMinDeliveredCellsPerKg, forKey: .cartMinDeliveredCellsPerKg)
    }
}

/// An inclusive numeric range as it appears in JSON/YAML: `{"min": 35, "max": 150}`.
struct DosingRange: Codable, Sendable {
    var min: Double
    var max: Double
    init(_ r: ClosedRange<Double>) { min = r.lowerBound; max = r.upperBound }

    func range(_ path: [any CodingKey], _ key: String) throws -> ClosedRange<Double> {
        guard min.isFinite, max.isFinite, min <= max else {
            let p = CalculatorJSON.path(path) + (path.isEmpty ? key : ".\(key)")
            throw CalculatorError.invalid(p, "min must not exceed max")
        }
        return min...max
    }
}
