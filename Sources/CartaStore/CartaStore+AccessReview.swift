import CartaModel
import Foundation
import SQLKit

extension CartaStore {
    /// Every account with its last sign-in, recent failures, last access change (all from the audit trail),
    /// second factor and unexpired tokens, in five statements whatever the number of accounts.
    ///
    /// Source: standards.md R-AC-1 (access-review report: users, roles, last login); 21 CFR 11.300(b).
    public func accessReview(now: Date, failuresSince: Date) async throws -> [AccessReviewEntry] {
        let auth = AuditEntity.authentication.rawValue, user = AuditEntity.user.rawValue
        let failures: [any Encodable & Sendable] = ["sign_in_failed", "signature_password_failed"]
        let accessFields: [any Encodable & Sendable] = ["role", "sites", "active"]
        return try await read { db in
            func latest(_ rows: [any SQLRow]) throws -> [String: Date] {
                var out: [String: Date] = [:]
                for row in rows {
                    if let d = StoreTimestamp.date(try row.decode(column: "at", as: String.self)) { out[try row.decode(column: "k", as: String.self)] = d }
                }
                return out
            }
            let signIns = try latest(try await db.raw("""
                SELECT entity_id AS k, MAX(at) AS at FROM audit_events WHERE entity = \(bind: auth) AND field = 'sign_in' GROUP BY entity_id
                """).all())
            let changes = try latest(try await db.raw("""
                SELECT entity_id AS k, MAX(at) AS at FROM audit_events WHERE entity = \(bind: user) AND field IN (\(binds: accessFields)) GROUP BY entity_id
                """).all())
            var failed: [String: Int] = [:]
            for row in try await db.raw("""
                SELECT entity_id AS k, COUNT(*) AS n FROM audit_events WHERE entity = \(bind: auth) AND field IN (\(binds: failures))
                AND at >= \(bind: StoreTimestamp.string(failuresSince)) GROUP BY entity_id
                """).all() {
                failed[try row.decode(column: "k", as: String.self)] = try row.decode(column: "n", as: Int.self)
            }
            var tokens: [String: Int] = [:]
            for row in try await db.raw("""
                SELECT user_id AS k, COUNT(*) AS n FROM api_tokens WHERE expires_at > \(bind: StoreTimestamp.string(now)) GROUP BY user_id
                """).all() {
                tokens[try row.decode(column: "k", as: String.self)] = try row.decode(column: "n", as: Int.self)
            }
            return try await db.select().column("*").from("users").orderBy("username").all().map { row in
                let u = try Self.user(from: row)
                return AccessReviewEntry(username: u.username, displayName: u.displayName, role: u.role, sites: u.sites, active: u.active,
                                         createdAt: u.createdAt, lastSignInAt: signIns[u.username], recentFailures: failed[u.username] ?? 0,
                                         lastAccessChangeAt: changes[u.id.rawValue], secondFactor: u.secondFactorEnrolledAt != nil,
                                         activeTokens: tokens[u.id.rawValue] ?? 0)
            }
        }
    }
}
