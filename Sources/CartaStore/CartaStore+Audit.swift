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

    /// What the record's hash covers, by `actor` at `at`, with the save's `reason` unless the change has its own
    /// (every writer of audit records builds it here, so the hashed form has one definition).
    func content(actor: AuditActor, at: String, reason saveReason: String?) -> AuditHasher.Content {
        AuditHasher.Content(at: at, userID: actor.userID?.rawValue, username: actor.username, source: actor.source.rawValue,
                            entity: entity.rawValue, entityID: entityID, field: field,
                            oldValue: oldValue, newValue: newValue, reason: reason ?? saveReason)
    }
}

extension CartaStore {
    /// Appends audit records inside the caller's write transaction, chaining each to the last hash with an
    /// HMAC-SHA256 under the key kept outside the database; the new head reaches the witness file after COMMIT.
    ///
    /// Source: issue 2 scope 4; issue 7 scope 8; 21 CFR 11.10(e). The caller holds the writer lock (BEGIN
    /// IMMEDIATE / advisory lock), so reading the last hash and inserting cannot interleave with another writer.
    static func appendAudit(_ db: any SQLDatabase, actor: AuditActor, at: String, reason: String?,
                            _ changes: [AuditChange]) async throws {
        guard !changes.isEmpty else { return }
        guard let context = AuditAppendContext.current else {
            throw StoreError(.database, "audit records can only be appended inside a store write transaction")
        }
        let integrity = context.integrity
        var keyedFrom = integrity.keyedFrom.withLock { $0 }
        if keyedFrom == nil {
            guard let row = try await db.select().column("keyed_from_seq").from("audit_chain").first() else {
                throw StoreError.invalidState("the audit chain has no start record; run `carta migrate`")
            }
            let value = try row.decode(column: "keyed_from_seq", as: Int.self)
            integrity.keyedFrom.withLock { $0 = value }
            keyedFrom = value
        }
        var prev = try await db.select().column("hash").from("audit_events")
            .orderBy("seq", .descending).limit(1).first()
            .map { try $0.decode(column: "hash", as: String.self) } ?? AuditHasher.genesis
        let encoder = AuditHasher.makeEncoder()
        var seq = 0
        for change in changes {
            let content = change.content(actor: actor, at: at, reason: reason)
            let hash = AuditHasher.mac(content, prevHash: prev, key: integrity.key, encoder: encoder)
            let row = try await db.insert(into: "audit_events")
                .columns("at", "user_id", "username", "source", "entity", "entity_id", "field",
                         "old_value", "new_value", "reason", "prev_hash", "hash")
                .values(content.at, content.userID, content.username, content.source, content.entity,
                        content.entityID, content.field, content.oldValue, content.newValue, content.reason,
                        prev, hash)
                .returning("seq")
                .first()
            seq = try row?.decode(column: "seq", as: Int.self) ?? seq
            prev = hash
        }
        let head = AuditHead(keyedFrom: keyedFrom ?? 1, seq: seq, hash: prev)
        context.head.withLock { $0 = head }
    }

    /// The audit records, oldest first, optionally only those of one entity (and one record of it).
    ///
    /// Source: issue 2 scope 4 ("the participant page shows each field's history").
    public func auditTrail(entity: AuditEntity?, entityID: String?) async throws -> [AuditEvent] {
        try await read { db in
            var query = db.select().column("*").from("audit_events")
            if let entity { query = query.where("entity", .equal, entity.rawValue) }
            if let entityID { query = query.where("entity_id", .equal, entityID) }
            return try await Self.masked(db, try await query.orderBy("seq").all().map(Self.auditEvent(from:)))
        }
    }

    /// One page of audit records, oldest first, with `seq` greater than `after`; `nextAfter` is the cursor of
    /// the following page, `nil` on the last one.
    ///
    /// Source: issue 7 scope 8 ("the audit API pages"; 1.7 MB in one answer at 4,000 records).
    public func auditPage(entity: AuditEntity?, entityID: String?, after: Int, limit: Int) async throws
        -> (events: [AuditEvent], nextAfter: Int?) {
        let limit = max(1, limit)
        let rows = try await read { db in
            var query = db.select().column("*").from("audit_events").where("seq", .greaterThan, after)
            if let entity { query = query.where("entity", .equal, entity.rawValue) }
            if let entityID { query = query.where("entity_id", .equal, entityID) }
            return try await Self.masked(db, try await query.orderBy("seq").limit(limit + 1).all().map(Self.auditEvent(from:)))
        }
        let page = Array(rows.prefix(limit))
        return (page, rows.count > limit ? page.last?.seq : nil)
    }

    /// The newest audit records first, `offset` records in, at most `limit` (the web audit view).
    ///
    /// Source: issue 7 scope 8 (the view must not load the whole trail).
    public func auditEventsNewestFirst(offset: Int, limit: Int) async throws -> [AuditEvent] {
        try await read { db in
            try await Self.masked(db, try await db.select().column("*").from("audit_events").orderBy("seq", .descending)
                .limit(max(1, limit)).offset(max(0, offset)).all().map(Self.auditEvent(from:)))
        }
    }

    /// How many audit records there are.
    ///
    /// Source: issue 7 scope 8.
    public func auditCount() async throws -> Int {
        try await read { db in
            try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("audit_events").first()?
                .decode(column: "n", as: Int.self) ?? 0
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
