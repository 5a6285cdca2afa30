import CartaCore
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
    /// A web session unused this long ends (issue 7 scope 2: default 30 minutes).
    public var idleTimeout: TimeInterval = 30 * 60
    // A valid bcrypt hash at the configured cost, used only to equalise timing for unknown users.
    let dummyHash: String

    /// The application's clock: session and token expiry, the lockout window.
    public let clock: SiteClock

    public init(store: CartaStore, bcryptCost: UInt8, lifetime: TimeInterval, clock: SiteClock) {
        self.store = store
        self.bcryptCost = bcryptCost
        self.lifetime = lifetime
        self.clock = clock
        self.dummyHash = bcryptCost == 12 ? Self.dummyHashCost12 : Bcrypt.hash(CartaStore.newToken(), cost: bcryptCost)
    }

    /// A cost-12 bcrypt hash of a random 64-character secret nobody holds (generated once, 2026-12-06): an unknown
    /// user name or a locked account still costs one real bcrypt check (no timing difference to enumerate accounts),
    /// without hashing at start-up — every `carta` command paid about 0.35 s for it before it ran.
    static let dummyHashCost12 = "$2b$12$6fE1R5OjOvlBeKhWNm5SXeo64HJa1JH.mc3x7rCtM36FvHDRLX23q"

    /// A bcrypt hash of a password, verified by `Bcrypt.verify` in constant work per cost.
    public func hash(_ password: String) -> String { Bcrypt.hash(password, cost: bcryptCost) }

    /// The problem with a password under the account policy, if any (`CredentialPolicy`).
    public static func passwordProblem(_ password: String, username: String? = nil) -> String? {
        CredentialPolicy.passwordProblem(password, username: username)
    }

    /// Creates an account after checking the user name (canonical form, case-insensitively unique) and
    /// the password policy; both problems are reported by field.
    ///
    /// Source: issue 7 (look-alike user names, weak passwords); `CredentialPolicy`.
    /// `sites` lists the sites whose participants the user reaches (issue 7 scope 1); when `studySites`
    /// is given, every listed site must be one of them.
    public func createUser(username: String, displayName: String?, role: UserRole, sites: SiteAccess = .all,
                           studySites: [SiteID]? = nil, password: String, actor: AuditActor) async throws -> User {
        let name: String
        switch CredentialPolicy.canonicalUsername(username) {
        case .success(let n): name = n
        case .failure(let e): throw e
        }
        if let problem = CredentialPolicy.passwordProblem(password, username: name) {
            throw WorkflowError.invalid("password", problem)
        }
        let shown = (displayName ?? username).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !shown.isEmpty, shown.count <= 100,
              !shown.hasControlOrInvisibleCharacters() else {
            throw WorkflowError.invalid("display_name", "display name: 1 to 100 characters, no control or invisible characters")
        }
        if let studySites, let listed = sites.listed {
            let unknown = listed.filter { !studySites.contains($0) }
            guard listed.isEmpty == false, unknown.isEmpty else {
                throw WorkflowError.invalid("sites", "unknown site\(unknown.count == 1 ? "" : "s") \(unknown.map(\.rawValue).joined(separator: ", ")); the study's sites are \(studySites.map(\.rawValue).joined(separator: ", "))")
            }
        }
        do {
            return try await store.createUser(username: name, displayName: shown, role: role, sites: sites,
                                              passwordHash: hash(password), actor: actor)
        } catch let e as StoreError {
            throw WorkflowError(e) ?? e
        }
    }

    /// The active user with this username and password, or nil.
    public func verify(username: String, password: String) async throws -> User? {
        // Sign-in names are compared in their canonical form (ADMIN is admin); a name that cannot be
        // canonical, or a password bcrypt would truncate, never matches — with the same work spent.
        let canonical = try? CredentialPolicy.canonicalUsername(username).get()
        guard password.utf8.count <= CredentialPolicy.maximumPasswordBytes, let canonical,
              let (user, hash) = try await store.credentials(username: canonical) else {
            // Spend the same work as a real check so timing does not reveal unknown usernames.
            _ = await PasswordHashing.shared.verify(password, hash: dummyHash)
            return nil
        }
        guard await PasswordHashing.shared.verify(password, hash: hash), user.active else { return nil }
        return user
    }

    /// Failed sign-ins that lock an account, and for how long.
    ///
    /// Source: OWASP Authentication Cheat Sheet ("Account Lockout": a threshold, an observation window
    /// and a lockout duration); issue 7.
    public static let lockoutThreshold = 5
    /// The window in which failures count, and the lockout's length.
    public static let lockoutWindow: TimeInterval = 15 * 60

    /// Why a sign-in was refused.
    public enum SignInRefusal: Error, Sendable, Equatable {
        /// Unknown user name, wrong password or wrong second-factor code (the answer does not say which).
        case invalidCredentials
        /// Too many recent failures: the account is locked until the window has passed.
        case locked(minutes: Int)
    }

    /// Signs in with a password, recording the success or the failure in the audit trail; after
    /// `lockoutThreshold` failures within `lockoutWindow` the account refuses even the right password
    /// until the window has passed (the lockout is audited too).
    ///
    /// Source: issue 7; 21 CFR Part 11 §11.300(d); OWASP Authentication Cheat Sheet.
    /// With a second factor enrolled, `code` must be a fresh TOTP code; a missing or wrong code counts as
    /// a failed sign-in and gets the same answer as a wrong password.
    public func signIn(username: String, password: String, code: String? = nil, source: AuditSource, now: Date? = nil) async throws -> Result<User, SignInRefusal> {
        let now = now ?? clock.now
        // A name that is no valid user name is audited as typed, but with control characters (a NUL byte reached the
        // trail) shown as U+FFFD, so the record stays printable and well-formed in every export.
        let name = (try? CredentialPolicy.canonicalUsername(username).get())
            ?? String(String.UnicodeScalarView(username.prefix(64).unicodeScalars.map { CharacterSet.controlCharacters.contains($0) ? "\u{FFFD}" : $0 }))
        let actor = AuditActor(userID: nil, username: name, source: source)
        let failures = try await store.authenticationEvents(username: name, event: "sign_in_failed",
                                                            since: now.addingTimeInterval(-Self.lockoutWindow))
        if failures >= Self.lockoutThreshold {
            _ = await PasswordHashing.shared.verify(password, hash: dummyHash) // same work as a real check
            try await store.recordAuthentication(username: name, event: "sign_in_refused_locked", detail: source.rawValue, actor: actor, at: now)
            return .failure(.locked(minutes: Int(Self.lockoutWindow / 60)))
        }
        let verified = try await verify(username: username, password: password)
        let secondFactorOK = try await verified.asyncMap { try await checkSecondFactor($0, code: code) } ?? false
        guard let user = verified, secondFactorOK else {
            let detail = verified == nil ? source.rawValue : "\(source.rawValue), second factor"
            try await store.recordAuthentication(username: name, event: "sign_in_failed", detail: detail, actor: actor, at: now)
            if failures + 1 == Self.lockoutThreshold {
                try await store.recordAuthentication(username: name, event: "locked", detail: "\(Self.lockoutThreshold) failed sign-ins", actor: actor, at: now)
            }
            return .failure(.invalidCredentials)
        }
        try await store.recordAuthentication(username: user.username, event: "sign_in", detail: source.rawValue,
                                             actor: AuditActor(user: user, source: source), at: clock.now)
        return .success(user)
    }

    /// Records a signature attempt whose password was wrong (the signature itself is not stored).
    ///
    /// Source: issue 7 ("does not record failed signature attempts"); 21 CFR Part 11 §11.300(d).
    public func recordFailedSignature(_ user: User, source: AuditSource) async throws {
        try await store.recordAuthentication(username: user.username, event: "signature_password_failed", detail: source.rawValue,
                                             actor: AuditActor(user: user, source: source), at: clock.now)
    }

    /// Records a sign-out.
    public func recordSignOut(_ user: User) async throws {
        try await store.recordAuthentication(username: user.username, event: "sign_out", detail: "web",
                                             actor: AuditActor(user: user, source: .web), at: clock.now)
    }

    /// Creates a web session; returns the cookie token (only its hash is stored) and the record.
    public func startSession(for user: User, now: Date? = nil) async throws -> (token: String, record: SessionRecord) {
        let now = now ?? clock.now
        let token = CartaStore.newToken()
        let record = try await store.createSession(
            token: token, userID: user.id, csrfToken: CartaStore.newToken(), expiresAt: now.addingTimeInterval(lifetime))
        return (token, record)
    }

    /// The user and session for a cookie token, if valid and unexpired (one statement).
    ///
    /// A session unused for `idleTimeout` has ended; a used one restarts its idle clock, written at most
    /// once a minute so that browsing stays a read.
    public func session(token: String) async throws -> (User, SessionRecord)? {
        let now = clock.now
        guard let (user, record) = try await store.sessionUser(token: token, now: now, idleTimeout: idleTimeout), user.active else { return nil }
        if let seen = record.lastSeenAt, now.timeIntervalSince(seen) > 60 {
            try await store.touchSession(id: record.id, at: now)
        }
        return (user, record)
    }

    /// Issues an API bearer token (only its hash is stored); the issue is audited.
    public func issueToken(for user: User, now: Date? = nil) async throws -> String {
        let now = now ?? clock.now
        let token = CartaStore.newToken()
        let record = try await store.createAPIToken(token: token, userID: user.id, expiresAt: now.addingTimeInterval(lifetime))
        try await store.recordAuthentication(username: user.username, event: "api_token_issued",
                                             detail: "expires \(StoreTimestamp.string(record.expiresAt))",
                                             actor: AuditActor(user: user, source: .api), at: clock.now)
        return token
    }

    /// The user owning a bearer token, if valid and unexpired.
    public func user(bearer token: String) async throws -> User? {
        guard let user = try await store.tokenUser(token: token, now: clock.now), user.active else { return nil }
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

extension Optional {
    /// `map` with an async transform.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
