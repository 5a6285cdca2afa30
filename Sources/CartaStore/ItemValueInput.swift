import Foundation

/// One value to save on a form.
///
/// Source: issue 2 scope 3 and 6. The server validates and converts units (CartaCore) before saving.
public struct ItemValueInput: Sendable, Equatable, Codable {
    /// Item OID on the saved form.
    public var itemOID: String
    /// Repeat key; empty when not repeating.
    public var repeatKey: String
    /// The value as entered; `nil` clears it.
    public var valueText: String?
    /// The unit as entered.
    public var unitEntered: String?
    /// The value in the standard unit.
    public var valueStandard: Double?
    /// The standard unit.
    public var unitStandard: String?
    /// Lower limit of normal (entered unit).
    public var lowerLimitNormal: Double?
    /// Upper limit of normal (entered unit).
    public var upperLimitNormal: Double?

    /// Creates an input value.
    ///
    /// Source: issue 2 scope 3.
    public init(itemOID: String, repeatKey: String = "", valueText: String?, unitEntered: String? = nil,
                valueStandard: Double? = nil, unitStandard: String? = nil,
                lowerLimitNormal: Double? = nil, upperLimitNormal: Double? = nil) {
        self.itemOID = itemOID
        self.repeatKey = repeatKey
        self.valueText = valueText
        self.unitEntered = unitEntered
        self.valueStandard = valueStandard
        self.unitStandard = unitStandard
        self.lowerLimitNormal = lowerLimitNormal
        self.upperLimitNormal = upperLimitNormal
    }
}
