import CartaModel
import Foundation
import SQLKit

/// Migration `0016_alert_acknowledgements`: who acknowledged which alert of a participant, when and with what
/// note. Rows are only ever inserted (each with its audit record). Forward-only; the name is stored in
/// `schema_migrations` and must never change.
/// Source: issue 8 scope 9 ("alerts stay listed until a person acknowledges them").
enum Migration_0016_alert_acknowledgements {
    static func apply(_ db: any SQLDatabase, _ engine: DatabaseEngine) async throws {
        try await db.create(table: "alert_acknowledgements")
            .column("participant_id", type: .text, .notNull, .references("participants", "id"))
            .column("alert_key", type: .text, .notNull)
            .column("alert_text", type: .text, .notNull)
            .column("acknowledged_by", type: .text, .notNull)
            .column("acknowledged_at", type: .text, .notNull)
            .column("note", type: .text)
            .primaryKey("participant_id", "alert_key")
            .run()
    }
}
