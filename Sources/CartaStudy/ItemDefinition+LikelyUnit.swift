import CartaCore
import CartaModel
import Foundation

/// Unit confusion: a number that is impossible or unusual in the unit given but ordinary in another
/// (platelets 60000 "×10⁹/L" that are 60000/µL, creatinine 1.0 "µmol/L" that is 1.0 mg/dL, haemoglobin
/// 8.5 "g/L" that is 8.5 g/dL, a weight of 140 "kg" that is 140 lb). Carta names the likely unit instead
/// of storing the value as typed without a word.
///
/// Source: issue 8 "Bad input and clinical safety" (held with a warning naming the likely unit; outside
/// hard physiological limits refused); spec/clinical.md §10.3 (conversion factors, plausibility limits).
extension ItemDefinition {
    /// A unit the number was more likely measured in, with the value it would then have in the standard unit.
    public struct LikelyUnit: Hashable, Sendable {
        public let unit: String
        public let standardValue: Double
    }

    /// The units of this item's analyte, other than `entered` (or one converting the same way), in which
    /// `number` lies inside the item's expected range (its soft range, or its hard range when it has none).
    /// Units the item accepts come first; each conversion is named once (`/uL` and `/mm3` are the same).
    public func likelyUnits(for number: Double, entered: String) -> [LikelyUnit] {
        guard let analyte, let ordinary = softRange ?? hardRange,
              let enteredFactor = try? UnitConversion.toStandard(1, unit: entered, analyte: analyte),
              let enteredOffset = try? UnitConversion.toStandard(0, unit: entered, analyte: analyte) else { return [] }
        let accepted = acceptedUnits
        let candidates = accepted + UnitConversion.acceptedUnits(for: analyte).filter { u in !accepted.contains { Self.sameUnit($0, u, analyte) } }
        var seen: [(Double, Double)] = [(enteredFactor, enteredOffset)]
        var out: [LikelyUnit] = []
        for unit in candidates {
            guard let f = try? UnitConversion.toStandard(1, unit: unit, analyte: analyte),
                  let o = try? UnitConversion.toStandard(0, unit: unit, analyte: analyte),
                  !seen.contains(where: { abs($0.0 - f) <= 1e-9 * abs(f) && abs($0.1 - o) <= 1e-9 }) else { continue }
            seen.append((f, o))
            if let v = try? UnitConversion.toStandard(number, unit: unit, analyte: analyte), ordinary.contains(v) {
                out.append(LikelyUnit(unit: unit, standardValue: v))
            }
        }
        return out
    }

    /// "1 is an ordinary value in mg/dL (= 88.4 µmol/L): was the unit mg/dL?" — or nil when no other unit
    /// makes the number ordinary.
    public func likelyUnitHint(for number: Double, entered: String) -> String? {
        let found = likelyUnits(for: number, entered: entered)
        guard !found.isEmpty, let std = standardUnit else { return nil }
        let n = EligibilityFormat.number(number)
        let readings = found.map { "\(EligibilityFormat.displayUnit($0.unit)) (= \(Self.rounded($0.standardValue, std)))" }
        let names = found.map { EligibilityFormat.displayUnit($0.unit) }
        return "\(n) is an ordinary value in \(readings.joined(separator: " or ")): was the unit \(names.joined(separator: " or "))?"
    }

    /// Why a value that passed its limits should be held until the person confirms it, or nil:
    /// - it lies outside the expected (soft) range but is ordinary in another unit, or
    /// - it is a body measurement (`stableAnalytes`) that differs from the participant's `previous` value by more
    ///   than a quarter, while the same number read in another unit is within a tenth of that previous value
    ///   (140 "kg" after 63.5 kg).
    /// Source: issue 8 "Bad input" (weight 140 "kg" that is 140 lb is held with a warning naming the unit).
    public func unitHold(_ value: MeasuredValue, previous: MeasuredValue?, previousWhere: String? = nil) -> String? {
        guard analyte != nil, let number = value.number, let standard = value.standardValue, let std = standardUnit else { return nil }
        let unit = value.unit ?? self.unit ?? std
        // Formatted only when a message is made: most values are held for nothing.
        func shown() -> String { EligibilityFormat.quantity(number, unit) }
        if let soft = softRange, !soft.contains(standard), let hint = likelyUnitHint(for: number, entered: unit) {
            return "\(label) \(shown()) is outside the expected range \(soft.text(unit: std)); \(hint)"
        }
        guard let analyte, Self.stableAnalytes.contains(analyte),
              let before = previous?.standardValue, before > 0, abs(standard / before - 1) > 0.25 else { return nil }
        let matches = likelyUnits(for: number, entered: unit).filter { abs($0.standardValue / before - 1) <= 0.10 }
        guard let slip = matches.first else { return nil }
        let last = Self.rounded(before, std) + (previousWhere.map { " (\($0))" } ?? "")
        let inOther = EligibilityFormat.quantity(number, slip.unit)
        return "\(label) \(shown()) is far from the last value \(last), but \(inOther) = \(Self.rounded(slip.standardValue, std)): was the unit \(EligibilityFormat.displayUnit(slip.unit))?"
    }

    /// Quantities that do not change by a unit factor between visits (body measurements), so a jump that one
    /// exactly explains is a slip. Not laboratory values: a CRP falling tenfold after CRS is ordinary, and would
    /// read as mg/dL typed for mg/L.
    public static let stableAnalytes: Set<Analyte> = [.weight, .height]

    /// A converted value as people read it: three significant figures at most, with the unit.
    static func rounded(_ x: Double, _ unit: String) -> String {
        guard x != 0, x.isFinite else { return EligibilityFormat.quantity(x, unit) }
        let digits = max(0, 2 - Int(floor(log10(abs(x)))))
        let p = pow(10, Double(digits))
        return EligibilityFormat.quantity((x * p).rounded() / p, unit)
    }

    /// The laboratory's limits in `unit` (the unit the value is entered in), as text for the entry's LLN/ULN;
    /// nil when they cannot be converted.
    public func limits(of range: LabReferenceRange, in unit: String) -> (lln: String?, uln: String?)? {
        func convert(_ x: Double?) -> String?? {
            guard let x else { return .some(nil) }
            guard unit != range.unit else { return EligibilityFormat.number(x) }
            guard let analyte, let std = try? UnitConversion.toStandard(x, unit: range.unit, analyte: analyte),
                  let back = try? UnitConversion.fromStandard(std, unit: unit, analyte: analyte) else { return nil }
            return EligibilityFormat.number(back)
        }
        guard let lo = convert(range.lowerLimitNormal), let hi = convert(range.upperLimitNormal) else { return nil }
        return (lo, hi)
    }
}
