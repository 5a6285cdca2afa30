import CartaModel
import Foundation
import SQLKit

/// Migration `0019_item_values_clustered`: on SQLite, item values are stored in their primary key's order
/// (a `WITHOUT ROWID` table), so one participant's values sit together on disk.
///
/// Why: the rowid table kept values in entry order, and every value a participant read touched the primary-key
/// index and then a table page elsewhere; a whole-study pass stepping SQLite alone took 1.36 s for 2.3 million
/// values, 0.68 s clustered (BENCHMARKS.md, issue 9 scope 4). Same columns, same key, same foreign key; every
/// row is copied inside the migration's transaction, so nothing is lost or altered. PostgreSQL keeps its heap
/// table (its primary-key index already serves the pass; it has no clustered tables that stay clustered).
/// Forward-only; the name is stored in `schema_migrations` and must never change.
/// Source: SQLite "Clustered Indexes and the WITHOUT ROWID Optimization" (sqlite.org/withoutrowid.html §2, §4:
/// for tables whose primary key is not an integer and whose rows are small); issue 9 scope 4.
enum Migration_0019_item_values_clustered {
    static func apply(_ db: any SQLDatabase, _ engine: DatabaseEngine) async throws {
        guard engine == .sqlite else { return }
        let columns = """
            participant_id, event_oid, form_oid, item_oid, repeat_key, value_text, unit_entered, value_standard,
            unit_standard, lower_limit_normal, upper_limit_normal, updated_at, updated_by
            """
        try await db.raw("""
            CREATE TABLE item_values_clustered (
                participant_id TEXT NOT NULL REFERENCES participants (id),
                event_oid TEXT NOT NULL,
                form_oid TEXT NOT NULL,
                item_oid TEXT NOT NULL,
                repeat_key TEXT NOT NULL,
                value_text TEXT,
                unit_entered TEXT,
                value_standard DOUBLE PRECISION,
                unit_standard TEXT,
                lower_limit_normal DOUBLE PRECISION,
                upper_limit_normal DOUBLE PRECISION,
                updated_at TEXT NOT NULL,
                updated_by TEXT NOT NULL,
                PRIMARY KEY (participant_id, event_oid, form_oid, item_oid, repeat_key)
            ) WITHOUT ROWID
            """).run()
        try await db.raw("INSERT INTO item_values_clustered (\(unsafeRaw: columns)) SELECT \(unsafeRaw: columns) FROM item_values").run()
        try await db.raw("DROP TABLE item_values").run()
        try await db.raw("ALTER TABLE item_values_clustered RENAME TO item_values").run()
    }
}
