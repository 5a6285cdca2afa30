import CartaModel
import Crypto
import Foundation
import Synchronization
import Logging
import SQLKit
import SQLiteKit
import PostgresKit
@preconcurrency import AsyncKit

/// The only code in Carta that talks SQL: migrations, repositories and the hash-chained audit trail.
///
/// Source: DESIGN.md §1–§2 ("CartaStore is the only code that talks SQL. Every mutation writes its
/// audit event in the same transaction"); notes/stack.md pitfalls 3 and 7.
/// On SQLite every statement goes through one connection guarded by a FIFO lock, and writes run in
/// `BEGIN IMMEDIATE … COMMIT`; on PostgreSQL each write takes one pooled connection, `BEGIN`, and a
/// transaction-scoped advisory lock so that audit hashes, subject numbers and enrolment counts stay linear.
public final class CartaStore: Sendable {
    /// The engine behind this store.
    public let engine: DatabaseEngine
    /// Where the store is connected (password redacted in `description`).
    public let url: DatabaseURL
    public let logger: Logger
    private let backend: Backend
    /// The audit key and head witness, kept outside the database.
    let integrity: AuditIntegrity
    /// Seals identifying details at rest (derived from the audit key; `CartaStore+IdentitySealing.swift`).
    let identityKey: SymmetricKey
    /// Where the audit key and head witness of this database are (resolved defaults).
    public let auditFiles: AuditFiles
    /// Counts the statements run by reads, so tests can hold pages to a fixed number of queries.
    let statements = StatementCounter()
    /// Where the store's own stamps (creation, enrolment, versions) take the time from: the system clock,
    /// except while `carta demo` replays a synthetic trial on its own clock (`replayClock`).
    let clock = Mutex<(@Sendable () -> Date)?>(nil)
    /// Participant files read at an audit head, reused until the head moves (`CartaStore+FileCache.swift`).
    let fileCache = Mutex(FileCache())

    /// The advisory lock key that serialises writers on PostgreSQL ("CARTA" in ASCII).
    static let writerLockKey: Int64 = 0x43_41_52_54_41

    private init(engine: DatabaseEngine, url: DatabaseURL, logger: Logger, backend: Backend, integrity: AuditIntegrity) {
        self.engine = engine
        self.url = url
        self.logger = logger
        self.backend = backend
        self.integrity = integrity
        self.auditFiles = AuditFiles(keyFile: integrity.key.path, witnessFile: integrity.witness.path)
        self.identityKey = Self.identityKey(integrity)
    }

