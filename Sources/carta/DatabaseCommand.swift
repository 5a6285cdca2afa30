import ArgumentParser
import CartaStore
import Foundation

/// `carta db …`: database administration run as the database owner.
struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "Database administration (run as the owner of the database).",
        subcommands: [GrantAppRole.self])

    /// `carta db grant-app-role --role NAME`: the least-privileged PostgreSQL login role `carta serve` runs under.
    ///
    /// Source: issue 7 scope 8; PostgreSQL 15 §5.7; 21 CFR 11.10(d).
    struct GrantAppRole: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "grant-app-role",
            abstract: "Create or update the PostgreSQL login role the application runs under.",
            discussion: """
                Connect with --db as the owner (the role that ran `carta migrate`). The role gets SELECT and INSERT \
                on audit_events and audit_checkpoints (no UPDATE, DELETE or TRUNCATE), SELECT on schema_migrations \
                and audit_chain, and SELECT/INSERT/UPDATE/DELETE on the other tables; it owns nothing, so it cannot \
                ALTER a table or disable a trigger. Run again after `carta migrate` adds tables. Then serve with \
                --db postgres://NAME:…@host/db.
                """)
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The role name (lower-case letters, digits, _).") var role: String
        @Flag(help: "Read the role's password from standard input (otherwise it is left as is).") var passwordStdin = false

        func run() async throws {
            let password = passwordStdin ? try readSecretLine(prompt: "Password for \(role): ") : nil
            let store = try await database.openStore()
            let done: [String]
            do { done = try await store.grantApplicationRole(role, password: password) } catch { await store.close(); throw error }
            await store.close()
            print("Application role \(role):")
            for line in done { print("  \(line)") }
        }
    }
}
