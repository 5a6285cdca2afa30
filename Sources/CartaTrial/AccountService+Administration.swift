import CartaCore
import CartaModel
import CartaStore
import Foundation

/// Account security a user and an administrator need: sign-out everywhere, token list and revocation,
/// password change and reset, deactivation (never deletion), role and site changes — each audited.
///
/// Source: issue 7 scope 2; standards.md R-AC-1, R-AC-2; 21 CFR 11.300 (controls for identification
/// codes and passwords: periodic revision, loss management, deactivation).
extension AccountService {
    /// Ends every session and token of the principal's own account.
    public func signOutEverywhere(by principal: Principal) async throws -> Int {
        try await store.endAllSessions(userID: principal.user.id, username: principal.user.username, actor: principal.actor,
                                       reason: "signed out everywhere by the user", at: clock.now)
    }

    /// The principal's unexpired API tokens.
    public func tokens(by principal: Principal) async throws -> [APITokenRecord] {
        try await store.apiTokens(userID: principal.user.id, now: clock.now)
    }

    /// Revokes one of the principal's own tokens by its id (the token's SHA-256); `notFound` otherwise.
    public func revokeToken(id: String, by principal: Principal) async throws {
        guard try await store.revokeAPIToken(hash: id, userID: principal.user.id, username: principal.user.username,
                                             actor: principal.actor, at: clock.now) else {
            throw WorkflowError(.notFound, "You have no API token \(id.prefix(12))…; list yours with GET /api/v1/tokens.")
        }
    }

    /// Changes the principal's own password after checking the current one; ends every session and token.
    public func changePassword(current: String, new: String, by principal: Principal) async throws {
        guard try await verify(username: principal.user.username, password: current) != nil else {
            try await recordFailedSignature(principal.user, source: principal.source)
            throw WorkflowError.invalid("current_password", "The current password is wrong; the password was not changed.")
        }
        if let problem = CredentialPolicy.passwordProblem(new, username: principal.user.username) {
            throw WorkflowError.invalid("new_password", problem)
        }
        _ = try await mapped { try await store.changeAccount(principal.user.id, .password(hash: hash(new)),
                                                             reason: "changed by the user", actor: principal.actor, at: clock.now) }
    }

    /// The account an administrator acts on; administrators cannot lock themselves out.
    func target(_ username: String, by principal: Principal, selfAllowed: Bool = false) async throws -> User {
        try principal.require(.manageUsers)
        guard let name = try? CredentialPolicy.canonicalUsername(username).get(), let user = try await store.user(username: name) else {
            throw WorkflowError(.notFound, "No account \"\(username)\".")
        }
        if !selfAllowed && user.id == principal.user.id {
            throw WorkflowError(.forbidden, "You cannot change your own account this way; ask another administrator.")
        }
        return user
    }

    /// Deactivates or reactivates an account with a reason; deactivation ends its sessions and tokens.
    public func setActive(_ active: Bool, username: String, reason: String, by principal: Principal) async throws -> User {
        let user = try await target(username, by: principal)
        let why = try requiredReason(reason)
        return try await mapped { try await store.changeAccount(user.id, .active(active), reason: why, actor: principal.actor, at: clock.now) }
    }

    /// Sets a new password chosen by an administrator (a reset); ends the account's sessions and tokens.
    public func resetPassword(username: String, newPassword: String, reason: String, by principal: Principal) async throws -> User {
        let user = try await target(username, by: principal)
        let why = try requiredReason(reason)
        if let problem = CredentialPolicy.passwordProblem(newPassword, username: user.username) {
            throw WorkflowError.invalid("password", problem)
        }
        return try await mapped { try await store.changeAccount(user.id, .password(hash: hash(newPassword)), reason: why,
                                                                actor: principal.actor, at: clock.now) }
    }

