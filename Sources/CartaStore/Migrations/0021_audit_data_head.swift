import CartaModel
import Foundation
import SQLKit

/// Migration `0021_audit_data_head`: a partial index over the sequence numbers of every audit record that is not an
/// authentication record, so the data head (`CartaStore.dataHeadSQL`) is one index probe however many sign-ins follow it.
///
/// Why: the data cut ("data as of audit record N"), the file cache and the kept outcome figures were keyed by the last
/// audit record of any kind, so every sign-in, sign-out or failed password moved them: a sign-in during a report build
/// marked the report inconsistent and threw away the figures a first pass had derived. Authentication records change no
/// study data. Without the index, `MAX(seq)` with the filter would walk back over every authentication record after the
/// last data record (a burst of failed sign-ins). Both engines support partial indexes; the filter is written as the
/// same literal in the index and the query, which SQLite needs to choose the index.
/// Forward-only; the name is stored in `schema_migrations` and must never change.
/// Source: SQLite "Partial Indexes" (sqlite.org/partialindex.html §2, §3: the query's WHERE must imply the index's);
/// PostgreSQL 15 §11.8 (partial indexes).
enum Migration_0021_audit_data_head {
    static func apply(_ db: any SQLDatabase, _ engine: DatabaseEngine) async throws {
        try await db.raw("""
            CREATE INDEX audit_events_data_seq ON audit_events (seq) WHERE entity <> '\(unsafeRaw: AuditEntity.authentication.rawValue)'
            """).run()
    }
}
