import CartaModel
import Foundation
import SQLKit

extension CartaStore {
    /// Applies every pending migration, each in its own transaction; returns the names applied now.
    ///
    /// Source: issue 2 scope 3. Idempotent: a second call applies nothing and returns `[]`. Two processes
    /// migrating at once are serialised by the write lock and re-check inside the transaction.
    public func migrate() async throws -> [String] {
        try await migrate(through: nil)
    }

    /// Applies pending migrations up to and including `last` (all when `nil`); with a name, it builds a
    /// database as an older Carta left it (tests of a migration over existing data).
    @_spi(Testing) public func migrate(through last: String?) async throws -> [String] {
        if let last, !Migration.all.contains(where: { $0.name == last }) {
            throw StoreError(.invalidConfiguration, "no migration named \(last)")
        }
        try await ensureMigrationTable()
        let known = Set(Migration.all.map(\.name))
        if let unknown = try await appliedMigrations().map(\.name).first(where: { !known.contains($0) }) {
            throw StoreError.invalidState("the database was migrated by a newer Carta (unknown migration \(unknown)); use that version")
        }
        var applied: [String] = []
        for migration in Migration.all {
            let engine = self.engine
            let at = StoreTimestamp.string(now())
            let didApply = try await write { db in
                let done = try await db.select().column("name").from("schema_migrations")
                    .where("name", .equal, migration.name).first()
                if done != nil { return false }
                try await migration.apply(db, engine)
                try await db.insert(into: "schema_migrations")
                    .columns("name", "applied_at").values(migration.name, at).run()
                return true
            }
            if didApply {
                logger.debug("applied migration", metadata: ["migration": .string(migration.name)])
                applied.append(migration.name)
            }
            if migration.name == last { break }
        }
        // A new keyed chain: the witness outside the database now records its start and the current head.
        if applied.contains(Migration_0007_audit_integrity.name) { try await anchorAuditWitness() }
        // Identifying details written before sealing existed are sealed now (R-PR-1).
        if applied.contains(Migration_0015_sealed_identities.name) { try await sealPlaintextIdentities() }
        return applied
    }

    /// The names of the migrations not yet applied, in order.
    ///
    /// Source: issue 2 scope 3.
    public func pendingMigrations() async throws -> [String] {
        let done = Set(try await appliedMigrations().map(\.name))
        return Migration.all.map(\.name).filter { !done.contains($0) }
    }

    /// The applied migrations with their UTC application time, in order of application.
    ///
    /// Source: issue 2 scope 3.
    public func appliedMigrations() async throws -> [(name: String, appliedAt: String)] {
        guard try await hasTable("schema_migrations") else { return [] }
        return try await read { db in
            try await db.select().column("name").column("applied_at").from("schema_migrations")
                .orderBy("name").all()
                .map { (name: try $0.decode(column: "name", as: String.self),
                        appliedAt: try $0.decode(column: "applied_at", as: String.self)) }
        }.map { ($0.name, $0.appliedAt) }
    }

    /// `true` when no migration has been applied yet (a brand-new database).
    ///
    /// Source: issue 2 scope 3 ("run automatically by `serve` on an empty database").
    public func isEmpty() async throws -> Bool {
        try await appliedMigrations().isEmpty
    }

    private func ensureMigrationTable() async throws {
        if try await hasTable("schema_migrations") { return }
        try await write { db in
            // The bookkeeping table itself is the one object created idempotently.
            try await db.create(table: "schema_migrations").ifNotExists()
                .column("name", type: .text, .primaryKey(autoIncrement: false))
                .column("applied_at", type: .text, .notNull)
                .run()
        }
    }

    func hasTable(_ name: String) async throws -> Bool {
        let engine = self.engine
        return try await read { db in try await Self.hasTable(name, in: db, engine: engine) }
    }

    static func hasTable(_ name: String, in db: any SQLDatabase, engine: DatabaseEngine) async throws -> Bool {
        switch engine {
        case .sqlite:
            return try await db.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name = \(bind: name)").first() != nil
        case .postgresql:
            return try await db.raw("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename = \(bind: name)").first() != nil
        }
    }
}
