import CartaModel
import Foundation
import SQLKit

/// Migration `0007_audit_integrity`: the keyed audit chain's start and the verified checkpoints.
///
/// `audit_chain` holds one row: the first `seq` whose record is an HMAC-SHA256 under the key kept outside the
/// database (records before it keep their plain SHA-256 and stay verifiable; the first keyed record's link
/// to them protects them too). `audit_checkpoints` holds (seq, hash, record count) already verified, each
/// with a MAC, so a later verification starts there. Both refuse UPDATE and DELETE like `audit_events`.
/// Forward-only; the name is stored in `schema_migrations` and must never change.
/// Source: issue 7 scope 8; 21 CFR 11.10(e); RFC 2104; DESIGN.md §2 (one file per migration).
enum Migration_0007_audit_integrity {
    static let name = "0007_audit_integrity"

    static func apply(_ db: any SQLDatabase, _ engine: DatabaseEngine) async throws {
        try await db.create(table: "audit_chain")
            .column("id", type: .int, .primaryKey(autoIncrement: false), .check(SQLRaw("id = 1")))
            .column("keyed_from_seq", type: .bigint, .notNull)
            .run()
        try await db.raw("INSERT INTO audit_chain (id, keyed_from_seq) SELECT 1, COALESCE(MAX(seq), 0) + 1 FROM audit_events").run()
        try await db.create(table: "audit_checkpoints")
            .column("seq", type: .bigint, .primaryKey(autoIncrement: false))
            .column("hash", type: .text, .notNull)
            .column("record_count", type: .bigint, .notNull)
            .column("verified_at", type: .text, .notNull)
            .column("mac", type: .text, .notNull)
            .run()
        switch engine {
        case .sqlite:
            for table in ["audit_chain", "audit_checkpoints"] {
                for op in ["UPDATE", "DELETE"] {
                    try await db.raw("""
                        CREATE TRIGGER \(unsafeRaw: table)_no_\(unsafeRaw: op.lowercased()) BEFORE \(unsafeRaw: op) ON \(unsafeRaw: table)
                        BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END
                        """).run()
                }
            }
        case .postgresql:
            for table in ["audit_chain", "audit_checkpoints"] {
                try await db.raw("""
                    CREATE TRIGGER \(unsafeRaw: table)_append_only BEFORE UPDATE OR DELETE ON \(unsafeRaw: table)
                    FOR EACH ROW EXECUTE FUNCTION carta_audit_append_only()
                    """).run()
                try await db.raw("""
                    CREATE TRIGGER \(unsafeRaw: table)_no_truncate BEFORE TRUNCATE ON \(unsafeRaw: table)
                    FOR EACH STATEMENT EXECUTE FUNCTION carta_audit_append_only()
                    """).run()
            }
        }
    }
}
