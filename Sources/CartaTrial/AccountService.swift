import CartaModel
import CartaStore
import Foundation
import HummingbirdBcrypt

/// Passwords, sign-in, web sessions and API tokens.
///
/// Source: issue 2 §5 — salted slow hashes (bcrypt, HummingbirdBcrypt), sessions with CSRF tokens,
/// bearer tokens for the API; OWASP Authentication Cheat Sheet (same answer for unknown user and
/// wrong password, so sign-in does not reveal which accounts exist).
public struct AccountService: Sendable {
    public let store: CartaStore
    public let bcryptCost: UInt8
    public let lifetime: TimeInterval
    // A valid bcrypt hash at the configured cost, used only to equalise timing for unknown users.
    let dummyHash: String

    public init(store: CartaStore, bcryptCost: UInt8, lifetime: TimeInterval) {
        self.store = store
        self.bcryptCost = bcryptCost
        self.lifetime = lifetime
        self.dummyHash = Bcrypt.hash(CartaStore.newToken(), cost: bcryptCost)
    }

    /// A bcrypt hash of a password, verified by `Bcrypt.verify` in constant work per cost.
    public func hash(_ password: String) -> String { Bcrypt.hash(password, cost: bcryptCost) }

    /// Checks a password policy (minimum length) and returns the problem, if any.
    public static func passwordProblem(_ password: String) -> String? {
        password.count < 10 ? "password: must have at least 10 characters" : nil
    }

    /// The active user with this username and password, or nil.
    public func verify(username: String, password: String) async throws -> User? {
        guard let (user, hash) = try await store.credentials(username: username) else {
            // Spend the same work as a real check so timing does not reveal unknown usernames.
            _ = Bcrypt.verify(password, hash: dummyHash)
            return nil
        }
        guard Bcrypt.verify(password, hash: hash), user.active else { return nil }
        return user
    }

    /// Creates a web session; returns the cookie token (only its hash is stored) and the record.
    public func startSession(for user: User, now: Date = Date()) async throws -> (token: String, record: SessionRecord) {
        let token = CartaStore.newToken()
        let record = try await store.createSession(
            token: token, userID: user.id, csrfToken: CartaStore.newToken(), expiresAt: now.addingTimeInterval(lifetime))
        return (token, record)
    }

    /// The user and session for a cookie token, if valid and unexpired (one statement).
    public func session(token: String) async throws -> (User, SessionRecord)? {
        guard let (user, record) = try await store.sessionUser(token: token), user.active else { return nil }
        return (user, record)
    }

    /// Issues an API bearer token (only its hash is stored).
    public func issueToken(for user: User, now: Date = Date()) async throws -> String {
        let token = CartaStore.newToken()
        _ = try await store.createAPIToken(token: token, userID: user.id, expiresAt: now.addingTimeInterval(lifetime))
        return token
    }

    /// The user owning a bearer token, if valid and unexpired.
    public func user(bearer token: String) async throws -> User? {
        guard let user = try await store.tokenUser(token: token), user.active else { return nil }
        return user
    }

    /// Creates the first `admin` account on a database without users.
    /// - Returns: the password when it was generated (to be printed once), nil when given or not needed.
    public func ensureAdmin(initialPassword: String?, actor: AuditActor) async throws -> String? {
        guard try await store.userCount() == 0 else { return nil }
        let password = initialPassword ?? CartaStore.newToken()
        _ = try await store.createUser(
            username: "admin", displayName: "Administrator", role: .admin, passwordHash: hash(password), actor: actor)
        return initialPassword == nil ? password : nil
    }
}