    /// Opens (and for SQLite, creates) the database; does not migrate. Loads the audit key named by `audit`,
    /// creating it with mode 0600 when missing — but only for a database that holds no record sealed with a key:
    /// there a missing key file is a wrong `--audit-key` or a key left behind in a move or restore, and a new key
    /// would leave every later record unverifiable, so the open is refused and no key is created.
    ///
    /// Source: DESIGN.md §3; notes/stack.md pitfall 7; issue 7 scope 8 (key kept outside the database);
    /// 21 CFR 11.10(e). Errors are `StoreError(.database)` or `.invalidConfiguration` without secrets.
    public static func open(_ url: DatabaseURL, audit: AuditFiles = AuditFiles(),
                            logger: Logger = Logger(label: "carta.store")) async throws -> CartaStore {
        /// The key of an existing key file (on SQLite loaded before the database file is opened, so a bad key leaves no
        /// file behind), or nil when there is none yet.
        func existingIntegrity(_ paths: (key: String, witness: String)) throws -> AuditIntegrity? {
            guard FileManager.default.fileExists(atPath: paths.key) else { return nil }
            return AuditIntegrity(key: try AuditKey.loadOrCreate(paths.key), witness: AuditWitnessFile(path: paths.witness))
        }
        /// A new key, for a database that holds no record sealed with one.
        func newIntegrity(_ paths: (key: String, witness: String), _ db: any SQLDatabase, _ engine: DatabaseEngine) async throws -> AuditIntegrity {
            let sealed: Int?
            do { sealed = try await keyedAuditRecords(db, engine: engine) } catch {
                throw StoreError(.database, "cannot read the audit trail to check it has no key yet: \(Self.describe(error))")
            }
            if let sealed, sealed > 0 {
                throw StoreError(.invalidConfiguration, "the audit key file \(paths.key) does not exist, but this database holds \(sealed) audit records sealed with an audit key: give that key's file with --audit-key (CARTA_AUDIT_KEY_FILE), or restore it from where the database came from. No new key was created: records sealed with one could never be verified against the old ones")
            }
            return AuditIntegrity(key: try AuditKey.loadOrCreate(paths.key), witness: AuditWitnessFile(path: paths.witness))
        }
        switch url {
        case .sqlite(let path):
            let dir = (path as NSString).deletingLastPathComponent
            if !dir.isEmpty, !FileManager.default.fileExists(atPath: dir) {
                throw StoreError(.invalidConfiguration, "cannot open the SQLite database: folder \(dir) does not exist (--db / CARTA_DATABASE_URL)")
            }
            let paths = try audit.resolved(for: url)
            let existing = try existingIntegrity(paths)
            // One writer connection plus a few readers: in WAL mode readers never wait for the writer,
            // so page loads do not queue behind a save (issue 6 scope 7; notes/stack.md pitfall 12).
            // A thread per connection, this store's own: SQLite calls block their thread (a writer waiting out
            // busy_timeout for another process's write blocks it for up to a minute), and on the process-wide pool
            // (2 threads here) such a wait could leave the other connections of the process no thread to finish
            // the very transaction being waited for.
            let threads = NIOThreadPool(numberOfThreads: sqliteReaderCount + 1)
            threads.start()
            let writer: SQLiteReader
            do { writer = try await openSQLite(path, logger: logger, threads: threads) } catch {
                try? await threads.shutdownGracefully()
                throw error
            }
            var readers: [SQLiteReader] = []
            for _ in 0..<sqliteReaderCount {
                do {
                    readers.append(try await openSQLite(path, logger: logger, threads: threads))
                } catch {
                    for r in readers { try? await r.connection.close() }
                    try? await writer.connection.close()
                    try? await threads.shutdownGracefully()
                    throw error
                }
            }
            let integrity: AuditIntegrity
            do {
                if let existing { integrity = existing } else { integrity = try await newIntegrity(paths, writer.sql, .sqlite) }
            } catch {
                for r in readers { try? await r.connection.close() }
                try? await writer.connection.close()
                try? await threads.shutdownGracefully()
                throw error
            }
            return CartaStore(engine: .sqlite, url: url, logger: logger,
                              backend: .sqlite(SQLiteBackend(writer: writer, readers: readers, threads: threads)), integrity: integrity)
        case .postgres(let text, _, _, _, _):
            let configuration: SQLPostgresConfiguration
            do {
                configuration = try SQLPostgresConfiguration(url: text)
            } catch {
                throw StoreError(.invalidConfiguration, "invalid database URL in --db / CARTA_DATABASE_URL: \(url)")
            }
            let pool = EventLoopGroupConnectionPool(
                source: PostgresConnectionSource(sqlConfiguration: configuration),
                maxConnectionsPerEventLoop: 4,
                pruneInterval: nil,
                logger: logger,
                on: MultiThreadedEventLoopGroup.singleton
            )
            let backend = PostgresBackend(pool: pool, logger: logger)
            do {
                try await backend.sql.raw("SELECT 1").run()
            } catch {
                try? await pool.shutdownAsync()
                throw StoreError(.database, "cannot connect to PostgreSQL at \(url): \(Self.describe(error))")
            }
            let integrity: AuditIntegrity
            do {
                let paths = try audit.resolved(for: url)
                if let existing = try existingIntegrity(paths) { integrity = existing } else { integrity = try await newIntegrity(paths, backend.sql, .postgresql) }
            } catch { try? await pool.shutdownAsync(); throw error }
            return CartaStore(engine: .postgresql, url: url, logger: logger, backend: .postgres(backend), integrity: integrity)
        }
    }

    /// How many audit records are sealed with an audit key (HMAC), or nil for a database without an audit trail yet.
    private static func keyedAuditRecords(_ db: any SQLDatabase, engine: DatabaseEngine) async throws -> Int? {
        guard try await hasTable("audit_events", in: db, engine: engine), try await hasTable("audit_chain", in: db, engine: engine) else { return nil }
        return try await db.raw("SELECT COUNT(*) AS n FROM audit_events WHERE seq >= (SELECT keyed_from_seq FROM audit_chain)")
            .first()?.decode(column: "n", as: Int.self)
    }

    /// The SQLite file and the store's thread pool, for reads that step SQLite directly (`SQLiteRawConnection`); nil on PostgreSQL.
    var sqliteFile: (path: String, threads: NIOThreadPool)? {
        guard case .sqlite(let b) = backend, case .sqlite(let path) = url else { return nil }
        return (path, b.threads)
    }

