import CartaModel
import Foundation
import SQLKit

/// Migration `0010_queries_sdv`: data queries with their threads, source-verification marks and casebook
/// signatures. Query messages are append-only; a mark belongs to the value's last-change time, so a later
/// change leaves it behind without anyone deleting it. Forward-only; the name must never change.
/// Source: issue 7 scopes 4, 5 and 6.
enum Migration_0010_queries_sdv {
    static func apply(_ db: any SQLDatabase, _ engine: DatabaseEngine) async throws {
        try await db.create(table: "queries")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("participant_id", type: .text, .notNull, .references("participants", "id"))
            .column("event_oid", type: .text, .notNull)
            .column("form_oid", type: .text, .notNull)
            .column("item_oid", type: .text, .notNull)
            .column("repeat_key", type: .text, .notNull)
            .column("check_id", type: .text)
            .column("status", type: .text, .notNull, .check(SQLRaw("status IN ('open', 'answered', 'closed')")))
            .column("raised_at", type: .text, .notNull)
            .column("updated_at", type: .text, .notNull)
            .run()
        try await db.create(index: "queries_participant").on("queries").column("participant_id").run()
        try await db.create(index: "queries_status").on("queries").column("status").run()
        try await db.create(table: "query_messages")
            .column("query_id", type: .text, .notNull, .references("queries", "id"))
            .column("seq", type: .int, .notNull)
            .column("action", type: .text, .notNull)
            .column("by_user", type: .text, .references("users", "id"))
            .column("by_name", type: .text, .notNull)
            .column("at", type: .text, .notNull)
            .column("text", type: .text, .notNull)
            .primaryKey("query_id", "seq")
            .run()
        try await db.create(table: "sdv_marks")
            .column("participant_id", type: .text, .notNull, .references("participants", "id"))
            .column("event_oid", type: .text, .notNull)
            .column("form_oid", type: .text, .notNull)
            .column("item_oid", type: .text, .notNull)
            .column("repeat_key", type: .text, .notNull)
            .column("value_updated_at", type: .text, .notNull)
            .column("verified_by", type: .text, .notNull, .references("users", "id"))
            .column("verified_by_name", type: .text, .notNull)
            .column("verified_at", type: .text, .notNull)
            .primaryKey("participant_id", "event_oid", "form_oid", "item_oid", "repeat_key")
            .run()
        try await db.create(table: "casebook_signatures")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("participant_id", type: .text, .notNull, .references("participants", "id"))
            .column("signed_by", type: .text, .notNull, .references("users", "id"))
            .column("signed_by_name", type: .text, .notNull)
            .column("signed_at", type: .text, .notNull)
            .column("meaning", type: .text, .notNull)
            .column("content_sha256", type: .text, .notNull)
            .run()
        try await db.create(index: "casebook_signatures_participant").on("casebook_signatures").column("participant_id").run()
    }
}
