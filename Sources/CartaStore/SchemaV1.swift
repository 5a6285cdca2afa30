import Foundation
import SQLKit

/// The first schema: users, sessions, API tokens, audit events, participants, identities,
/// item values and eligibility decisions.
///
/// Source: issue 2 scope 3–6; DESIGN.md §6 (values addressable by participant, event, form, item, repeat
/// as CDISC ODM addresses them). Timestamps are UTC ISO 8601 text with milliseconds on both engines.
enum SchemaV1 {
    static func usersSessionsTokens(_ db: any SQLDatabase, _ engine: DatabaseEngine) async throws {
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

    static func auditEvents(_ db: any SQLDatabase, _ engine: DatabaseEngine) async throws {
        try await db.create(table: "audit_events")
            .column("seq", type: .bigint, .primaryKey(autoIncrement: true))
            .column("at", type: .text, .notNull)
            .column("user_id", type: .text)
            .column("username", type: .text, .notNull)
            .column("source", type: .text, .notNull, .check(SQLRaw("source IN ('web', 'api', 'cli', 'import')")))
            .column("entity", type: .text, .notNull)
            .column("entity_id", type: .text, .notNull)
            .column("field", type: .text, .notNull)
            .column("old_value", type: .text)
            .column("new_value", type: .text)
            .column("reason", type: .text)
            .column("prev_hash", type: .text, .notNull)
            .column("hash", type: .text, .notNull, .unique)
            .run()
        try await db.create(index: "audit_events_entity").on("audit_events").column("entity").column("entity_id").run()
        // Append-only: the database itself refuses UPDATE and DELETE (and TRUNCATE on PostgreSQL).
        switch engine {
        case .sqlite:
            for op in ["UPDATE", "DELETE"] {
                try await db.raw("""
                    CREATE TRIGGER audit_events_no_\(unsafeRaw: op.lowercased()) BEFORE \(unsafeRaw: op) ON audit_events
                    BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END
                    """).run()
            }
        case .postgresql:
            try await db.raw("""
                CREATE FUNCTION carta_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'audit records are append-only'; END $$
                """).run()
            try await db.raw("""
                CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
                FOR EACH ROW EXECUTE FUNCTION carta_audit_append_only()
                """).run()
            try await db.raw("""
                CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
                FOR EACH STATEMENT EXECUTE FUNCTION carta_audit_append_only()
                """).run()
        }
    }

    static func participants(_ db: any SQLDatabase, _ engine: DatabaseEngine) async throws {
        try await db.create(table: "participants")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("study_id", type: .text, .notNull)
            .column("subject_id", type: .text, .notNull)
            .column("sequence_number", type: .int, .notNull)
            .column("site_id", type: .text, .notNull)
            .column("status", type: .text, .notNull,
                    .check(SQLRaw("status IN ('screening', 'enrolled', 'screen_failed')")))
            .column("version", type: .int, .notNull)
            .column("created_at", type: .text, .notNull)
            .column("updated_at", type: .text, .notNull)
            .column("updated_by", type: .text, .notNull)
            .column("enrolled_at", type: .text)
            .column("screen_failure_reasons", type: .text)
            .unique("study_id", "subject_id")
            .unique("study_id", "sequence_number")
            .run()
        // Identifying details live apart so that only an explicit, authorised read touches them.
        try await db.create(table: "participant_identities")
            .column("participant_id", type: .text, .primaryKey(autoIncrement: false), .references("participants", "id"))
            .column("full_name", type: .text)
            .column("date_of_birth", type: .text)
            .column("hospital_number", type: .text)
            .run()
    }

    static func itemValues(_ db: any SQLDatabase, _ engine: DatabaseEngine) async throws {
        try await db.create(table: "item_values")
            .column("participant_id", type: .text, .notNull, .references("participants", "id"))
            .column("event_oid", type: .text, .notNull)
            .column("form_oid", type: .text, .notNull)
            .column("item_oid", type: .text, .notNull)
            .column("repeat_key", type: .text, .notNull)
            .column("value_text", type: .text)
            .column("unit_entered", type: .text)
            .column("value_standard", type: ColumnType.double)
            .column("unit_standard", type: .text)
            .column("lower_limit_normal", type: ColumnType.double)
            .column("upper_limit_normal", type: ColumnType.double)
            .column("updated_at", type: .text, .notNull)
            .column("updated_by", type: .text, .notNull)
            .primaryKey("participant_id", "event_oid", "form_oid", "item_oid", "repeat_key")
            .run()
    }

    static func eligibilityDecisions(_ db: any SQLDatabase, _ engine: DatabaseEngine) async throws {
        try await db.create(table: "eligibility_decisions")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("participant_id", type: .text, .notNull, .references("participants", "id"))
            .column("decision", type: .text, .notNull, .check(SQLRaw("decision IN ('eligible', 'not_eligible')")))
            .column("criteria_snapshot", type: .text, .notNull)
            .column("signed_by", type: .text, .notNull, .references("users", "id"))
            .column("signer_name", type: .text, .notNull)
            .column("signed_at", type: .text, .notNull)
            .column("meaning", type: .text, .notNull)
            .column("participant_version", type: .int, .notNull)
            .run()
        try await db.create(index: "eligibility_decisions_participant").on("eligibility_decisions").column("participant_id").run()
    }
}
