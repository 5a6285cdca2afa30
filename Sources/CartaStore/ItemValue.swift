import Foundation

/// A stored form value: as entered, standardised, and with the lab's reference range.
///
/// Source: issue 2 scope 3 ("Lab results store the value as entered, its unit, the standardised SI value and
/// unit (§10.3), and the lab's reference range"). The reference range is in the entered unit.
public struct ItemValue: Sendable, Equatable, Codable {
    /// The participant the value belongs to.
    public var participantID: ParticipantID
    /// Where the value lives.
    public var address: ItemAddress
    /// The value exactly as entered (text), `nil` if cleared.
    public var valueText: String?
    /// The unit as entered (UCUM code), if any.
    public var unitEntered: String?
    /// The value converted to the standard unit, if numeric.
    public var valueStandard: Double?
    /// The standard unit (UCUM, spec/clinical.md §10.3), if numeric.
    public var unitStandard: String?
    /// The lab's lower limit of normal, in `unitEntered`.
    public var lowerLimitNormal: Double?
    /// The lab's upper limit of normal, in `unitEntered`.
    public var upperLimitNormal: Double?
    /// Time of the last change (UTC).
    public var updatedAt: Date
    /// Username of whoever made the last change.
    public var updatedBy: String
}
