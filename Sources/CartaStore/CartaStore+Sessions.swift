import CartaModel
import Foundation
import Crypto
import SQLKit

extension CartaStore {
    /// SHA-256 hex of a session cookie or bearer token; only this is stored.
    ///
    /// Source: notes/stack.md pitfall 9; issue brief ("store only hashes of bearer tokens/session ids").
    public static func tokenHash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// A new random token (32 bytes from the system CSPRNG, base64url without padding).
    ///
    /// Source: OWASP Session Management Cheat Sheet (≥ 64 bits of entropy).
    public static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Stores a session for the cookie `token` (hashed) with its CSRF token.
    ///
    /// Source: issue 2 scope 5; notes/stack.md pitfall 9.
    public func createSession(token: String, userID: UserID, csrfToken: String, expiresAt: Date) async throws -> SessionRecord {
        let record = SessionRecord(id: Self.tokenHash(token), userID: userID, csrfToken: csrfToken,
                                   createdAt: now(), expiresAt: StoreTimestamp.truncated(expiresAt))
        try await write { db in
            try await db.insert(into: "sessions").columns("id", "user_id", "csrf_token", "created_at", "expires_at", "last_seen_at")
                .values(record.id, userID.rawValue, csrfToken, StoreTimestamp.string(record.createdAt),
                        StoreTimestamp.string(record.expiresAt), StoreTimestamp.string(record.createdAt))
                .run()
        }
        return record
    }

    /// The unexpired session for the cookie `token`, or `nil`.
    ///
    /// Source: issue 2 scope 5.
    public func session(token: String, now: Date = Date()) async throws -> SessionRecord? {
        let id = Self.tokenHash(token)
        let nowText = StoreTimestamp.string(now)
        return try await read { db in
            guard let row = try await db.select().column("*").from("sessions").where("id", .equal, id)
                .where("expires_at", .greaterThan, nowText).first() else { return nil }
            return SessionRecord(id: id, userID: UserID(rawValue: try row.decode(column: "user_id", as: String.self)),
                                 csrfToken: try row.decode(column: "csrf_token", as: String.self),
                                 createdAt: try Self.date(row, "created_at"), expiresAt: try Self.date(row, "expires_at"))
        }
    }

    /// Deletes the session for the cookie `token` (sign-out).
    ///
    /// Source: issue 2 scope 5.
    public func deleteSession(token: String) async throws {
        let id = Self.tokenHash(token)
        try await write { db in try await db.delete(from: "sessions").where("id", .equal, id).run() }
    }

    /// Stores an API bearer `token` (hashed) for a user.
    ///
    /// Source: DESIGN.md §3 (`POST /api/v1/tokens`).
    public func createAPIToken(token: String, userID: UserID, expiresAt: Date) async throws -> APITokenRecord {
        let record = APITokenRecord(tokenHash: Self.tokenHash(token), userID: userID, createdAt: now(),
                                    expiresAt: StoreTimestamp.truncated(expiresAt))
        try await write { db in
            try await db.insert(into: "api_tokens").columns("token_hash", "user_id", "created_at", "expires_at")
                .values(record.tokenHash, userID.rawValue, StoreTimestamp.string(record.createdAt),
                        StoreTimestamp.string(record.expiresAt))
                .run()
        }
        return record
    }

    /// The unexpired API token record for a bearer `token`, or `nil`.
    ///
    /// Source: DESIGN.md §3.
    public func apiToken(token: String, now: Date = Date()) async throws -> APITokenRecord? {
        let hash = Self.tokenHash(token)
        let nowText = StoreTimestamp.string(now)
        return try await read { db in
            guard let row = try await db.select().column("*").from("api_tokens").where("token_hash", .equal, hash)
                .where("expires_at", .greaterThan, nowText).first() else { return nil }
            return APITokenRecord(tokenHash: hash, userID: UserID(rawValue: try row.decode(column: "user_id", as: String.self)),
                                  createdAt: try Self.date(row, "created_at"), expiresAt: try Self.date(row, "expires_at"))
        }
    }

    /// Deletes an API token (revocation).
    ///
    /// Source: DESIGN.md §3.
    public func deleteAPIToken(token: String) async throws {
        let hash = Self.tokenHash(token)
        try await write { db in try await db.delete(from: "api_tokens").where("token_hash", .equal, hash).run() }
    }

