import CartaModel
import Foundation
import SQLKit

extension CartaStore {
    /// The tables the application may only read and append to: the audit trail and its integrity records.
    static let appendOnlyTables: Set<String> = ["audit_events", "audit_checkpoints", "audit_reviews", "audit_redactions", "alert_acknowledgements"]
    /// The tables the application may only read.
    static let readOnlyTables: Set<String> = ["schema_migrations", "audit_chain"]

    /// Creates (if missing) a PostgreSQL login role for the application and grants it what the application
    /// needs and no more: SELECT and INSERT on the audit tables (no UPDATE, DELETE, TRUNCATE), SELECT on the
    /// migration and chain-start tables, SELECT/INSERT/UPDATE/DELETE on the other tables, and the sequences.
    /// The role owns nothing, so it cannot ALTER a table or disable its triggers. Run it as the owner (the
    /// role that ran `carta migrate`), and again after each migration that adds a table. Returns the
    /// statements' summary.
    ///
    /// Source: issue 7 scope 8 ("On PostgreSQL the application runs under a role that does not own the audit
    /// table"); PostgreSQL 15 documentation §5.7 (privileges; only the owner may ALTER a table or its
    /// triggers); 21 CFR 11.10(d) (limiting system access). `password` is sent as an escaped literal:
    /// PostgreSQL does not accept bind parameters in CREATE/ALTER ROLE.
    public func grantApplicationRole(_ role: String, password: String?) async throws -> [String] {
        guard engine == .postgresql else {
            throw StoreError(.invalidConfiguration, "--role: application roles exist only on PostgreSQL; an SQLite file is protected by file permissions")
        }
        guard role.range(of: "^[a-z_][a-z0-9_]{0,62}$", options: .regularExpression) != nil else {
            throw StoreError(.constraint, "--role: a role name is 1–63 lower-case letters, digits or _, starting with a letter or _")
        }
        return try await write { db in
            var done: [String] = []
            let exists = try await db.raw("SELECT 1 AS x FROM pg_roles WHERE rolname = \(bind: role)").first() != nil
            if !exists {
                try await db.raw("CREATE ROLE \(ident: role) LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT").run()
                done.append("created login role \(role)")
            }
            if let password {
                try await db.raw("ALTER ROLE \(ident: role) PASSWORD \(literal: password)").run()
                done.append("set the password of \(role)")
            }
            let database = try await db.raw("SELECT current_database() AS d, current_schema() AS s").first()
            let name = try database?.decode(column: "d", as: String.self) ?? ""
            let schema = try database?.decode(column: "s", as: String.self) ?? "public"
            try await db.raw("GRANT CONNECT ON DATABASE \(ident: name) TO \(ident: role)").run()
            try await db.raw("GRANT USAGE ON SCHEMA \(ident: schema) TO \(ident: role)").run()
            try await db.raw("REVOKE ALL ON ALL TABLES IN SCHEMA \(ident: schema) FROM \(ident: role)").run()
            let tables = try await db.raw("SELECT tablename FROM pg_tables WHERE schemaname = \(bind: schema) ORDER BY tablename").all()
                .map { try $0.decode(column: "tablename", as: String.self) }
            for table in tables {
                if Self.appendOnlyTables.contains(table) {
                    try await db.raw("GRANT SELECT, INSERT ON \(ident: table) TO \(ident: role)").run()
                    done.append("\(table): SELECT, INSERT")
                } else if Self.readOnlyTables.contains(table) {
                    try await db.raw("GRANT SELECT ON \(ident: table) TO \(ident: role)").run()
                    done.append("\(table): SELECT")
                } else {
                    try await db.raw("GRANT SELECT, INSERT, UPDATE, DELETE ON \(ident: table) TO \(ident: role)").run()
                    done.append("\(table): SELECT, INSERT, UPDATE, DELETE")
                }
            }
            try await db.raw("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA \(ident: schema) TO \(ident: role)").run()
            done.append("sequences: USAGE, SELECT")
            return done
        }
    }

    /// Whether this connection could rewrite the audit trail at will: on PostgreSQL, it is a superuser or
    /// owns `audit_events` (and so may disable its triggers); always `false` on SQLite (file permissions).
    ///
    /// Source: issue 7 scope 8; PostgreSQL 15 §5.7 (only the owner may ALTER a table). `carta serve` warns.
    public func canBypassAuditProtection() async throws -> Bool {
        guard engine == .postgresql else { return false }
        return try await read { db in
            try await db.raw("""
                SELECT (t.tableowner = current_user OR r.rolsuper) AS risky FROM pg_tables t JOIN pg_roles r ON r.rolname = current_user
                WHERE t.schemaname = current_schema() AND t.tablename = 'audit_events'
                """).first()?.decode(column: "risky", as: Bool.self) ?? false
        }
    }
}
