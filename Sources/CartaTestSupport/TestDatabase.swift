import CartaModel
import Foundation
@_spi(Testing) import CartaStore

/// A fresh, migrated database for one test: an SQLite file in a temporary folder, or a new PostgreSQL
/// database created on the server named by `CARTA_TEST_POSTGRES_URL` and dropped afterwards.
///
/// Source: DESIGN.md §4 ("Store: one contract suite run on SQLite (file) and on real PostgreSQL").
/// Without `CARTA_TEST_POSTGRES_URL` the PostgreSQL cases fail with a clear message, unless
/// `CARTA_SKIP_POSTGRES=1` removes them from `TestDatabase.engines` explicitly.
public struct TestDatabase: Sendable {
    /// The migrated store under test.
    public let store: CartaStore
    /// The engine under test.
    public let engine: DatabaseEngine
    private let cleanup: @Sendable () async -> Void

    /// The engines the contract suite runs on: both, unless `CARTA_SKIP_POSTGRES=1`.
    ///
    /// Source: issue brief (honest tests: PostgreSQL cases fail rather than silently skip).
    public static var engines: [DatabaseEngine] {
        ProcessInfo.processInfo.environment["CARTA_SKIP_POSTGRES"] == "1" ? [.sqlite] : DatabaseEngine.allCases
    }

    /// Creates a fresh database for `engine`, optionally migrated.
    ///
    /// Source: DESIGN.md §4.
    public static func make(_ engine: DatabaseEngine, migrated: Bool = true) async throws -> TestDatabase {
        switch engine {
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("carta-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let store = try await CartaStore.open(.sqlite(path: dir.appendingPathComponent("carta.sqlite").path))
            if migrated { _ = try await store.migrate() }
            return TestDatabase(store: store, engine: .sqlite) {
                await store.close()
                try? FileManager.default.removeItem(at: dir)
            }
        case .postgresql:
            guard let adminText = ProcessInfo.processInfo.environment["CARTA_TEST_POSTGRES_URL"], !adminText.isEmpty else {
                throw TestDatabaseError("CARTA_TEST_POSTGRES_URL is not set: the PostgreSQL half of the contract suite needs a server (e.g. postgres://postgres@127.0.0.1:54329/postgres; scripts/test starts one). Set CARTA_SKIP_POSTGRES=1 to run SQLite only, knowingly.")
            }
            let adminURL = try DatabaseURL(parsing: adminText)
            guard case .postgres(_, let host, let port, let user, _) = adminURL,
                  var components = URLComponents(string: adminText) else {
                throw TestDatabaseError("CARTA_TEST_POSTGRES_URL must be a postgres:// URL")
            }
            let name = "carta_t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
            // The audit key and head witness live outside the database (issue 7 scope 8): a temporary folder per test.
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("carta-test-\(name)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let audit = AuditFiles(keyFile: dir.appendingPathComponent("audit-key").path)
            let admin = try await CartaStore.open(adminURL, audit: audit)
            try await admin.executeRaw("CREATE DATABASE \(name)")
            components.path = "/\(name)"
            let testURL = DatabaseURL.postgres(url: components.string ?? adminText, host: host, port: port,
                                               username: user, database: String(name))
            let store: CartaStore
            do {
                store = try await CartaStore.open(testURL, audit: audit)
                if migrated { _ = try await store.migrate() }
            } catch {
                try? await admin.executeRaw("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
                await admin.close()
                try? FileManager.default.removeItem(at: dir)
                throw error
            }
            return TestDatabase(store: store, engine: .postgresql) {
                await store.close()
                try? await admin.executeRaw("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
                await admin.close()
                try? FileManager.default.removeItem(at: dir)
            }
        }
    }

    /// Runs `body` with a fresh database and always removes it afterwards.
    ///
    /// Source: DESIGN.md §4.
    public static func with<T: Sendable>(_ engine: DatabaseEngine, migrated: Bool = true,
                                         _ body: (CartaStore) async throws -> T) async throws -> T {
        let db = try await make(engine, migrated: migrated)
        do {
            let result = try await body(db.store)
            await db.cleanup()
            return result
        } catch {
            await db.cleanup()
            throw error
        }
    }

    /// Closes the store and deletes the database.
    ///
    /// Source: DESIGN.md §4.
    public func tearDown() async { await cleanup() }
}

extension TestDatabase {
    /// Writes a new random audit key file at `path` (mode 0600), as an operator would keep one for a copy of a
    /// database; opening an audited database with a key file that does not exist is refused instead.
    public static func writeAuditKey(at path: String) throws {
        let hex = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        // Created private in one step, as Carta creates its own key files.
        guard FileManager.default.createFile(atPath: path, contents: Data((hex + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw TestDatabaseError("cannot write the audit key file \(path)")
        }
    }
}

/// A harness misconfiguration, with a message that says how to fix it.
///
/// Source: DESIGN.md §4.
public struct TestDatabaseError: Error, CustomStringConvertible {
    /// What is wrong and how to fix it.
    public let description: String
    init(_ description: String) { self.description = description }
}
