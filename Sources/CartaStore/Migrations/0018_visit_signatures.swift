import CartaModel
import Foundation
import SQLKit

/// Migration `0018_visit_signatures`: an investigator's signature may cover one visit (`event_oid`; null with a
/// null `form_oid` = the whole casebook, as every earlier signature).
/// Forward-only; the name is stored in `schema_migrations` and must never change.
/// Source: issue 7 scope 4 ("an investigator signs a form, a visit or a whole casebook").
enum Migration_0018_visit_signatures {
    static func apply(_ db: any SQLDatabase, _ engine: DatabaseEngine) async throws {
        try await db.raw("ALTER TABLE casebook_signatures ADD COLUMN event_oid TEXT").run()
    }
}
