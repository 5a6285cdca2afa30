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
/// path or process wrote them (on UPDATE both the old and the new participant). `derivation_key` names what else the
/// figures depend on (study file, scoring plug-in, program build; `OutcomeService.figuresKey`); a row with another
/// key is derived again. `figures` holds the bytes `OutcomeService` wrote (`PositionalCoder`).
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
            .column("figures", type: .blob, .notNull)
            .run()
        // On UPDATE both the old and the new participant are forgotten (a row moved to another participant by hand).
        switch engine {
        case .sqlite:
            for (table, column) in sources {
                for op in ["INSERT", "UPDATE", "DELETE"] {
                    let rows = op == "INSERT" ? ["NEW"] : op == "DELETE" ? ["OLD"] : ["OLD", "NEW"]
                    let ids = rows.map { "\($0).\(column)" }.joined(separator: ", ")
                    try await db.raw("""
                        CREATE TRIGGER \(unsafeRaw: table)_\(unsafeRaw: op.lowercased())_forgets_outcome_figures AFTER \(unsafeRaw: op) ON \(unsafeRaw: table)
                        BEGIN DELETE FROM outcome_figures WHERE participant_id IN (\(unsafeRaw: ids)); END
                        """).run()
                }
            }
        case .postgresql:
            // SECURITY DEFINER: the forgetting runs with the migrating owner's rights, so an application role granted
            // before this table existed can still save data (its own rights on the table come below).
            let schema = try await db.raw("SELECT current_schema() AS s").first()?.decode(column: "s", as: String.self) ?? "public"
            for (table, column) in sources {
                try await db.raw("""
                    CREATE FUNCTION carta_\(unsafeRaw: table)_forget_outcome_figures() RETURNS trigger LANGUAGE plpgsql
                    SECURITY DEFINER SET search_path = \(ident: schema) AS $$
                    BEGIN
                        IF TG_OP = 'DELETE' THEN
                            DELETE FROM outcome_figures WHERE participant_id = OLD.\(unsafeRaw: column);
                        ELSIF TG_OP = 'UPDATE' THEN
                            DELETE FROM outcome_figures WHERE participant_id IN (OLD.\(unsafeRaw: column), NEW.\(unsafeRaw: column));
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
            // Roles that already write item values (`carta db grant-app-role`) may read and keep figures without a re-grant.
            let writers = try await db.raw("""
                SELECT DISTINCT grantee FROM information_schema.role_table_grants
                WHERE table_schema = current_schema() AND table_name = 'item_values' AND privilege_type = 'INSERT'
                  AND grantee <> current_user AND grantee <> 'PUBLIC'
                """).all().map { try $0.decode(column: "grantee", as: String.self) }
            for role in writers {
                try await db.raw("GRANT SELECT, INSERT, UPDATE, DELETE ON outcome_figures TO \(ident: role)").run()
            }
        }
    }
}
