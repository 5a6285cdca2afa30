import CartaModel
import Foundation
import SQLKit

/// Migration `0005_eligibility_decisions`: Signed eligibility decisions.
///
/// Forward-only; the name is stored in `schema_migrations` and must never change. Timestamps are UTC
/// ISO 8601 text with milliseconds on both engines.
/// Source: issue 2 scope 6; 21 CFR Part 11 §11.50; DESIGN.md §2 (one file per migration).
enum Migration_0005_eligibility_decisions {
    static func apply(_ db: any SQLDatabase, _ engine: DatabaseEngine) async throws {
        try await db.create(table: "eligibility_decisions")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("participant_id", type: .text, .notNull, .references("participants", "id"))
            .column("decision", type: .text, .notNull, .check(SQLRaw("decision IN ('eligible', 'not_eligible')")))
            .column("criteria_snapshot", type: .text, .notNull)
            .column("signed_by", type: .text, .notNull, .references("users", "id"))
            .column("signer_name", type: .text, .notNull)
            .column("signed_at", type: .text, .notNull)
            .column("meaning", type: .text, .notNull)
            .column("participant_version", type: .int, .notNull)
            .run()
        try await db.create(index: "eligibility_decisions_participant").on("eligibility_decisions").column("participant_id").run()
    }
}