    /// Changes an account's role and sites (audited as a permission change).
    public func setAccess(username: String, role: UserRole, sites: SiteAccess, studySites: [SiteID], reason: String,
                          by principal: Principal) async throws -> User {
        let user = try await target(username, by: principal)
        let why = try requiredReason(reason)
        if let listed = sites.listed {
            let unknown = listed.filter { !studySites.contains($0) }
            let known = "the study's sites are \(studySites.map(\.rawValue).joined(separator: ", "))"
            guard !listed.isEmpty else { throw WorkflowError.invalid("sites", "name at least one site (or all sites); \(known)") }
            guard unknown.isEmpty else {
                throw WorkflowError.invalid("sites", "unknown \(unknown.count == 1 ? "site" : "sites") \(unknown.map(\.rawValue).joined(separator: ", ")); \(known)")
            }
        }
        return try await mapped { try await store.changeAccount(user.id, .access(role, sites), reason: why, actor: principal.actor, at: clock.now) }
    }

    func requiredReason(_ reason: String) throws -> String {
        let r = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !r.isEmpty, r.count <= 500, !r.hasControlOrInvisibleCharacters() else {
            throw WorkflowError.invalid("reason", "Say why (1 to 500 printable characters); it is kept in the audit trail.")
        }
        return r
    }

    func mapped<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let e as StoreError { throw WorkflowError(e) ?? e }
    }
}

extension AccountService {
    /// An active account unused this long is flagged for deactivation in the access review.
    public static let dormantAfter: TimeInterval = 90 * 24 * 3600

    /// The periodic access review: every account, what it may do and where, when it was last used, with
    /// what a reviewer should look at flagged (dormant active accounts, repeated failures, study-wide
    /// access, no second factor on a privileged account). Failures count over the last `dormantAfter`.
    ///
    /// Source: standards.md R-AC-1 ("periodic access review report lists users, roles, last login"); 21 CFR
    /// 11.300(b); EMA Guideline on computerised systems in clinical trials (2023) Annex 3 (periodic access review).
    public func accessReview(by principal: Principal) async throws -> [AccessReviewEntry] {
        try principal.require(.reviewAccess)
        let now = clock.now
        return try await store.accessReview(now: now, failuresSince: now.addingTimeInterval(-Self.dormantAfter)).map { entry in
            var e = entry
            if e.active {
                let lastUse = e.lastSignInAt ?? e.createdAt
                if now.timeIntervalSince(lastUse) > Self.dormantAfter {
                    e.flags.append(e.lastSignInAt == nil ? "never signed in in \(Int(Self.dormantAfter / 86_400)) days: deactivate?"
                                                         : "no sign-in for over \(Int(Self.dormantAfter / 86_400)) days: deactivate?")
                }
                if e.recentFailures >= Self.lockoutThreshold { e.flags.append("\(e.recentFailures) failed sign-ins or signatures") }
                if !e.secondFactor, e.role == .admin || e.role == .dataManager || e.role == .investigator {
                    e.flags.append("privileged role without a second factor")
                }
            }
            return e
        }
    }

    /// How far back security alerts look.
    public static let securityAlertWindow: TimeInterval = 7 * 86_400

    /// One account lockout: repeated failed sign-ins locked the account (audit record `seq`).
    public struct SecurityAlert: Sendable, Equatable {
        public var username: String
        public var at: Date
        public var seq: Int
        public var message: String
    }

    /// Account lockouts of the last `securityAlertWindow`, newest first — shown to administrators and auditors when
    /// they sign in, on the access review and in `GET /api/v1/access-review`, so that password guessing is seen by
    /// people, not only written to the audit trail.
    ///
    /// Source: standards.md R-AC-2 ("lockout after N failures; login attempt logging and alerting"); 21 CFR 11.300(d)
    /// ("detect and report in an immediate and urgent manner any attempts at their unauthorized use").
    public func securityAlerts(by principal: Principal) async throws -> [SecurityAlert] {
        try principal.require(.reviewAccess)
        return try await store.authenticationRecords(event: "locked", since: clock.now.addingTimeInterval(-Self.securityAlertWindow)).map { r in
            SecurityAlert(username: r.username, at: r.at, seq: r.seq,
                          message: "Account \(r.username) was locked after \(Self.lockoutThreshold) failed sign-ins within \(Int(Self.lockoutWindow / 60)) minutes (audit record #\(r.seq)).")
        }
    }
}
