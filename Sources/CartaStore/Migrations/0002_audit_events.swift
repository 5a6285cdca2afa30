import CartaModel
import Foundation
import SQLKit

/// Migration `0002_audit_events`: The append-only, hash-chained audit table and its no-update/no-delete triggers.
///
/// Forward-only; the name is stored in `schema_migrations` and must never change. Timestamps are UTC
/// ISO 8601 text with milliseconds on both engines.
/// Source: issue 2 scope 4; 21 CFR Part 11 §11.10(e); DESIGN.md §2 (one file per migration).
enum Migration_0002_audit_events {
    static func apply(_ db: any SQLDatabase, _ engine: DatabaseEngine) async throws {
        try await db.create(table: "audit_events")
            .column("seq", type: .bigint, .primaryKey(autoIncrement: true))
            .column("at", type: .text, .notNull)
            .column("user_id", type: .text)
            .column("username", type: .text, .notNull)
            .column("source", type: .text, .notNull, .check(SQLRaw("source IN ('web', 'api', 'cli', 'import')")))
            .column("entity", type: .text, .notNull)
            .column("entity_id", type: .text, .notNull)
            .column("field", type: .text, .notNull)
            .column("old_value", type: .text)
            .column("new_value", type: .text)
            .column("reason", type: .text)
            .column("prev_hash", type: .text, .notNull)
            .column("hash", type: .text, .notNull, .unique)
            .run()
        try await db.create(index: "audit_events_entity").on("audit_events").column("entity").column("entity_id").run()
        // Append-only: the database itself refuses UPDATE and DELETE (and TRUNCATE on PostgreSQL).
        switch engine {
        case .sqlite:
            for op in ["UPDATE", "DELETE"] {
                try await db.raw("""
                    CREATE TRIGGER audit_events_no_\(unsafeRaw: op.lowercased()) BEFORE \(unsafeRaw: op) ON audit_events
                    BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END
                    """).run()
            }
        case .postgresql:
            try await db.raw("""
                CREATE FUNCTION carta_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'audit records are append-only'; END $$
                """).run()
            try await db.raw("""
                CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
                FOR EACH ROW EXECUTE FUNCTION carta_audit_append_only()
                """).run()
            try await db.raw("""
                CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
                FOR EACH STATEMENT EXECUTE FUNCTION carta_audit_append_only()
                """).run()
        }
    }
}
