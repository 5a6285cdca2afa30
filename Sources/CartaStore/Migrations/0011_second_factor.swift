import CartaModel
import Foundation
import SQLKit

/// Migration `0011_second_factor`: the optional TOTP second factor of each account.
///
/// `totp_secret` and `totp_pending_secret` hold the secret sealed with AES-GCM under a key derived from
/// the audit key file (kept outside the database), so a copy of the database alone cannot mint codes.
/// `totp_last_step` is the last time step accepted, so no code is accepted twice (RFC 6238 §5.2).
/// Forward-only; the name is stored in `schema_migrations` and must never change.
/// Source: issue 7 scope 2 ("TOTP (RFC 6238) as an optional second factor"); standards.md R-AC-2, R-ES-3.
enum Migration_0011_second_factor {
    static func apply(_ db: any SQLDatabase, _ engine: DatabaseEngine) async throws {
        try await db.raw("ALTER TABLE users ADD COLUMN totp_secret TEXT").run()
        try await db.raw("ALTER TABLE users ADD COLUMN totp_pending_secret TEXT").run()
        try await db.raw("ALTER TABLE users ADD COLUMN totp_enrolled_at TEXT").run()
        try await db.raw("ALTER TABLE users ADD COLUMN totp_last_step BIGINT").run()
    }
}
