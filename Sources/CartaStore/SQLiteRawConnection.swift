import CartaModel
import Foundation
import CSQLiteConfig
import VaporCSQLite

/// A short-lived SQLite connection stepped through SQLite's C API: read-only for the whole-study pass, writable
/// for the synthetic cohort's bulk load (`CartaStore.loadSynthetic`).
///
/// Why not SQLiteNIO/SQLiteKit here: SQLiteNIO hands every row to the event loop as a task of its own and
/// SQLiteKit decodes every column through a generic `Decodable` decoder, about 6 µs per item value on this
/// machine — 69 s of the 170 s `carta derive` took over 100,000 participants (BENCHMARKS.md, issue 9 scope 4).
/// Stepping a prepared statement and copying the few columns a pass needs costs well under 1 µs a value.
///
/// Not `Sendable`: made, used and closed inside one job on the store's thread pool (SQLite calls block).
final class SQLiteRawConnection {
    private var db: OpaquePointer?
    private let path: String

    /// Opens `path` read-only (WAL readers see the last committed state and never block the writer), or for
    /// writing with foreign keys enforced, as the store's own connections are.
    init(path: String, writable: Bool = false) throws {
        self.path = path
        let flags = (writable ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY) | SQLITE_OPEN_NOMUTEX
        let rc = sqlite_nio_sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK else {
            let message = db.map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite_nio_sqlite3_close(db)
            db = nil
            throw StoreError(.database, "cannot open the SQLite database at \(path) for reading: \(message)")
        }
        // The same patience as the store's own connections (CartaStore.openSQLite).
        sqlite_nio_sqlite3_busy_timeout(db, 60_000)
        if writable { try execute("PRAGMA foreign_keys = ON") }
    }

    deinit { sqlite_nio_sqlite3_close(db) }

    /// One bound parameter.
    enum Bind {
        case text(String), integer(Int), double(Double), null
        static func text(_ s: String?) -> Bind { s.map(Bind.text) ?? .null }
        static func double(_ x: Double?) -> Bind { x.map(Bind.double) ?? .null }
    }

    /// Runs `sql` with `binds` and calls `row` for each result row, in order.
    func query(_ sql: String, _ binds: [Bind] = [], row: (Row) throws -> Void) throws {
        var statement: OpaquePointer?
        guard sqlite_nio_sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw failure("prepare")
        }
        defer { sqlite_nio_sqlite3_finalize(statement) }
        try bind(binds, to: statement)
        while true {
            let rc = sqlite_nio_sqlite3_step(statement)
            if rc == SQLITE_DONE { return }
            guard rc == SQLITE_ROW else { throw failure("step") }
            try row(Row(handle: statement))
        }
    }

    /// Runs a statement that returns no rows (BEGIN, COMMIT).
    func execute(_ sql: String) throws { try query(sql) { _ in } }

    private func bind(_ binds: [Bind], to statement: OpaquePointer) throws {
        for (i, bind) in binds.enumerated() {
            let index = Int32(i + 1)
            let rc: Int32
            switch bind {
            case .integer(let n): rc = sqlite_nio_sqlite3_bind_int64(statement, index, Int64(n))
            case .text(let s):
                // From the string's own UTF-8 storage when it has one (native Swift strings do): passing the String
                // itself makes Swift copy it into a C string first.
                rc = s.utf8.withContiguousStorageIfAvailable { bytes in
                    bytes.withMemoryRebound(to: CChar.self) { chars in
                        guard let base = chars.baseAddress else { return sqlite_nio_sqlite3_bind_text(statement, index, "", 0, Self.transient) }
                        return sqlite_nio_sqlite3_bind_text(statement, index, base, Int32(chars.count), Self.transient)
                    }
                } ?? sqlite_nio_sqlite3_bind_text(statement, index, s, -1, Self.transient)
            case .double(let x): rc = sqlite_nio_sqlite3_bind_double(statement, index, x)
            case .null: rc = sqlite_nio_sqlite3_bind_null(statement, index)
            }
            guard rc == SQLITE_OK else { throw failure("bind") }
        }
    }

    /// A statement prepared once and run many times with new parameters (a bulk load's INSERTs): preparing
    /// costs more than a row's insert.
    final class Prepared {
        private let handle: OpaquePointer
        private let connection: SQLiteRawConnection

        fileprivate init(_ handle: OpaquePointer, _ connection: SQLiteRawConnection) { self.handle = handle; self.connection = connection }
        deinit { sqlite_nio_sqlite3_finalize(handle) }

        /// Runs the statement once with `binds`; it must return no rows.
        func run(_ binds: [Bind]) throws {
            defer { sqlite_nio_sqlite3_reset(handle); sqlite_nio_sqlite3_clear_bindings(handle) }
            try connection.bind(binds, to: handle)
            guard sqlite_nio_sqlite3_step(handle) == SQLITE_DONE else { throw connection.failure("step") }
        }
    }

    func prepare(_ sql: String) throws -> Prepared {
        var statement: OpaquePointer?
        guard sqlite_nio_sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let statement else { throw failure("prepare") }
        return Prepared(statement, self)
    }

    /// Turns the firing of triggers on this connection on or off (SQLITE_DBCONFIG_ENABLE_TRIGGER); other
    /// connections are not affected. Returns whether triggers fire now.
    func enableTriggers(_ on: Bool) throws -> Bool {
        let now = carta_sqlite_enable_triggers(UnsafeMutableRawPointer(db), on ? 1 : 0)
        guard now >= 0 else { throw failure("configure triggers") }
        return now == 1
    }

    /// The rowid of the last row inserted on this connection (an audit record's `seq`).
    var lastInsertRowID: Int { Int(sqlite_nio_sqlite3_last_insert_rowid(db)) }

    /// The current row of a stepped statement; columns by index, in the SELECT's order.
    struct Row {
        let handle: OpaquePointer
        func isNull(_ column: Int32) -> Bool { sqlite_nio_sqlite3_column_type(handle, column) == SQLITE_NULL }
        func text(_ column: Int32) -> String? {
            guard let p = sqlite_nio_sqlite3_column_text(handle, column) else { return nil }
            let count = Int(sqlite_nio_sqlite3_column_bytes(handle, column))
            return String(decoding: UnsafeBufferPointer(start: p, count: count), as: UTF8.self)
        }
        func double(_ column: Int32) -> Double? { isNull(column) ? nil : sqlite_nio_sqlite3_column_double(handle, column) }
        func integer(_ column: Int32) -> Int { Int(sqlite_nio_sqlite3_column_int64(handle, column)) }
        /// True when the column's text equals `bytes` (spares building a string that is already known).
        func textEquals(_ column: Int32, _ bytes: [UInt8]) -> Bool {
            guard let p = sqlite_nio_sqlite3_column_text(handle, column) else { return false }
            let count = Int(sqlite_nio_sqlite3_column_bytes(handle, column))
            return count == bytes.count && bytes.withUnsafeBufferPointer { count == 0 || memcmp($0.baseAddress!, p, count) == 0 }
        }
    }

    private func failure(_ step: String) -> StoreError {
        StoreError(.database, "SQLite \(step) failed on \(path): \(db.map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? "no connection")")
    }

    /// SQLite copies a bound text at once (`SQLITE_TRANSIENT`, a C macro Swift cannot import).
    private static var transient: sqlite3_destructor_type { unsafeBitCast(-1, to: sqlite3_destructor_type.self) }
}
