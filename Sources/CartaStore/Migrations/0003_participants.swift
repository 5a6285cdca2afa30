import CartaModel
import Foundation
import SQLKit

/// Migration `0003_participants`: Participants and their identifying details, kept in a separate table.
///
/// Forward-only; the name is stored in `schema_migrations` and must never change. Timestamps are UTC
/// ISO 8601 text with milliseconds on both engines.
/// Source: issue 2 scope 6; DESIGN.md §2 (one file per migration).
enum Migration_0003_participants {
    static func apply(_ db: any SQLDatabase, _ engine: DatabaseEngine) async throws {
        try await db.create(table: "participants")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("study_id", type: .text, .notNull)
            .column("subject_id", type: .text, .notNull)
            .column("sequence_number", type: .int, .notNull)
            .column("site_id", type: .text, .notNull)
            .column("status", type: .text, .notNull,
                    .check(SQLRaw("status IN ('screening', 'enrolled', 'screen_failed')")))
            .column("version", type: .int, .notNull)
            .column("created_at", type: .text, .notNull)
            .column("updated_at", type: .text, .notNull)
            .column("updated_by", type: .text, .notNull)
            .column("enrolled_at", type: .text)
            .column("screen_failure_reasons", type: .text)
            .unique("study_id", "subject_id")
            .unique("study_id", "sequence_number")
            .run()
        // Identifying details live apart so that only an explicit, authorised read touches them.
        try await db.create(table: "participant_identities")
            .column("participant_id", type: .text, .primaryKey(autoIncrement: false), .references("participants", "id"))
            .column("full_name", type: .text)
            .column("date_of_birth", type: .text)
            .column("hospital_number", type: .text)
            .run()
    }
}
