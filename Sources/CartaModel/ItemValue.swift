import Foundation

/// A stored form value at its ODM address, with who changed it last.
///
/// Source: issue 2 scope 3 ("Lab results store the value as entered, its unit, the standardised SI value and
/// unit (§10.3), and the lab's reference range"); CDISC ODM 1.3.2 §3.1.4 (ItemData).
public struct ItemValue: Sendable, Equatable, Codable {
    /// The participant the value belongs to.
    public var participantID: ParticipantID
    /// Where the value lives.
    public var address: ItemAddress
    /// The value; `nil` when it was cleared.
    public var value: MeasuredValue?
    /// Time of the last change (UTC).
    public var updatedAt: Date
    /// Username of whoever made the last change.
    public var updatedBy: String

    /// Creates a stored value.
    ///
    /// Source: issue 2 scope 3.
    public init(participantID: ParticipantID, address: ItemAddress, value: MeasuredValue?, updatedAt: Date, updatedBy: String) {
        self.participantID = participantID
        self.address = address
        self.value = value
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }
}
