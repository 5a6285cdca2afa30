import Foundation

/// A recorded value as one unit from entry to report: the text as entered (after validation), its
/// unit as entered, the value in the analyte's standard unit, and the lab's reference range.
///
/// The one shape of a value in Carta: the study file's item check produces it, the store keeps it,
/// rules read `standardValue`, pages show `text` and `unit`, exports take both.
/// Source: spec/clinical.md §10.3 (value and unit as entered plus the standardised SI value);
/// CDISC SDTM LB (LBORRES/LBORRESU as collected, LBSTRESN/LBSTRESU standardised, LBORNRLO/LBORNRHI).
public struct MeasuredValue: Sendable, Equatable, Hashable, Codable {
    /// Canonical text as entered: trimmed number, `true`/`false`, `YYYY-MM-DD`, a code or free text.
    public var text: String
    /// The unit as entered (UCUM), for numeric items with a unit.
    public var unit: String?
    /// The value in the standard unit, for numeric items.
    public var standardValue: Double?
    /// The standard unit (UCUM), for numeric items.
    public var standardUnit: String?
    /// The lab's lower limit of normal, in the entered unit.
    public var lowerLimitNormal: Double?
    /// The lab's upper limit of normal, in the entered unit.
    public var upperLimitNormal: Double?

    /// Creates a value.
    ///
    /// Source: spec/clinical.md §10.3.
    public init(text: String, unit: String? = nil, standardValue: Double? = nil, standardUnit: String? = nil,
                lowerLimitNormal: Double? = nil, upperLimitNormal: Double? = nil) {
        self.text = text
        self.unit = unit
        self.standardValue = standardValue
        self.standardUnit = standardUnit
        self.lowerLimitNormal = lowerLimitNormal
        self.upperLimitNormal = upperLimitNormal
    }

    /// The number as entered, for numeric items (those with a standardised value); nil otherwise,
    /// so a code such as ECOG "1" is never read as a quantity.
    public var number: Double? { standardValue == nil ? nil : Double(text) }

    /// This value with the lab's reference range attached.
    public func withReferenceRange(lower: Double?, upper: Double?) -> MeasuredValue {
        var v = self
        v.lowerLimitNormal = lower
        v.upperLimitNormal = upper
        return v
    }
}