    /// Deletes every expired session and API token; returns nothing (housekeeping).
    ///
    /// Source: notes/stack.md pitfall 9.
    public func deleteExpiredSessionsAndTokens(now: Date = Date()) async throws {
        let nowText = StoreTimestamp.string(now)
        try await write { db in
            try await db.delete(from: "sessions").where("expires_at", .lessThanOrEqual, nowText).run()
            try await db.delete(from: "api_tokens").where("expires_at", .lessThanOrEqual, nowText).run()
        }
    }
}

extension CartaStore {
    /// The user and unexpired session for the cookie `token` in one statement, or `nil`.
    ///
    /// Source: issue 2 scope 5; issue 6 scope 7 (one query per authenticated request, not two).
    public func sessionUser(token: String, now: Date, idleTimeout: TimeInterval = .infinity) async throws -> (User, SessionRecord)? {
        let id = Self.tokenHash(token)
        let nowText = StoreTimestamp.string(now)
        // Idle sessions end too: last used before `now − idleTimeout` (OWASP Session Management).
        let idleText = StoreTimestamp.string(idleTimeout.isFinite ? now.addingTimeInterval(-idleTimeout) : Date(timeIntervalSince1970: 0))
        return try await read { db in
            guard let row = try await db.raw("""
                SELECT u.*, s.csrf_token AS s_csrf_token, s.created_at AS s_created_at, s.expires_at AS s_expires_at,
                       s.last_seen_at AS s_last_seen_at
                FROM sessions s JOIN users u ON u.id = s.user_id
                WHERE s.id = \(bind: id) AND s.expires_at > \(bind: nowText) AND s.last_seen_at > \(bind: idleText)
                """).first() else { return nil }
            let user = try Self.user(from: row)
            var record = SessionRecord(id: id, userID: user.id, csrfToken: try row.decode(column: "s_csrf_token", as: String.self),
                                       createdAt: try Self.date(row, "s_created_at"), expiresAt: try Self.date(row, "s_expires_at"))
            record.lastSeenAt = try Self.date(row, "s_last_seen_at")
            return (user, record)
        }
    }

    /// Records that a session was used now (the idle clock restarts); no audit record, no data change.
    ///
    /// Source: issue 7 scope 2 (idle timeout).
    public func touchSession(id: String, at now: Date) async throws {
        let nowText = StoreTimestamp.string(now)
        try await write { db in
            try await db.update("sessions").set("last_seen_at", to: nowText).where("id", .equal, id).run()
        }
    }

    /// The unexpired API tokens of a user, newest first (their hashes identify them; the tokens are never stored).
    ///
    /// Source: issue 7 scope 2 ("API tokens that can be listed, expire and be revoked").
    public func apiTokens(userID: UserID, now: Date) async throws -> [APITokenRecord] {
        let nowText = StoreTimestamp.string(now)
        return try await read { db in
            try await db.select().column("*").from("api_tokens").where("user_id", .equal, userID.rawValue)
                .where("expires_at", .greaterThan, nowText).orderBy("created_at", .descending).all().map { row in
                    APITokenRecord(tokenHash: try row.decode(column: "token_hash", as: String.self), userID: userID,
                                   createdAt: try Self.date(row, "created_at"), expiresAt: try Self.date(row, "expires_at"))
                }
        }
    }

    /// Revokes one API token of a user by its hash, audited; false when the user has no such token.
    ///
    /// Source: issue 7 scope 2.
    public func revokeAPIToken(hash: String, userID: UserID, username: String, actor: AuditActor, at date: Date) async throws -> Bool {
        let at = StoreTimestamp.string(StoreTimestamp.truncated(date))
        return try await write { db in
            guard try await db.select().column("token_hash").from("api_tokens").where("token_hash", .equal, hash)
                .where("user_id", .equal, userID.rawValue).first() != nil else { return false }
            try await db.delete(from: "api_tokens").where("token_hash", .equal, hash).run()
            try await Self.appendAudit(db, actor: actor, at: at, reason: nil, [
                AuditChange(entity: .authentication, entityID: username, field: "api_token_revoked", oldValue: nil,
                            newValue: String(hash.prefix(12))),
            ])
            return true
        }
    }

