import CartaModel
import Foundation

/// The two supported database engines.
///
/// Source: DESIGN.md §1 ("SQLite (embedded default) | PostgreSQL (multi-user)").
public enum DatabaseEngine: String, Sendable, CaseIterable, Codable {
    /// Embedded SQLite file.
    case sqlite
    /// PostgreSQL server.
    case postgresql
}
