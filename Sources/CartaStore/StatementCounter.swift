import Foundation
import Logging
import NIOCore
import SQLKit

/// A thread-safe running count (statements run by reads; the reader round-robin).
///
/// Source: issue 6 "Done when" (a test counts the queries a page makes).
// @unchecked Sendable: `value` is only touched under `lock`.
final class StatementCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    /// Returns the current count and adds one.
    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value &+= 1
        return value &- 1
    }

    /// The current count.
    var current: Int {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
}

/// An `SQLDatabase` that counts every statement before passing it to the real connection.
///
/// Source: issue 6 "Done when"; SQLKit 3 `SQLDatabase` protocol.
struct CountingSQLDatabase: SQLDatabase {
    let base: any SQLDatabase
    let counter: StatementCounter

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        _ = counter.next()
        return base.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        _ = counter.next()
        try await base.execute(sql: query, onRow)
    }
}

extension CartaStore {
    /// How many statements reads have run since the store opened (tests compare before and after a request).
    ///
    /// Source: issue 6 "Done when" (at most 3 store reads for the participant page).
    public var readStatementCount: Int { statements.current }
}
