import CartaModel
import Foundation
import SQLKit

/// Migration `0008_session_activity`: when each web session was last used, for the idle timeout.
///
/// Existing sessions count as used when they were created. Forward-only; the name is stored in
/// `schema_migrations` and must never change.
/// Source: issue 7 scope 2 ("idle session timeout (default 30 min) and absolute lifetime"); OWASP Session
/// Management Cheat Sheet (idle and absolute timeouts).
enum Migration_0008_session_activity {
    static func apply(_ db: any SQLDatabase, _ engine: DatabaseEngine) async throws {
        try await db.raw("ALTER TABLE sessions ADD COLUMN last_seen_at TEXT").run()
        try await db.raw("UPDATE sessions SET last_seen_at = created_at").run()
    }
}
