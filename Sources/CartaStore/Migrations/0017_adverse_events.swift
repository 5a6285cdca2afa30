import CartaModel
import Foundation
import SQLKit

/// Migration `0017_adverse_events`: the adverse-event log, one row per event (CTCAE v5.0 term, grade, dates,
/// seriousness, causality, action, outcome, SAE awareness and report times) with a version for optimistic
/// updates. Every insert and change is audited. Forward-only; the name must never change.
/// Source: issue 8 scope 7.
enum Migration_0017_adverse_events {
    static func apply(_ db: any SQLDatabase, _ engine: DatabaseEngine) async throws {
        try await db.create(table: "adverse_events")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("participant_id", type: .text, .notNull, .references("participants", "id"))
            .column("number", type: .bigint, .notNull)
            .column("meddra_code", type: .text, .notNull)
            .column("term", type: .text, .notNull)
            .column("specify", type: .text)
            .column("grade", type: .bigint, .notNull)
            .column("onset", type: .text, .notNull)
            .column("resolution", type: .text)
            .column("serious_criteria", type: .text, .notNull)
            .column("aware_at", type: .text)
            .column("reported_at", type: .text)
            .column("causality_ld", type: .text, .notNull)
            .column("causality_cart", type: .text, .notNull)
            .column("causality_itp", type: .text, .notNull)
            .column("action", type: .text, .notNull)
            .column("outcome", type: .text)
            .column("version", type: .bigint, .notNull)
            .column("updated_by", type: .text, .notNull)
            .column("updated_at", type: .text, .notNull)
            .unique("participant_id", "number")
            .run()
    }
}
