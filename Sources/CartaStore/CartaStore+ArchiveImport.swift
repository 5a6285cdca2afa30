import CartaModel
import Foundation
import SQLKit

/// A participant restored from an electronic copy: who registered them and when, then every change in the
/// order the original database recorded it.
///
/// Source: standards.md R-CP-1 (round-trip re-import reproduces data and audit counts); issue 7 scope 7
/// (a locked database refuses imports too).
public struct ArchivedParticipant: Sendable {
    /// Who made a change, when (as the original audit record stored it) and why.
    public struct Record: Sendable {
        public var username: String
        public var at: Date
        public var reason: String?
        public init(username: String, at: Date, reason: String?) {
            self.username = username
            self.at = at
            self.reason = reason
        }
    }

    /// One change: an item's value after it (nil when cleared), or a participant-record field.
    public enum Target: Sendable {
        case item(ItemAddress, MeasuredValue?)
        case participant(field: String, value: String?)
    }

    public struct Change: Sendable {
        public var target: Target
        public var record: Record
        public init(target: Target, record: Record) {
            self.target = target
            self.record = record
        }
    }

    public var studyID: StudyID
    public var subjectID: SubjectID
    public var sequenceNumber: Int
    public var siteID: SiteID
    public var registered: Record
    public var changes: [Change]

    public init(studyID: StudyID, subjectID: SubjectID, sequenceNumber: Int, siteID: SiteID, registered: Record, changes: [Change]) {
        self.studyID = studyID
        self.subjectID = subjectID
        self.sequenceNumber = sequenceNumber
        self.siteID = siteID
        self.registered = registered
        self.changes = changes
    }

    /// The participant-record fields an archive restores (those `registerParticipant` and the status
    /// changes audit); the registration fields come from the subject itself.
    public static let restoredFields: Set<String> = ["status", "screen_failure_reasons"]
}

extension CartaStore {
    /// Restores participants from an archive into a database that holds none, in one transaction: each
    /// participant, its values as they stand after the last change, and for every change the audit records
    /// the original save wrote (the same per-part diff, so the same records and counts), stamped with the
    /// original user name, time and reason and with source `import`; then one record of the import itself by
    /// `importer`. A synthetic archive marks the database synthetic in the same transaction.
    ///
    /// Refused when the database already holds participants (a restore never merges into live data), when it is
    /// locked, or when a synthetic archive would go into a database that is not new, or a real one into a
    /// database marked synthetic. User ids are not restored: the accounts of the original database are not
    /// accounts here; the user name stays in every record.
    /// Source: standards.md R-CP-1, R-AT-1 (who, what, when, why), R-DC-1 (source `import`); 21 CFR 11.10(b), (e).
    public func importArchive(_ participants: [ArchivedParticipant], importer: AuditActor, summary: String,
                              synthetic: String?) async throws {
        let at = StoreTimestamp.string(now())
        try await write { db in
            try await Self.refuseIfLocked(db, participant: nil)
            let existing = try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("participants").first()?
                .decode(column: "n", as: Int.self) ?? 0
            guard existing == 0 else {
                throw StoreError.conflict("this database already holds \(existing) participant(s); an archive is restored only into a new database (nothing was imported)")
            }
            let marked = try await db.select().column("seq").from("audit_events").where("entity", .equal, AuditEntity.database.rawValue)
                .where("entity_id", .equal, "synthetic").limit(1).first() != nil
            if marked && synthetic == nil {
                throw StoreError.conflict("this database is marked synthetic (demonstration data); restore a real archive into a new database")
            }
            for p in participants { try await Self.restore(db, p) }
            if let synthetic, !marked {
                try await Self.appendAudit(db, actor: importer, at: at, reason: nil, [
                    AuditChange(entity: .database, entityID: "synthetic", field: "marked_synthetic", oldValue: nil, newValue: synthetic),
                ])
            }
            try await Self.appendAudit(db, actor: importer, at: at, reason: nil, [
                AuditChange(entity: .database, entityID: "archive_import", field: "imported", oldValue: nil, newValue: summary),
            ])
        }
    }

