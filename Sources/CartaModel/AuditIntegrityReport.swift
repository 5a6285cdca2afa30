import Foundation

/// The outcome of `carta audit verify`: the keyed chain and head witness, and (when asked) the replay of the
/// audit trail against the current data.
///
/// Source: issue 7 scope 8; 21 CFR 11.10(e) (audit trail), 11.10(c) (protection of records).
public struct AuditIntegrityReport: Sendable, Equatable {
    /// The chain and witness check: intact with the number of records, or the first broken record and why.
    public var chain: AuditVerification
    /// The seq after which records were re-computed now (0 for a full check; a verified checkpoint otherwise).
    public var checkedAfter: Int
    /// How many records were re-computed now.
    public var checkedCount: Int
    /// Every stored value that differs from its last audited value; `nil` when the replay was not run.
    public var differences: [AuditDataDifference]?

    /// Creates a report.
    public init(chain: AuditVerification, checkedAfter: Int, checkedCount: Int, differences: [AuditDataDifference]?) {
        self.chain = chain
        self.checkedAfter = checkedAfter
        self.checkedCount = checkedCount
        self.differences = differences
    }

    /// The chain is intact and the replay (if run) found no difference.
    public var isIntact: Bool {
        if case .broken = chain { return false }
        return differences?.isEmpty ?? true
    }
}

/// One stored value that differs from the last value the audit trail recorded for it — a change made
/// without an audit record (e.g. directly in the database).
///
/// Source: issue 7 scope 8 ("replays the audit trail against the current data, reporting any value, status,
/// role or decision that differs from its last audited value").
public struct AuditDataDifference: Sendable, Equatable, Codable {
    /// The kind of record.
    public var entity: AuditEntity
    /// The record's id (participant id, user id, decision id).
    public var entityID: String
    /// What a person recognises: the subject ID, the user name.
    public var label: String
    /// The audit field, e.g. `status` or `SCR/LAB/PLT:unit`.
    public var field: String
    /// The last audited value (`nil`: never audited, or audited as removed).
    public var audited: String?
    /// The value stored now (`nil`: absent).
    public var stored: String?
    /// The seq of the last audit record for this field, if any.
    public var auditedSeq: Int?

    /// Creates a difference.
    public init(entity: AuditEntity, entityID: String, label: String, field: String, audited: String?, stored: String?,
                auditedSeq: Int?) {
        self.entity = entity
        self.entityID = entityID
        self.label = label
        self.field = field
        self.audited = audited
        self.stored = stored
        self.auditedSeq = auditedSeq
    }

    /// One line for people: "participant BCRITP-001 status: audited "screening" (record 12), stored "enrolled"".
    public var description: String {
        func show(_ v: String?) -> String { v.map { "\"\($0)\"" } ?? "(none)" }
        let record = auditedSeq.map { " (record \($0))" } ?? " (never audited)"
        return "\(entity.rawValue) \(label) \(field): audited \(show(audited))\(record), stored \(show(stored))"
    }
}
