import CartaModel
import Foundation
import SQLKit

/// Migration `0020_outcome_figures`: each enrolled participant's derived outcome figures, kept between whole-study
/// passes, and the triggers that forget them when anything they were derived from changes.
///
/// Why: a whole-study pass re-derived every participant from every value each time (100,000 participants: 30–40
/// CPU-seconds, 16–22 s on two cores; issue 9 "Performance" asks for under 10 s). Kept figures are derived data,
/// not records: they are never shown as entered data and never audited; a row exists only while the
/// participant row, date of birth, values and adverse events it was derived from are unchanged, because every
/// insert, update or delete of those rows deletes it in the same transaction (the triggers below), whichever code
/// path or process wrote them. `derivation_key` names what else the figures depend on (study file, scoring
/// plug-in, program build; `OutcomeService`); a row with another key is derived again.
/// No foreign key: a participant row removed in a test database must not be blocked by its figures (the trigger
/// removes them). Forward-only; the name is stored in `schema_migrations` and must never change.
/// Source: issue 9 scope 4 and "Performance"; SQLite "CREATE TRIGGER" (sqlite.org/lang_createtrigger.html);
/// PostgreSQL 15 §43.10 (PL/pgSQL trigger functions, `TG_OP`, `OLD`/`NEW`).
enum Migration_0020_outcome_figures {
    /// The tables whose rows a participant's figures are derived from, and the column naming the participant.
    static let sources: [(table: String, column: String)] = [
        ("participants", "id"), ("participant_identities", "participant_id"), ("item_values", "participant_id"), ("adverse_events", "participant_id"),
    ]

    static func apply(_ db: any SQLDatabase, _ engine: DatabaseEngine) async throws {
        try await db.create(table: "outcome_figures")
            .column("participant_id", type: .text, .primaryKey(autoIncrement: false))
            .column("derivation_key", type: .text, .notNull)
            .column("figures", type: .text, .notNull)
            .run()
        switch engine {
        case .sqlite:
            for (table, column) in sources {
                for op in ["INSERT", "UPDATE", "DELETE"] {
                    let row = op == "DELETE" ? "OLD" : "NEW"
                    try await db.raw("""
                        CREATE TRIGGER \(unsafeRaw: table)_\(unsafeRaw: op.lowercased())_forgets_outcome_figures AFTER \(unsafeRaw: op) ON \(unsafeRaw: table)
                        BEGIN DELETE FROM outcome_figures WHERE participant_id = \(unsafeRaw: row).\(unsafeRaw: column); END
                        """).run()
                }
            }
        case .postgresql:
            for (table, column) in sources {
                try await db.raw("""
                    CREATE FUNCTION carta_\(unsafeRaw: table)_forget_outcome_figures() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        IF TG_OP = 'DELETE' THEN
                            DELETE FROM outcome_figures WHERE participant_id = OLD.\(unsafeRaw: column);
                        ELSE
                            DELETE FROM outcome_figures WHERE participant_id = NEW.\(unsafeRaw: column);
                        END IF;
                        RETURN NULL;
                    END $$
                    """).run()
                try await db.raw("""
                    CREATE TRIGGER \(unsafeRaw: table)_forget_outcome_figures AFTER INSERT OR UPDATE OR DELETE ON \(unsafeRaw: table)
                    FOR EACH ROW EXECUTE FUNCTION carta_\(unsafeRaw: table)_forget_outcome_figures()
                    """).run()
            }
        }
    }
}
