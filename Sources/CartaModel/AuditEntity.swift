/// What kind of record an audit event is about. Stored as its raw value, which is part of the hash
/// chain: never rename a case.
///
/// Source: 21 CFR Part 11 §11.10(e) (audit trail records the changed record); issue 6 scope 5 (typed
/// audit entities instead of strings).
public enum AuditEntity: String, Sendable, Codable, CaseIterable {
    /// A participant's pseudonymous record (status, site, subject ID).
    case participant
    /// A participant's identifying details, audited as "(recorded)".
    case participantIdentity = "participant_identity"
    /// A form value; the entity id is the participant id, the field its `EVENT/FORM/ITEM` path.
    case itemValue = "item_value"
    /// A user account.
    case user
    /// A signed eligibility decision.
    case eligibilityDecision = "eligibility_decision"
    /// Authentication of an account: sign-in, failed sign-in, lockout, sign-out, API token issued,
    /// failed signature password. The entity id is the canonical user name tried.
    case authentication
    /// A data lock (database, casebook or form): locked and unlocked, each with its reason. The entity
    /// id is the lock's id.
    case lock
    /// A data query: raised, answered, closed, re-opened, resolved. The entity id is the query's id.
    case query
    /// A source-verification mark; the entity id is the participant id, the field the value's path.
    case sourceVerification = "source_verification"
    /// An investigator's casebook signature; the entity id is the signature's id.
    case casebookSignature = "casebook_signature"
    /// A reviewer's signed sign-off of an audit-trail review; the entity id is the sign-off's id.
    case auditReview = "audit_review"
    /// The redaction of one audit record's values; the entity id is that record's sequence number.
    case auditRedaction = "audit_redaction"
    /// When data saved in one request were entered on the device (offline capture): the entity id is the
    /// participant id, the field the forms saved, the new value the device's local time with its offset.
    case deviceEntry = "device_entry"
    /// An alert of the today screen acknowledged by a person; the entity id is the participant id, the field
    /// the alert's key.
    case alert
    /// An adverse event of the log; the entity id is the event's id.
    case adverseEvent = "adverse_event"
    /// The database as a whole; entity id `synthetic` marks a database filled by `carta demo` (issue 9 scope 3).
    case database
}

/// The non-value parts of an item value's audit field: `EVENT/FORM/ITEM:unit` and so on.
///
/// Source: issue 2 scope 4 (each part of a value audited separately).
public enum ItemValuePart: String, Sendable, CaseIterable {
    /// The unit as entered.
    case unit
    /// The standardised value.
    case standard
    /// The standard unit.
    case standardUnit = "standard_unit"
    /// The lab's lower limit of normal.
    case lln
    /// The lab's upper limit of normal.
    case uln
}
