import CartaModel
import Foundation
import SQLKit

extension CartaStore {
    /// Executes one raw SQL statement outside any store transaction; bypasses the audit trail.
    ///
    /// Source: issue 2 scope 4 ("test it by tampering with a row directly in SQL"). Only visible to
    /// `@_spi(Testing) import CartaStore` (the test harness and administrative tooling), never to the app.
    @_spi(Testing) public func executeRaw(_ sql: String) async throws {
        try await direct { db in try await db.raw(SQLQueryString(sql)).run() }
        // A direct change writes no audit record, so the head-keyed file cache cannot see it.
        fileCache.withLock { $0 = FileCache() }
    }

    /// Applies pending migrations up to and including `name`, to build a database as an older Carta left it.
    ///
    /// Source: issue 7 scope 8 (records written before the keyed chain stay verifiable).
    @_spi(Testing) public func migrate(upTo name: String) async throws -> [String] {
        try await migrate(through: name)
    }

    /// Appends one record with the plain SHA-256 chain an older Carta wrote (no key), outside the store's writers.
    ///
    /// Source: issue 7 scope 8 (legacy records).
    @_spi(Testing) public func appendLegacyAuditRecord(entity: AuditEntity, entityID: String, field: String,
                                                       newValue: String?) async throws {
        try await direct { db in
            let prev = try await db.select().column("hash").from("audit_events").orderBy("seq", .descending).limit(1).first()
                .map { try $0.decode(column: "hash", as: String.self) } ?? AuditHasher.genesis
            let content = AuditHasher.Content(at: "2026-01-01T00:00:00.000Z", userID: nil, username: "legacy", source: "cli",
                                              entity: entity.rawValue, entityID: entityID, field: field, oldValue: nil,
                                              newValue: newValue, reason: nil)
            try await db.insert(into: "audit_events")
                .columns("at", "user_id", "username", "source", "entity", "entity_id", "field",
                         "old_value", "new_value", "reason", "prev_hash", "hash")
                .values(content.at, content.userID, content.username, content.source, content.entity, content.entityID,
                        content.field, content.oldValue, content.newValue, content.reason, prev,
                        AuditHasher.hash(content, prevHash: prev))
                .run()
        }
    }

    /// Every row of a table as text (`NULL` for null), ordered by `orderBy`, for before/after comparisons.
    ///
    /// Source: issue 2 "Bad input" ("leaves the database exactly as it was").
    @_spi(Testing) public func tableContents(_ table: String, orderBy: String) async throws -> [[String]] {
        try await read { db in
            try await db.raw("SELECT * FROM \(ident: table) ORDER BY \(unsafeRaw: orderBy)").all().map { row in
                try row.allColumns.map { column in
                    if try row.decodeNil(column: column) { return "\(column)=NULL" }
                    if let v = try? row.decode(column: column, as: String.self) { return "\(column)=\(v)" }
                    if let v = try? row.decode(column: column, as: Int.self) { return "\(column)=\(v)" }
                    if let v = try? row.decode(column: column, as: Double.self) { return "\(column)=\(v)" }
                    if let v = try? row.decode(column: column, as: Bool.self) { return "\(column)=\(v)" }
                    return "\(column)=<undecodable>"
                }
            }
        }
    }

    /// The names of the user tables in the database, sorted.
    ///
    /// Source: issue 2 scope 3.
    @_spi(Testing) public func tableNames() async throws -> [String] {
        let engine = self.engine
        return try await read { db in
            let rows: [any SQLRow]
            switch engine {
            case .sqlite:
                rows = try await db.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all()
            case .postgresql:
                rows = try await db.raw("SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename").all()
            }
            return try rows.map { try $0.decode(column: "name", as: String.self) }
        }
    }
}
