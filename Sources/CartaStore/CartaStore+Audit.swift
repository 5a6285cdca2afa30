import CartaModel
import Foundation
import SQLKit

/// One field change to be written to the audit trail.
///
/// Source: issue 2 scope 4 ("what (entity, field, old → new)").
struct AuditChange: Sendable {
    var entity: AuditEntity
    var entityID: String
    var field: String
    var oldValue: String?
    var newValue: String?
    /// This change's own reason; nil uses the reason of the whole save.
    var reason: String? = nil
}

extension CartaStore {
    /// Appends audit records inside the caller's write transaction, chaining each to the last hash.
    ///
    /// Source: issue 2 scope 4. The caller holds the writer lock (BEGIN IMMEDIATE / advisory lock), so
    /// reading the last hash and inserting cannot interleave with another writer.
    static func appendAudit(_ db: any SQLDatabase, actor: AuditActor, at: String, reason: String?,
                            _ changes: [AuditChange]) async throws {
        guard !changes.isEmpty else { return }
        var prev = try await db.select().column("hash").from("audit_events")
            .orderBy("seq", .descending).limit(1).first()
            .map { try $0.decode(column: "hash", as: String.self) } ?? AuditHasher.genesis
        for change in changes {
            let content = AuditHasher.Content(
                at: at, userID: actor.userID?.rawValue, username: actor.username, source: actor.source.rawValue,
                entity: change.entity.rawValue, entityID: change.entityID, field: change.field,
                oldValue: change.oldValue, newValue: change.newValue, reason: change.reason ?? reason)
            let hash = AuditHasher.hash(content, prevHash: prev)
            try await db.insert(into: "audit_events")
                .columns("at", "user_id", "username", "source", "entity", "entity_id", "field",
                         "old_value", "new_value", "reason", "prev_hash", "hash")
                .values(content.at, content.userID, content.username, content.source, content.entity,
                        content.entityID, content.field, content.oldValue, content.newValue, content.reason,
                        prev, hash)
                .run()
            prev = hash
        }
    }

    /// Re-computes the whole chain in `seq` order and reports the first broken link.
    ///
    /// Source: issue 2 scope 4 ("`carta audit verify` … reports the first broken link").
    public func verifyAuditChain() async throws -> AuditVerification {
        // Rows are read as stored text, not as typed records: a tampered row (an unknown entity or
        // source) must be reported as a broken link, not stop the check with a decoding error.
        let rows = try await read { db in
            try await db.select().column("*").from("audit_events").orderBy("seq").all().map { row in
                (seq: try row.decode(column: "seq", as: Int.self),
                 content: AuditHasher.Content(
                    at: try row.decode(column: "at", as: String.self),
                    userID: try row.decode(column: "user_id", as: String?.self),
                    username: try row.decode(column: "username", as: String.self),
                    source: try row.decode(column: "source", as: String.self),
                    entity: try row.decode(column: "entity", as: String.self),
                    entityID: try row.decode(column: "entity_id", as: String.self),
                    field: try row.decode(column: "field", as: String.self),
                    oldValue: try row.decode(column: "old_value", as: String?.self),
                    newValue: try row.decode(column: "new_value", as: String?.self),
                    reason: try row.decode(column: "reason", as: String?.self)),
                 prevHash: try row.decode(column: "prev_hash", as: String.self),
                 hash: try row.decode(column: "hash", as: String.self))
            }
        }
        var prev = AuditHasher.genesis
        for row in rows {
            if row.prevHash != prev {
                return .broken(seq: row.seq, reason: "record \(row.seq) does not link to the previous record (prev_hash \(row.prevHash.prefix(12))… ≠ \(prev.prefix(12))…); a record was removed, inserted or reordered")
            }
            if row.hash != AuditHasher.hash(row.content, prevHash: prev) {
                return .broken(seq: row.seq, reason: "record \(row.seq) was altered: its content no longer matches its hash")
            }
            if AuditEntity(rawValue: row.content.entity) == nil || AuditSource(rawValue: row.content.source) == nil {
                return .broken(seq: row.seq, reason: "record \(row.seq) names an unknown entity or source")
            }
            prev = row.hash
        }
        return .intact(count: rows.count)
    }

    /// The audit records, oldest first, optionally only those of one entity (and one record of it).
    ///
    /// Source: issue 2 scope 4 ("the participant page shows each field's history").
    public func auditTrail(entity: AuditEntity?, entityID: String?) async throws -> [AuditEvent] {
        try await read { db in
            var query = db.select().column("*").from("audit_events")
            if let entity { query = query.where("entity", .equal, entity.rawValue) }
            if let entityID { query = query.where("entity_id", .equal, entityID) }
            return try await query.orderBy("seq").all().map(Self.auditEvent(from:))
        }
    }

    static func entity(_ row: any SQLRow) throws -> AuditEntity {
        let text = try row.decode(column: "entity", as: String.self)
        guard let entity = AuditEntity(rawValue: text) else {
            throw StoreError(.database, "audit record has an unknown entity \"\(text)\"")
        }
        return entity
    }

    static func auditEvent(from row: any SQLRow) throws -> AuditEvent {
        let sourceText = try row.decode(column: "source", as: String.self)
        guard let source = AuditSource(rawValue: sourceText) else {
            throw StoreError(.database, "audit record has an unknown source \"\(sourceText)\"")
        }
        return AuditEvent(
            seq: try row.decode(column: "seq", as: Int.self),
            at: try row.decode(column: "at", as: String.self),
            userID: try row.decode(column: "user_id", as: String?.self),
            username: try row.decode(column: "username", as: String.self),
            source: source,
            entity: try entity(row),
            entityID: try row.decode(column: "entity_id", as: String.self),
            field: try row.decode(column: "field", as: String.self),
            oldValue: try row.decode(column: "old_value", as: String?.self),
            newValue: try row.decode(column: "new_value", as: String?.self),
            reason: try row.decode(column: "reason", as: String?.self),
            prevHash: try row.decode(column: "prev_hash", as: String.self),
            hash: try row.decode(column: "hash", as: String.self))
    }
}
