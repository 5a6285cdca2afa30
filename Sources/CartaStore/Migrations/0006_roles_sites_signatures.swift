import CartaModel
import Foundation
import SQLKit

/// Migration `0006_roles_sites_signatures`: the nine study roles, each user's sites, and what binds an
/// electronic signature.
///
/// Widens the `users.role` check to every `UserRole` and adds `users.sites` (`*` = every site, else
/// site IDs joined by commas; see `SiteAccess`). Existing users keep access to every site, as before.
/// Adds `users.signature_attested_at` (when the user acknowledged that their electronic signature is
/// legally binding; 21 CFR 11.100(c)) and `eligibility_decisions.content_sha256` (the SHA-256 of the
/// exact content signed; 21 CFR 11.70). Signatures made before have none and fall back to the version.
/// PostgreSQL alters the constraint in place. SQLite cannot alter a CHECK constraint, and with foreign
/// keys enforced it cannot drop a referenced table either, so the users table and the tables that
/// reference it are copied aside, dropped, recreated (children from their own stored DDL) and refilled,
/// all in this migration's transaction.
/// Forward-only; the name is stored in `schema_migrations` and must never change.
/// Source: issue 7 scope 1; SQLite "ALTER TABLE" §7 (making other kinds of table schema changes).
enum Migration_0006_roles_sites_signatures {
    /// The role check as of this migration. A later role needs a later migration, never an edit here.
    static let roles = ["admin", "investigator", "sub-investigator", "coordinator", "data-manager", "monitor",
                        "statistician", "auditor", "sponsor-viewer"]
    static var roleCheck: String { "role IN (" + roles.map { "'\($0)'" }.joined(separator: ", ") + ")" }

    static func apply(_ db: any SQLDatabase, _ engine: DatabaseEngine) async throws {
        switch engine {
        case .postgresql:
            let checks = try await db.raw("""
                SELECT conname FROM pg_constraint
                WHERE conrelid = 'users'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%role%'
                """).all().map { try $0.decode(column: "conname", as: String.self) }
            for name in checks { try await db.raw("ALTER TABLE users DROP CONSTRAINT \(ident: name)").run() }
            try await db.raw("ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (\(unsafeRaw: roleCheck))").run()
            try await db.raw("ALTER TABLE users ADD COLUMN sites TEXT NOT NULL DEFAULT '*'").run()
            try await db.raw("ALTER TABLE users ALTER COLUMN sites DROP DEFAULT").run()
        case .sqlite:
            try await rebuildSQLiteUsers(db)
        }
        try await db.raw("ALTER TABLE users ADD COLUMN signature_attested_at TEXT").run()
        try await db.raw("ALTER TABLE eligibility_decisions ADD COLUMN content_sha256 TEXT").run()
    }

    private static func rebuildSQLiteUsers(_ db: any SQLDatabase) async throws {
        // Every table whose DDL references users, with its DDL and its indexes' DDL.
        let children = try await db.raw("""
            SELECT name, sql FROM sqlite_schema
            WHERE type = 'table' AND name <> 'users' AND sql LIKE '%REFERENCES%users%'
            ORDER BY name
            """).all().map { (name: try $0.decode(column: "name", as: String.self), sql: try $0.decode(column: "sql", as: String.self)) }
        var indexes: [String] = []
        for child in children {
            indexes += try await db.raw("SELECT sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = \(bind: child.name) AND sql IS NOT NULL")
                .all().map { try $0.decode(column: "sql", as: String.self) }
        }
        for table in ["users"] + children.map(\.name) {
            try await db.raw("CREATE TABLE \(ident: "migrate_0006_" + table) AS SELECT * FROM \(ident: table)").run()
        }
        for child in children { try await db.raw("DROP TABLE \(ident: child.name)").run() }
        try await db.raw("DROP TABLE users").run()
        try await db.create(table: "users")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("username", type: .text, .notNull, .unique)
            .column("display_name", type: .text, .notNull)
            .column("role", type: .text, .notNull, .check(SQLRaw(roleCheck)))
            .column("password_hash", type: .text, .notNull)
            .column("active", type: ColumnType.boolean, .notNull)
            .column("created_at", type: .text, .notNull)
            .column("sites", type: .text, .notNull)
            .run()
        try await db.raw("""
            INSERT INTO users (id, username, display_name, role, password_hash, active, created_at, sites)
            SELECT id, username, display_name, role, password_hash, active, created_at, '*' FROM migrate_0006_users
            """).run()
        for child in children {
            try await db.raw("\(unsafeRaw: child.sql)").run()
            try await db.raw("INSERT INTO \(ident: child.name) SELECT * FROM \(ident: "migrate_0006_" + child.name)").run()
        }
        for index in indexes { try await db.raw("\(unsafeRaw: index)").run() }
        for table in ["users"] + children.map(\.name) {
            try await db.raw("DROP TABLE \(ident: "migrate_0006_" + table)").run()
        }
        let violations = try await db.raw("PRAGMA foreign_key_check").all()
        guard violations.isEmpty else {
            throw StoreError(.database, "migration 0006 would break \(violations.count) foreign key reference(s); nothing was changed")
        }
    }
}
