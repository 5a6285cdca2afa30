import Foundation

/// One append-only, hash-chained audit record: who changed which field of which entity, from what to what, and why.
///
/// Source: issue 2 scope 4; 21 CFR Part 11 §11.10(e) (secure, computer-generated, time-stamped audit trails).
/// Item values use entity `item_value`, entity id = participant id, field = `EVENT/FORM/ITEM` (plus `[repeat]`
/// when repeating) and a suffix `:unit`, `:standard`, `:standard_unit`, `:lln`, `:uln` for the non-value parts.
public struct AuditEvent: Sendable, Equatable, Codable {
    /// Position in the chain (autoincrement; gaps are possible after rolled-back transactions).
    public var seq: Int
    /// UTC time, ISO 8601 with milliseconds (`2026-11-25T10:00:00.123Z`).
    public var at: String
    /// The acting user's id (`nil` for the system).
    public var userID: String?
    /// The acting user's username.
    public var username: String
    /// `web`, `api`, `cli` or `import`.
    public var source: AuditSource
    /// What kind of record changed (`participant`, `item_value`, `user`, `eligibility_decision`, …).
    public var entity: AuditEntity
    /// Which record changed.
    public var entityID: String
    /// Which field changed.
    public var field: String
    /// The value before (`nil` when created).
    public var oldValue: String?
    /// The value after (`nil` when cleared).
    public var newValue: String?
    /// The reason given for the change, if any.
    public var reason: String?
    /// The previous record's hash (64 zeros for the first record).
    public var prevHash: String
    /// SHA-256 hex of `prevHash` followed by the canonical JSON of the content fields.
    public var hash: String
    /// When the record's values were redacted (personal data typed where it does not belong): who, when and
    /// why. Readers then get no old value, new value or reason; the stored record itself is never changed.
    public var redaction: String? = nil

    /// Creates a record value (the store builds these; tests and importers may too).
    ///
    /// Source: issue 2 scope 4.
    public init(seq: Int, at: String, userID: String?, username: String, source: AuditSource, entity: AuditEntity,
                entityID: String, field: String, oldValue: String?, newValue: String?, reason: String?,
                prevHash: String, hash: String) {
        self.seq = seq
        self.at = at
        self.userID = userID
        self.username = username
        self.source = source
        self.entity = entity
        self.entityID = entityID
        self.field = field
        self.oldValue = oldValue
        self.newValue = newValue
        self.reason = reason
        self.prevHash = prevHash
        self.hash = hash
    }
}