    /// Ends every web session and revokes every API token of a user ("sign out everywhere"), audited
    /// with how many were ended; `reason` says why (an admin's deactivation or reset, or the user).
    ///
    /// Source: issue 7 scope 2 ("sign-out everywhere").
    public func endAllSessions(userID: UserID, username: String, actor: AuditActor, reason: String?, at date: Date) async throws -> Int {
        let at = StoreTimestamp.string(StoreTimestamp.truncated(date))
        return try await write { db in
            let n = try await Self.countSessionsAndTokens(db, userID)
            try await db.delete(from: "sessions").where("user_id", .equal, userID.rawValue).run()
            try await db.delete(from: "api_tokens").where("user_id", .equal, userID.rawValue).run()
            try await Self.appendAudit(db, actor: actor, at: at, reason: reason, [
                AuditChange(entity: .authentication, entityID: username, field: "signed_out_everywhere", oldValue: nil,
                            newValue: "\(n) session(s) and token(s) ended"),
            ])
            return n
        }
    }

    static func countSessionsAndTokens(_ db: any SQLDatabase, _ userID: UserID) async throws -> Int {
        let s = try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("sessions")
            .where("user_id", .equal, userID.rawValue).first()?.decode(column: "n", as: Int.self) ?? 0
        let t = try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("api_tokens")
            .where("user_id", .equal, userID.rawValue).first()?.decode(column: "n", as: Int.self) ?? 0
        return s + t
    }

    /// The user owning an unexpired API bearer `token`, in one statement, or `nil`.
    ///
    /// Source: DESIGN.md §3; issue 6 scope 7.
    public func tokenUser(token: String, now: Date) async throws -> User? {
        let hash = Self.tokenHash(token)
        let nowText = StoreTimestamp.string(now)
        return try await read { db in
            try await db.raw("""
                SELECT u.* FROM api_tokens t JOIN users u ON u.id = t.user_id
                WHERE t.token_hash = \(bind: hash) AND t.expires_at > \(bind: nowText)
                """).first().map(Self.user(from:))
        }
    }
}

extension CartaStore {
    /// Records one authentication event (sign-in, failure, lockout, sign-out, token issued) in the audit trail.
    ///
    /// Source: issue 7 ("sign-in, sign-out, failed sign-ins and token issue leave no audit record");
    /// 21 CFR Part 11 §11.300(d) (attempted unauthorised use detected and reported).
    /// `at` is the application's clock, the same one the lockout window is measured on.
    public func recordAuthentication(username: String, event: String, detail: String?, actor: AuditActor, at date: Date) async throws {
        let at = StoreTimestamp.string(StoreTimestamp.truncated(date))
        try await write { db in
            try await Self.appendAudit(db, actor: actor, at: at, reason: nil, [
                AuditChange(entity: .authentication, entityID: username, field: event, oldValue: nil, newValue: detail),
            ])
        }
    }

    /// How many `event` records an account has had since `since` (failed sign-ins for the lockout rule).
    ///
    /// Source: issue 7 (no limit on password guessing); OWASP Authentication Cheat Sheet (account lockout).
    public func authenticationEvents(username: String, event: String, since: Date) async throws -> Int {
        let sinceText = StoreTimestamp.string(since)
        return try await read { db in
            try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("audit_events")
                .where("entity", .equal, AuditEntity.authentication.rawValue).where("entity_id", .equal, username)
                .where("field", .equal, event).where("at", .greaterThanOrEqual, sinceText)
                .first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    /// Every `event` authentication record since `since`, newest first: account, time, audit sequence.
    ///
    /// Source: standards.md R-AC-2 ("login attempt logging and alerting").
    public func authenticationRecords(event: String, since: Date) async throws -> [(username: String, at: Date, seq: Int)] {
        let sinceText = StoreTimestamp.string(since)
        return try await read { db in
            try await db.select().columns("entity_id", "at", "seq").from("audit_events")
                .where("entity", .equal, AuditEntity.authentication.rawValue).where("field", .equal, event)
                .where("at", .greaterThanOrEqual, sinceText).orderBy("seq", .descending).limit(500).all()
                .map { row in
                    let at = try row.decode(column: "at", as: String.self)
                    return (try row.decode(column: "entity_id", as: String.self), StoreTimestamp.date(at) ?? since, try row.decode(column: "seq", as: Int.self))
                }
        }
    }
}
