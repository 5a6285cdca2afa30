import Foundation

/// A lock that freezes data: the whole database, one participant's casebook, or one form of one
/// participant. While it stands, every write to what it covers is refused on every path.
///
/// Source: issue 7 scope 7 ("form, casebook and database lock/unlock by permitted roles, each signed,
/// audited and with a reason; a locked record refuses writes from every path"); standards.md R-DT-2
/// (ICH E6(R3) 4.2.6: database lock is a controlled, signed event; post-lock change needs unlock with justification).
public struct DataLock: Sendable, Equatable, Codable {
    /// What a lock covers.
    public enum Scope: String, Sendable, Codable, CaseIterable {
        case database, participant, form
    }

    public var id: String
    public var scope: Scope
    /// The participant (casebook and form locks).
    public var participantID: ParticipantID?
    /// The form (form locks).
    public var formOID: FormOID?
    /// Who locked it (printed name) and when (UTC).
    public var lockedByName: String
    public var lockedAt: Date
    /// Why.
    public var reason: String

    public init(id: String, scope: Scope, participantID: ParticipantID?, formOID: FormOID?, lockedByName: String,
                lockedAt: Date, reason: String) {
        self.id = id
        self.scope = scope
        self.participantID = participantID
        self.formOID = formOID
        self.lockedByName = lockedByName
        self.lockedAt = lockedAt
        self.reason = reason
    }
}
