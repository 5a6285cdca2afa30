import CartaModel
import Foundation
import SQLKit

extension CartaStore {
    /// Executes one raw SQL statement outside any store transaction; bypasses the audit trail.
    ///
    /// Source: issue 2 scope 4 ("test it by tampering with a row directly in SQL"). Only visible to
    /// `@_spi(Testing) import CartaStore` (the test harness and administrative tooling), never to the app.
    @_spi(Testing) public func executeRaw(_ sql: String) async throws {
        try await direct { db in try await db.raw(SQLQueryString(sql)).run() }
    }

    /// Every row of a table as text (`NULL` for null), ordered by `orderBy`, for before/after comparisons.
    ///
    /// Source: issue 2 "Bad input" ("leaves the database exactly as it was").
    @_spi(Testing) public func tableContents(_ table: String, orderBy: String) async throws -> [[String]] {
        try await read { db in
            try await db.raw("SELECT * FROM \(ident: table) ORDER BY \(unsafeRaw: orderBy)").all().map { row in
                try row.allColumns.map { column in
                    if try row.decodeNil(column: column) { return "\(column)=NULL" }
                    if let v = try? row.decode(column: column, as: String.self) { return "\(column)=\(v)" }
                    if let v = try? row.decode(column: column, as: Int.self) { return "\(column)=\(v)" }
                    if let v = try? row.decode(column: column, as: Double.self) { return "\(column)=\(v)" }
                    if let v = try? row.decode(column: column, as: Bool.self) { return "\(column)=\(v)" }
                    return "\(column)=<undecodable>"
                }
            }
        }
    }

    /// The names of the user tables in the database, sorted.
    ///
    /// Source: issue 2 scope 3.
    @_spi(Testing) public func tableNames() async throws -> [String] {
        let engine = self.engine
        return try await read { db in
            let rows: [any SQLRow]
            switch engine {
            case .sqlite:
                rows = try await db.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all()
            case .postgresql:
                rows = try await db.raw("SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename").all()
            }
            return try rows.map { try $0.decode(column: "name", as: String.self) }
        }
    }
}
