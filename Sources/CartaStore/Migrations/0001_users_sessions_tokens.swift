import CartaModel
import Foundation
import SQLKit

/// Migration `0001_users_sessions_tokens`: Users, sessions and API tokens.
///
/// Forward-only; the name is stored in `schema_migrations` and must never change. Timestamps are UTC
/// ISO 8601 text with milliseconds on both engines.
/// Source: issue 2 scope 5 (people, sessions, bearer tokens); DESIGN.md §2 (one file per migration).
enum Migration_0001_users_sessions_tokens {
    static func apply(_ db: any SQLDatabase, _ engine: DatabaseEngine) async throws {
        try await db.create(table: "users")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("username", type: .text, .notNull, .unique)
            .column("display_name", type: .text, .notNull)
            .column("role", type: .text, .notNull,
                    .check(SQLRaw("role IN ('admin', 'investigator', 'coordinator', 'monitor')")))
            .column("password_hash", type: .text, .notNull)
            .column("active", type: ColumnType.boolean, .notNull)
            .column("created_at", type: .text, .notNull)
            .run()
        try await db.create(table: "sessions")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("user_id", type: .text, .notNull, .references("users", "id"))
            .column("csrf_token", type: .text, .notNull)
            .column("created_at", type: .text, .notNull)
            .column("expires_at", type: .text, .notNull)
            .run()
        try await db.create(table: "api_tokens")
            .column("token_hash", type: .text, .primaryKey(autoIncrement: false))
            .column("user_id", type: .text, .notNull, .references("users", "id"))
            .column("created_at", type: .text, .notNull)
            .column("expires_at", type: .text, .notNull)
            .run()
    }
}