    /// Runs `body` with the SQLite file and thread pool while the store's writer is held, so no other writer of
    /// this process interleaves with a connection of the caller's own (`loadSynthetic`); nil on PostgreSQL.
    func holdingSQLiteWriter<T: Sendable>(_ body: @escaping @Sendable (_ path: String, _ threads: NIOThreadPool) async throws -> T) async throws -> T? {
        guard case .sqlite(let b) = backend, case .sqlite(let path) = url else { return nil }
        return try await b.writer.lock.run { try await body(path, b.threads) }
    }

    /// Reader connections beside the SQLite writer (the machine has few cores; more only queue in the thread pool).
    static let sqliteReaderCount = 2

    private static func openSQLite(_ path: String, logger: Logger, threads: NIOThreadPool) async throws -> SQLiteReader {
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(storage: .file(path: path), threadPool: threads, logger: logger,
                                                         on: MultiThreadedEventLoopGroup.singleton.any())
        } catch {
            throw StoreError(.database, "cannot open the SQLite database at \(path): \(error)")
        }
        let sql = connection.sql(queryLogLevel: nil)
        do {
            // busy_timeout first: setting the journal mode reads the database header, which another process's
            // write can hold for a moment — without the timeout that open failed with "database is locked".
            // 60 s, not 10: a process whose writes queue in-process takes the lock again right after each commit,
            // while another process's writer only polls for it (SQLite's busy handler sleeps between tries), so
            // under load the poller waited out 10 s behind a few of the other's saves and failed
            // (`StoreContractTests.twoProcessesKeepChainLinear`, three full runs of this session).
            // WAL lets readers (this process's pool, `carta audit verify`) run beside the writer.
            try await sql.raw("PRAGMA busy_timeout = 60000").run()
            try await sql.raw("PRAGMA journal_mode = WAL").run()
            try await sql.raw("PRAGMA foreign_keys = ON").run()
        } catch {
            try? await connection.close()
            throw StoreError(.database, "cannot configure the SQLite database at \(path): \(error)")
        }
        return SQLiteReader(connection: connection, sql: sql, lock: AsyncSerialLock())
    }

    /// Closes the connection(s); the store must not be used afterwards.
    ///
    /// Source: notes/stack.md (clean shutdown of pools).
    public func close() async {
        switch backend {
        case .sqlite(let b):
            // Each connection closes only after the statement running on it finishes: closing under a
            // running statement frees memory the statement still reads (SQLite "sqlite3_close").
            for c in b.readers + [b.writer] {
                _ = try? await c.lock.run { try? await c.connection.close() }
            }
            try? await b.threads.shutdownGracefully()
        case .postgres(let b): try? await b.pool.shutdownAsync()
        }
    }

    /// Runs `body` inside one write transaction; any error rolls everything back.
    ///
    /// Source: notes/stack.md pitfall 7; issue 2 scope 4 ("written in the same transaction as the change").
    /// Audit records appended by `body` (through `appendAudit`) move the head witness after COMMIT.
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let context = AuditAppendContext(integrity: integrity)
        let result = try await writeTransaction { db in
            try await AuditAppendContext.$current.withValue(context) { try await body(db) }
        }
        if let head = context.head.withLock({ $0 }) { integrity.advance(to: head, logger: logger) }
        return result
    }

    private func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        do {
            switch backend {
            case .sqlite(let b):
                let w = b.writer
                return try await w.lock.run { try await Self.inTransaction(w.sql, begin: "BEGIN IMMEDIATE", body) }
            case .postgres(let b):
                // Writers queue in-process first, so waiting for the advisory lock never holds a
                // pooled connection (12 queued writers once exhausted the pool and timed out under
                // load); the advisory lock still orders writers across processes.
                return try await b.writeLock.run { try await b.sql.withSession { session in
                    try await Self.inTransaction(session, begin: "BEGIN") { db in
                        try await db.raw("SELECT pg_advisory_xact_lock(\(literal: Int(Self.writerLockKey)))").run()
                        return try await body(db)
                    }
                } }
            }
        } catch {
            throw Self.mapError(error)
        }
    }

    /// Runs `body` on the writer outside any transaction (statements such as CREATE DATABASE refuse one).
    ///
    /// Source: PostgreSQL 15 CREATE DATABASE ("cannot be executed inside a transaction block").
    func direct<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        do {
            switch backend {
            case .sqlite(let b): return try await b.writer.lock.run { try await body(b.writer.sql) }
            case .postgres(let b): return try await b.writeLock.run { try await body(b.sql) }
            }
        } catch {
            throw Self.mapError(error)
        }
    }

    /// Runs read-only `body` as one consistent snapshot: on SQLite on a reader connection (never behind the
    /// writer), inside a read transaction when it runs more than one statement; every statement is counted.
    ///
    /// Source: notes/stack.md pitfalls 7 and 12; SQLite "Write-Ahead Logging" §2.2 (readers do not block writers).
    func read<T: Sendable>(snapshot: Bool = false,
                           _ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        do {
            switch backend {
            case .sqlite(let b):
                let r = b.nextReader()
                return try await r.lock.run {
                    guard snapshot else { return try await body(CountingSQLDatabase(base: r.sql, counter: statements)) }
                    return try await Self.inTransaction(r.sql, begin: "BEGIN", counted: statements, body)
                }
            case .postgres(let b):
                let counter = statements
                guard snapshot else { return try await body(CountingSQLDatabase(base: b.sql, counter: counter)) }
                return try await b.sql.withSession { db in
                    try await Self.inTransaction(db, begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", counted: counter, body)
                }
            }
        } catch {
            throw Self.mapError(error)
        }
    }

    /// Runs `body` between `begin` and COMMIT on one connection; any error rolls back and is rethrown.
    static func inTransaction<T: Sendable>(_ db: any SQLDatabase, begin: String, counted: StatementCounter? = nil,
                                           _ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await db.raw(SQLQueryString(begin)).run()
        do {
            let result = try await body(counted.map { CountingSQLDatabase(base: db, counter: $0) } ?? db)
            try await db.raw("COMMIT").run()
            return result
        } catch {
            try? await db.raw("ROLLBACK").run()
            throw error
        }
    }

    /// The current time truncated to milliseconds.
    func now() -> Date { StoreTimestamp.truncated(clock.withLock { $0 }?() ?? Date()) }

    /// Stamps every later write with `instant` instead of the system clock, or with the system clock again
    /// for nil. Only the synthetic-cohort replay (`carta demo`) uses it, and only on a database already
    /// marked synthetic, so its records carry the dates of the simulated course; real data is always stamped
    /// by the system clock.
    public func replayClock(_ instant: (@Sendable () -> Date)?) async throws {
        if instant != nil, try await !isSynthetic() {
            throw StoreError.conflict("a replay clock is only for a database marked synthetic")
        }
        clock.withLock { $0 = instant }
    }

    /// Maps driver errors to `StoreError`; store errors pass through unchanged.
    ///
    /// Source: DESIGN.md §4.
    static func mapError(_ error: any Error) -> StoreError {
        if let error = error as? StoreError { return error }
        if let error = error as? SQLiteError {
            switch error.reason {
            case .constraint, .constraintCheckFailed, .constraintForeignKeyFailed, .constraintNotNullFailed,
                 .constraintPrimaryKeyFailed, .constraintTriggerFailed, .constraintUniqueFailed, .constraintUniqueRowIDFailed:
                return StoreError(.constraint, error.message)
            default:
                return StoreError(.database, error.message)
            }
        }
        if let error = error as? PSQLError {
            let state = error.serverInfo?[.sqlState] ?? ""
            let message = describe(error)
            if state.hasPrefix("23") || state == "P0001" { return StoreError(.constraint, message) }
            return StoreError(.database, message)
        }
        return StoreError(.database, String(describing: error))
    }

    /// A secret-free description of a driver error.
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            return "PostgreSQL error (\(error.code))"
        }
        return String(describing: error)
    }
}

