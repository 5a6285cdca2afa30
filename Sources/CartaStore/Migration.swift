import CartaModel
import Foundation
import SQLKit

/// One named, forward-only schema change, applied in its own transaction and recorded in `schema_migrations`.
///
/// Source: issue 2 scope 3 ("Named forward-only migrations"); DESIGN.md §5 (a GCP system must know which
/// schema version wrote each record, so no "create table if not exists" on every boot).
public struct Migration: Sendable {
    /// The migration's permanent name, e.g. `0001_users_sessions_tokens`; never renamed once released.
    public let name: String
    let apply: @Sendable (any SQLDatabase, DatabaseEngine) async throws -> Void

    init(_ name: String, apply: @escaping @Sendable (any SQLDatabase, DatabaseEngine) async throws -> Void) {
        self.name = name
        self.apply = apply
    }

    /// Every migration, in the order it is applied. Append only; never edit a released one.
    ///
    /// Source: issue 2 scope 3.
    public static let all: [Migration] = [
        Migration("0001_users_sessions_tokens", apply: Migration_0001_users_sessions_tokens.apply),
        Migration("0002_audit_events", apply: Migration_0002_audit_events.apply),
        Migration("0003_participants", apply: Migration_0003_participants.apply),
        Migration("0004_item_values", apply: Migration_0004_item_values.apply),
        Migration("0005_eligibility_decisions", apply: Migration_0005_eligibility_decisions.apply),
        Migration("0006_roles_sites_signatures", apply: Migration_0006_roles_sites_signatures.apply),
        Migration("0007_audit_integrity", apply: Migration_0007_audit_integrity.apply),
        Migration("0008_session_activity", apply: Migration_0008_session_activity.apply),
        Migration("0009_locks", apply: Migration_0009_locks.apply),
        Migration("0010_queries_sdv", apply: Migration_0010_queries_sdv.apply),
        Migration("0011_second_factor", apply: Migration_0011_second_factor.apply),
        Migration("0012_audit_reviews", apply: Migration_0012_audit_reviews.apply),
        Migration("0013_audit_redactions", apply: Migration_0013_audit_redactions.apply),
        Migration("0014_form_signatures", apply: Migration_0014_form_signatures.apply),
        Migration(Migration_0015_sealed_identities.name, apply: Migration_0015_sealed_identities.apply),
        Migration("0016_alert_acknowledgements", apply: Migration_0016_alert_acknowledgements.apply),
        Migration("0017_adverse_events", apply: Migration_0017_adverse_events.apply),
        Migration("0018_visit_signatures", apply: Migration_0018_visit_signatures.apply),
        Migration("0019_item_values_clustered", apply: Migration_0019_item_values_clustered.apply),
        Migration("0020_outcome_figures", apply: Migration_0020_outcome_figures.apply),
        Migration("0021_audit_data_head", apply: Migration_0021_audit_data_head.apply),
    ]
}

/// SQL types spelled the same way for both engines.
enum ColumnType {
    /// `DOUBLE PRECISION`: 8-byte float on PostgreSQL, REAL affinity on SQLite.
    static let double = SQLDataType.custom(SQLRaw("DOUBLE PRECISION"))
    /// `BOOLEAN`: native on PostgreSQL, NUMERIC affinity (0/1) on SQLite.
    static let boolean = SQLDataType.custom(SQLRaw("BOOLEAN"))
}
