import CartaModel
import Foundation
import SQLKit

/// Migration `0013_audit_redactions`: redactions of audit records' values (personal data typed where it does
/// not belong). The audit record itself is never changed — the chain still verifies — but every reader gets
/// the redaction note instead of its values. Rows are only inserted, each with its own audit record.
/// Forward-only; the name is stored in `schema_migrations` and must never change.
/// Source: standards.md R-AT-3 ("rare redaction (e.g. PII typed in a free-text field) is itself logged with
/// justification"); ICH E6(R3) 4.2.2(b); GDPR Art. 5(1)(c) (data minimisation).
enum Migration_0013_audit_redactions {
    static func apply(_ db: any SQLDatabase, _ engine: DatabaseEngine) async throws {
        try await db.create(table: "audit_redactions")
            // No foreign key to audit_events: a reference would change how PostgreSQL refuses TRUNCATE of the trail
            // (the append-only trigger must stay the guard); the record's existence is checked in the same transaction.
            .column("seq", type: .bigint, .primaryKey(autoIncrement: false))
            .column("justification", type: .text, .notNull)
            .column("redacted_by", type: .text, .notNull, .references("users", "id"))
            .column("redacted_by_name", type: .text, .notNull)
            .column("redacted_at", type: .text, .notNull)
            .run()
    }
}