    private static func restore(_ db: any SQLDatabase, _ p: ArchivedParticipant) async throws {
        let id = ParticipantID.random()
        let pid = id.rawValue
        func actor(_ r: ArchivedParticipant.Record) -> AuditActor { AuditActor(userID: nil, username: r.username, source: .import) }
        let registeredAt = StoreTimestamp.string(p.registered.at)
        try await appendAudit(db, actor: actor(p.registered), at: registeredAt, reason: nil, [
            AuditChange(entity: .participant, entityID: pid, field: "study_id", oldValue: nil, newValue: p.studyID.rawValue),
            AuditChange(entity: .participant, entityID: pid, field: "subject_id", oldValue: nil, newValue: p.subjectID.rawValue),
            AuditChange(entity: .participant, entityID: pid, field: "site_id", oldValue: nil, newValue: p.siteID.rawValue),
        ])
        var fields: [String: String] = [:]
        var enrolledAt: String?
        var items: [ItemAddress: ItemValue] = [:]
        var order: [ItemAddress] = []
        var stamps = Set<String>()
        var last = (at: registeredAt, by: p.registered.username)
        for change in p.changes {
            let changeAt = StoreTimestamp.string(change.record.at)
            let audit: [AuditChange]
            switch change.target {
            case .item(let address, let value):
                let old = items[address]
                audit = diff(old: old, new: ItemValueInput(itemOID: address.itemOID, repeatKey: address.repeatKey, value: value),
                             field: address.path, participantID: id)
                if old == nil { order.append(address) }
                items[address] = ItemValue(participantID: id, address: address, value: value, updatedAt: change.record.at,
                                           updatedBy: change.record.username)
            case .participant(let field, let value):
                guard ArchivedParticipant.restoredFields.contains(field) else {
                    throw StoreError(.constraint, "participant field \(field) of \(p.subjectID) is not one an archive restores")
                }
                let old = fields[field]
                audit = old == value ? [] : [AuditChange(entity: .participant, entityID: pid, field: field, oldValue: old, newValue: value)]
                fields[field] = value
                if field == "status", value == ParticipantStatus.enrolled.rawValue { enrolledAt = changeAt }
            }
            guard !audit.isEmpty else { continue }
            try await appendAudit(db, actor: actor(change.record), at: changeAt, reason: change.record.reason, audit)
            stamps.insert(changeAt)
            last = (changeAt, change.record.username)
        }
        guard let statusText = fields["status"], let status = ParticipantStatus(rawValue: statusText) else {
            throw StoreError(.constraint, "subject \(p.subjectID) has no valid status in the archive (\(fields["status"] ?? "none"))")
        }
        try await db.insert(into: "participants")
            .columns("id", "study_id", "subject_id", "sequence_number", "site_id", "status", "version",
                     "created_at", "updated_at", "updated_by", "enrolled_at", "screen_failure_reasons")
            .values(pid, p.studyID.rawValue, p.subjectID.rawValue, p.sequenceNumber, p.siteID.rawValue, status.rawValue,
                    max(1, stamps.subtracting([registeredAt]).count + 1), registeredAt, last.at, last.by,
                    status == .enrolled ? enrolledAt : nil, fields["screen_failure_reasons"])
            .run()
        for address in order {
            guard let item = items[address] else { continue }
            let v = item.value
            try await db.insert(into: "item_values")
                .columns("participant_id", "event_oid", "form_oid", "item_oid", "repeat_key", "value_text",
                         "unit_entered", "value_standard", "unit_standard", "lower_limit_normal",
                         "upper_limit_normal", "updated_at", "updated_by")
                .values(pid, address.eventOID.rawValue, address.formOID.rawValue, address.itemOID.rawValue,
                        address.repeatKey, v?.text, v?.unit, v?.standardValue, v?.standardUnit, v?.lowerLimitNormal,
                        v?.upperLimitNormal, StoreTimestamp.string(item.updatedAt), item.updatedBy)
                .run()
        }
    }
}
