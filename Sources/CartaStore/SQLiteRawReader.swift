import CartaModel
import Foundation
import VaporCSQLite

/// A short-lived read-only SQLite connection stepped through SQLite's C API, for the whole-study pass.
///
/// Why not SQLiteNIO/SQLiteKit here: SQLiteNIO hands every row to the event loop as a task of its own and
/// SQLiteKit decodes every column through a generic `Decodable` decoder, about 6 µs per item value on this
/// machine — 69 s of the 170 s `carta derive` took over 100,000 participants (BENCHMARKS.md, issue 9 scope 4).
/// Stepping a prepared statement and copying the few columns a pass needs costs well under 1 µs a value.
///
/// Not `Sendable`: made, used and closed inside one job on the store's thread pool (SQLite calls block).
final class SQLiteRawReader {
    private var db: OpaquePointer?
    private let path: String

    /// Opens `path` read-only (WAL readers see the last committed state and never block the writer).
    init(path: String) throws {
        self.path = path
        let rc = sqlite_nio_sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK else {
            let message = db.map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite_nio_sqlite3_close(db)
            db = nil
            throw StoreError(.database, "cannot open the SQLite database at \(path) for reading: \(message)")
        }
        // The same patience as the store's own connections (CartaStore.openSQLite).
        sqlite_nio_sqlite3_busy_timeout(db, 60_000)
    }

    deinit { sqlite_nio_sqlite3_close(db) }

    /// One bound parameter: text or integer (all a pass binds).
    enum Bind { case text(String), integer(Int) }

    /// Runs `sql` with `binds` and calls `row` for each result row, in order.
    func query(_ sql: String, _ binds: [Bind] = [], row: (Row) throws -> Void) throws {
        var statement: OpaquePointer?
        guard sqlite_nio_sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw failure("prepare")
        }
        defer { sqlite_nio_sqlite3_finalize(statement) }
        for (i, bind) in binds.enumerated() {
            let index = Int32(i + 1)
            let rc: Int32
            switch bind {
            case .integer(let n): rc = sqlite_nio_sqlite3_bind_int64(statement, index, Int64(n))
            case .text(let s): rc = sqlite_nio_sqlite3_bind_text(statement, index, s, -1, Self.transient)
            }
            guard rc == SQLITE_OK else { throw failure("bind") }
        }
        while true {
            let rc = sqlite_nio_sqlite3_step(statement)
            if rc == SQLITE_DONE { return }
            guard rc == SQLITE_ROW else { throw failure("step") }
            try row(Row(handle: statement))
        }
    }

    /// Runs a statement that returns no rows (BEGIN, COMMIT).
    func execute(_ sql: String) throws { try query(sql) { _ in } }

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
