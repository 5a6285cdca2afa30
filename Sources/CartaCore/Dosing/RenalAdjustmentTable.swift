import Foundation

/// A CrCl-banded dose adjustment table (full dose, a percentage of the dose, or do not administer).
///
/// Source: spec/clinical.md §6.3 (Fludara IV label table, proportional rule for 30 mg/m² [D],
/// "implement the Fludara table as default with a per-study override").
public struct RenalAdjustmentTable: Codable, Sendable, Hashable {
    /// One band: applies when CrCl ≥ `minCrClMlMin` and below the next higher band's minimum.
    public struct Band: Codable, Sendable, Hashable {
        /// Inclusive lower bound of the band, mL/min.
        public var minCrClMlMin: Double
        /// Percentage of the protocol dose given in this band (100 = full); nil when `doNotAdminister`.
        public var percentOfDose: Double?
        /// True when the drug must not be given in this band (escalate to the PI).
        public var doNotAdminister: Bool?
        /// Memberwise initialiser (values are validated when computed).
        public init(minCrClMlMin: Double, percentOfDose: Double? = nil, doNotAdminister: Bool? = nil) {
            self.minCrClMlMin = minCrClMlMin; self.percentOfDose = percentOfDose; self.doNotAdminister = doNotAdminister
        }
    }

    /// What a band prescribes.
    public enum Action: Equatable, Sendable {
        case percentOfDose(Double)
        case doNotAdminister
    }

    /// The bands in any order (sorted on use).
    public var bands: [Band]
    /// CrCl is rounded to this many decimals before lookup so the band matches the displayed value
    /// (default 1, as the spec's CrCl vectors); nil compares the unrounded value.
    public var compareAtDecimalPlaces: Int?

    /// Memberwise initialiser (values are validated when computed).
    public init(bands: [Band], compareAtDecimalPlaces: Int? = 1) {
        self.bands = bands; self.compareAtDecimalPlaces = compareAtDecimalPlaces
    }

    /// Fludara IV label bands scaled to 30 mg/m²: ≥80 full, 50–79 −20% (24), 30–49 −40% (18), <30 do not administer.
    /// Source: spec/clinical.md §6.3 table, column "Proportional rule for 30 mg/m² LD [D]".
    public static let fludaraProportional = RenalAdjustmentTable(bands: [
        Band(minCrClMlMin: 80, percentOfDose: 100),
        Band(minCrClMlMin: 50, percentOfDose: 80),
        Band(minCrClMlMin: 30, percentOfDose: 60),
        Band(minCrClMlMin: 0, doNotAdminister: true),
    ])

    enum CodingKeys: String, CodingKey { case bands, compareAtDecimalPlaces }

    /// Decodes a table; `compareAtDecimalPlaces` defaults to 1 when absent.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        bands = try c.decode([Band].self, forKey: .bands)
        compareAtDecimalPlaces = c.contains(.compareAtDecimalPlaces) ? try c.decodeIfPresent(Int.self, forKey: .compareAtDecimalPlaces) : 1
    }

    /// Checks the table is usable: bands present, distinct minimums, one band reaching 0, one action per band.
    /// - Throws: `CalculatorError` naming `field` (e.g. `regimen.drugs[0].renalAdjustment.bands[2]`).
    public func validate(field: String) throws {
        guard !bands.isEmpty else { throw CalculatorError.invalid("\(field).bands", "needs at least one band") }
        for (i, b) in bands.enumerated() {
            let f = "\(field).bands[\(i)]"
            guard b.minCrClMlMin.isFinite, b.minCrClMlMin >= 0 else { throw CalculatorError.invalid("\(f).minCrClMlMin", "must be ≥ 0") }
            switch (b.percentOfDose, b.doNotAdminister ?? false) {
            case (nil, true): break
            case (let p?, false):
                guard p > 0, p <= 100 else { throw CalculatorError.invalid("\(f).percentOfDose", "must be in (0, 100], got \(DosingCheck.fmt(p))") }
            default:
                throw CalculatorError.invalid(f, "give exactly one of percentOfDose or doNotAdminister: true")
            }
        }
        guard Set(bands.map(\.minCrClMlMin)).count == bands.count else {
            throw CalculatorError.invalid("\(field).bands", "two bands share the same minCrClMlMin")
        }
        guard bands.contains(where: { $0.minCrClMlMin == 0 }) else {
            throw CalculatorError.invalid("\(field).bands", "needs a band starting at minCrClMlMin 0 so every CrCl is covered")
        }
    }

    /// The band for `crClMlMin`: its action and a text such as "CrCl 74.4 mL/min in band 50–<80 → 80% of dose".
    /// Source: spec/clinical.md §6.3.
    public func lookup(crClMlMin: Double) -> (action: Action, rule: String) {
        let crcl = compareAtDecimalPlaces.map { DosingRounding.round(crClMlMin, places: $0) } ?? crClMlMin
        let sorted = bands.sorted { $0.minCrClMlMin > $1.minCrClMlMin }
        for (i, b) in sorted.enumerated() where crcl >= b.minCrClMlMin {
            let range = i == 0 ? "≥ \(DosingCheck.fmt(b.minCrClMlMin))" : "\(DosingCheck.fmt(b.minCrClMlMin))–<\(DosingCheck.fmt(sorted[i - 1].minCrClMlMin))"
            let action: Action = (b.doNotAdminister ?? false) ? .doNotAdminister : .percentOfDose(b.percentOfDose ?? 100)
            let text: String
            switch action {
            case .doNotAdminister: text = "do not administer; escalate to PI"
            case .percentOfDose(let p): text = p == 100 ? "full dose" : "reduced \(DosingCheck.fmt(100 - p))% (\(DosingCheck.fmt(p))% of dose)"
            }
            return (action, "CrCl \(DosingCheck.fmt(crcl)) mL/min in band \(range) mL/min → \(text)")
        }
        // validate() guarantees a band at 0 and CrCl is ≥ 0, so this is reached only for negative CrCl.
        return (.doNotAdminister, "CrCl \(DosingCheck.fmt(crcl)) mL/min below every band → do not administer; escalate to PI")
    }
}
