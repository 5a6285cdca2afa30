import Foundation

/// A lymphodepletion regimen as study data: drugs, protocol days, BSA formula and cap, rounding rule, limits.
///
/// Source: spec/clinical.md §6.2 (Flu 30 + Cy 300 mg/m²/day on Days −5, −4, −3 [V]; rounding and
/// 5% block [D]), §6.1 (formula setting, default Mosteller [D]; no routine capping [R]), §6.5 (limits).
public struct LymphodepletionRegimen: Codable, Sendable, Hashable {
    /// Drugs given on each day, in plan order.
    public var drugs: [LymphodepletionDrug] = [.fludarabine, .cyclophosphamide]
    /// Protocol days of administration (Day 0 = first CAR-T infusion).
    public var days: [Int] = [-5, -4, -3]
    /// BSA formula for dosing.
    public var bsaFormula: BSAFormula = .studyDefault
    /// BSA cap in m², nil for none (ASCO: no routine capping).
    public var bsaCapM2: Double?
    /// Block when a rounded daily dose differs from the calculated one by more than this fraction (0.05 = 5%).
    public var maxRoundingDeviationFraction: Double = 0.05
    /// Hard limits and warning thresholds.
    public var limits: DosingLimits = DosingLimits()

    /// The registry regimen with the spec's [D] defaults.
    public init() {}

    enum CodingKeys: String, CodingKey { case drugs, days, bsaFormula, bsaCapM2, maxRoundingDeviationFraction, limits }

    /// Decodes overrides; absent keys keep the defaults above.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = LymphodepletionRegimen()
        drugs = try c.dosingDecode(.drugs, default: d.drugs)
        days = try c.dosingDecode(.days, default: d.days)
        bsaFormula = try c.dosingDecode(.bsaFormula, default: d.bsaFormula)
        bsaCapM2 = try c.decodeIfPresent(Double.self, forKey: .bsaCapM2)
        maxRoundingDeviationFraction = try c.dosingDecode(.maxRoundingDeviationFraction, default: d.maxRoundingDeviationFraction)
        limits = try c.dosingDecode(.limits, default: d.limits)
    }

    /// Checks the regimen is internally consistent and within §6.5; `field` prefixes error paths.
    /// - Returns: warnings (e.g. LD end more than 7 days before Day 0).
    /// Source: spec/clinical.md §6.5 ("LD days", "Interval LD end → first infusion").
    public func validate(field: String = "regimen") throws -> [String] {
        guard !drugs.isEmpty else { throw CalculatorError.invalid("\(field).drugs", "needs at least one drug") }
        var names = Set<String>()
        for (i, drug) in drugs.enumerated() {
            let f = "\(field).drugs[\(i)]"
            guard !drug.name.trimmingCharacters(in: .whitespaces).isEmpty else { throw CalculatorError.invalid("\(f).name", "must not be empty") }
            guard names.insert(drug.name.lowercased()).inserted else { throw CalculatorError.invalid("\(f).name", "\"\(drug.name)\" is listed twice") }
            try DosingCheck.positive(drug.mgPerM2PerDay, "\(f).mgPerM2PerDay", unit: "mg/m²")
            try DosingCheck.positive(drug.roundingStepMg, "\(f).roundingStepMg", unit: "mg")
            try drug.renalAdjustment?.validate(field: "\(f).renalAdjustment")
        }
        guard !days.isEmpty, Set(days).count == days.count else {
            throw CalculatorError.invalid("\(field).days", "must list distinct protocol days")
        }
        if let required = limits.ldDays, days.sorted() != required.sorted() {
            throw CalculatorError.outOfRange("\(field).days", "LD days \(days.sorted()) differ from the required \(required.sorted()) (spec §6.5)")
        }
        let gap = -(days.max() ?? 0)
        guard gap >= limits.ldToInfusionMinDays else {
            throw CalculatorError.outOfRange("\(field).days", "last LD day \(-gap) leaves \(gap) days before Day 0; at least \(limits.ldToInfusionMinDays) are required (spec §6.5)")
        }
        if let cap = bsaCapM2 { try DosingCheck.positive(cap, "\(field).bsaCapM2", unit: "m²") }
        guard maxRoundingDeviationFraction >= 0, maxRoundingDeviationFraction.isFinite else {
            throw CalculatorError.invalid("\(field).maxRoundingDeviationFraction", "must be ≥ 0")
        }
        return gap > limits.ldToInfusionWarnAboveDays
            ? ["last LD day \(-gap) is \(gap) days before Day 0, more than \(limits.ldToInfusionWarnAboveDays) (spec §6.5)"] : []
    }
}