/// The engine-specific connection state.
enum Backend: Sendable {
    case sqlite(SQLiteBackend)
    case postgres(PostgresBackend)
}

/// One SQLite connection, its SQLKit view and the lock that keeps one transaction on it at a time.
struct SQLiteReader: Sendable {
    let connection: SQLiteConnection
    let sql: any SQLDatabase
    let lock: AsyncSerialLock
}

/// The SQLite writer and the reader pool, taken round-robin.
struct SQLiteBackend: Sendable {
    let writer: SQLiteReader
    let readers: [SQLiteReader]
    /// The connections' own threads (shut down by `close`).
    let threads: NIOThreadPool
    let turn = StatementCounter()

    func nextReader() -> SQLiteReader { readers[turn.next() % readers.count] }
}

/// A PostgreSQL connection pool and its SQLKit view.
// @unchecked Sendable: AsyncKit's pool is not annotated Sendable, but it guards its state with a lock
// and hands out connections on their own event loops (notes/stack.md pitfall 3).
struct PostgresBackend: @unchecked Sendable {
    let pool: EventLoopGroupConnectionPool<PostgresConnectionSource>
    let sql: any SQLDatabase
    /// Serialises this process's writers before they take a connection (see `write`).
    let writeLock = AsyncSerialLock()

    init(pool: EventLoopGroupConnectionPool<PostgresConnectionSource>, logger: Logger) {
        self.pool = pool
        self.sql = pool.database(logger: logger).sql(queryLogLevel: nil)
    }
}
