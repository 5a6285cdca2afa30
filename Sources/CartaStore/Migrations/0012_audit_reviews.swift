import CartaModel
import Foundation
import SQLKit

/// Migration `0012_audit_reviews`: signed sign-offs of audit-trail reviews. Rows are only ever inserted
/// (each with its audit record); a sign-off is never changed or removed.
/// Forward-only; the name is stored in `schema_migrations` and must never change.
/// Source: issue 7 scope 8 ("an audit view with filters … that a reviewer can sign off"); standards.md R-AT-5.
enum Migration_0012_audit_reviews {
    static func apply(_ db: any SQLDatabase, _ engine: DatabaseEngine) async throws {
        try await db.create(table: "audit_reviews")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("scope", type: .text, .notNull)
            .column("scope_description", type: .text, .notNull)
            .column("through_seq", type: .bigint, .notNull)
            .column("record_count", type: .bigint, .notNull)
            .column("content_sha256", type: .text, .notNull)
            .column("reviewer_id", type: .text, .notNull, .references("users", "id"))
            .column("reviewer_name", type: .text, .notNull)
            .column("signed_at", type: .text, .notNull)
            .column("meaning", type: .text, .notNull)
            .column("comment", type: .text)
            .run()
    }
}
