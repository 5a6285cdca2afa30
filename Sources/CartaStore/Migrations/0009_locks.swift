import CartaModel
import Foundation
import SQLKit

/// Migration `0009_locks`: data locks (database, casebook, form). A lock row is closed by unlocking
/// (`unlocked_at`), never deleted; both events are in the audit trail with their reasons.
/// Forward-only; the name is stored in `schema_migrations` and must never change.
/// Source: issue 7 scope 7; standards.md R-DT-2.
enum Migration_0009_locks {
    static func apply(_ db: any SQLDatabase, _ engine: DatabaseEngine) async throws {
        try await db.create(table: "locks")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("scope", type: .text, .notNull, .check(SQLRaw("scope IN ('database', 'participant', 'form')")))
            .column("participant_id", type: .text, .references("participants", "id"))
            .column("form_oid", type: .text)
            .column("locked_by", type: .text, .notNull, .references("users", "id"))
            .column("locked_by_name", type: .text, .notNull)
            .column("locked_at", type: .text, .notNull)
            .column("reason", type: .text, .notNull)
            .column("unlocked_at", type: .text)
            .column("unlocked_by", type: .text, .references("users", "id"))
            .column("unlock_reason", type: .text)
            .run()
        try await db.create(index: "locks_participant").on("locks").column("participant_id").run()
    }
}
