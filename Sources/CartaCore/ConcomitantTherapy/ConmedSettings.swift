/// Settings of the concomitant-therapy reduction rules (all [D]); carried by the study file.
///
/// Decoding fills absent keys with the defaults.
/// Source: spec/clinical.md §9.3 items 1–3.
public struct ConmedSettings: Codable, Sendable, Hashable {
    /// Baseline regimen = the last this-many days before the first LD dose [D: 28 = 4 weeks].
    public var baselineWindowDays: Int = 28
    /// Protocol day of the first LD dose when no date is given [V: −5].
    public var lymphodepletionStartDay: Int = -5
    /// Primary reduction threshold: intensity fall of at least this fraction [D: 0.25].
    public var reductionFraction: Double = 0.25
    /// Secondary reduction threshold, also reported [D: 0.5].
    public var secondaryReductionFraction: Double = 0.5
    /// A reduction or discontinuation must last at least this many days [D: 28].
    public var sustainedDays: Int = 28
    /// Protocol days of Month 3 and Month 6 [D: 91, 183].
    public var month3Day: Int = 91, month6Day: Int = 183

    /// The spec's defaults.
    public init() {}

    private enum CodingKeys: String, CodingKey {
        case baselineWindowDays, lymphodepletionStartDay, reductionFraction, secondaryReductionFraction
        case sustainedDays, month3Day, month6Day
    }

    /// Decodes, taking the default for every absent key.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        baselineWindowDays = try c.decodeIfPresent(Int.self, forKey: .baselineWindowDays) ?? baselineWindowDays
        lymphodepletionStartDay = try c.decodeIfPresent(Int.self, forKey: .lymphodepletionStartDay) ?? lymphodepletionStartDay
        reductionFraction = try c.decodeIfPresent(Double.self, forKey: .reductionFraction) ?? reductionFraction
        secondaryReductionFraction = try c.decodeIfPresent(Double.self, forKey: .secondaryReductionFraction) ?? secondaryReductionFraction
        sustainedDays = try c.decodeIfPresent(Int.self, forKey: .sustainedDays) ?? sustainedDays
        month3Day = try c.decodeIfPresent(Int.self, forKey: .month3Day) ?? month3Day
        month6Day = try c.decodeIfPresent(Int.self, forKey: .month6Day) ?? month6Day
    }

    /// Checks ranges; throws naming `prefix.key`.
    public func validate(prefix: String = "settings") throws {
        if baselineWindowDays < 1 { throw CalculatorError.outOfRange("\(prefix).baselineWindowDays", "must be ≥ 1 day") }
        if lymphodepletionStartDay >= 0 { throw CalculatorError.outOfRange("\(prefix).lymphodepletionStartDay", "must be before Day 0") }
        for (v, k) in [(reductionFraction, "reductionFraction"), (secondaryReductionFraction, "secondaryReductionFraction")]
        where !(v > 0 && v <= 1) {
            throw CalculatorError.outOfRange("\(prefix).\(k)", "must be in (0, 1], got \(v)")
        }
        if sustainedDays < 1 { throw CalculatorError.outOfRange("\(prefix).sustainedDays", "must be ≥ 1 day") }
        if !(0 < month3Day && month3Day < month6Day) {
            throw CalculatorError.outOfRange("\(prefix).month3Day", "need 0 < month3Day < month6Day")
        }
    }
}
