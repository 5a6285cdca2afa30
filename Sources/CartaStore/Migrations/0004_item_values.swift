import CartaModel
import Foundation
import SQLKit

/// Migration `0004_item_values`: Item values addressed as (participant, event, form, item, repeat).
///
/// Forward-only; the name is stored in `schema_migrations` and must never change. Timestamps are UTC
/// ISO 8601 text with milliseconds on both engines.
/// Source: issue 2 scope 3; CDISC ODM 1.3.2 §3.1.4; DESIGN.md §2 (one file per migration).
enum Migration_0004_item_values {
    static func apply(_ db: any SQLDatabase, _ engine: DatabaseEngine) async throws {
        try await db.create(table: "item_values")
            .column("participant_id", type: .text, .notNull, .references("participants", "id"))
            .column("event_oid", type: .text, .notNull)
            .column("form_oid", type: .text, .notNull)
            .column("item_oid", type: .text, .notNull)
            .column("repeat_key", type: .text, .notNull)
            .column("value_text", type: .text)
            .column("unit_entered", type: .text)
            .column("value_standard", type: ColumnType.double)
            .column("unit_standard", type: .text)
            .column("lower_limit_normal", type: ColumnType.double)
            .column("upper_limit_normal", type: ColumnType.double)
            .column("updated_at", type: .text, .notNull)
            .column("updated_by", type: .text, .notNull)
            .primaryKey("participant_id", "event_oid", "form_oid", "item_oid", "repeat_key")
            .run()
    }
}
