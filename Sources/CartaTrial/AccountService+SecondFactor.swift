import CartaModel
import CartaStore
import Foundation

/// The optional TOTP second factor: set-up confirmed by a first code, codes at sign-in and at every
/// electronic signature, removal by the user (password and code) or by an administrator for a lost device.
///
/// Source: issue 7 scope 2 ("TOTP (RFC 6238) as an optional second factor") and scope 4 ("re-entering the
/// password (and second factor if enrolled)"); RFC 6238; standards.md R-AC-2, R-ES-3; 21 CFR 11.200(a)(1),
/// 11.300(c) (loss management: a lost device is deauthorised by an administrator, audited).
extension AccountService {
    /// The name authenticator apps show beside the account.
    public static let issuer = "Carta"

    /// What the user copies into an authenticator app to set up the second factor.
    public struct SecondFactorSetup: Sendable, Equatable {
        /// The secret in RFC 4648 base32, for typing by hand.
        public let secret: String
        /// The `otpauth://` key URI, for apps that import links.
        public let keyURI: String
    }

    /// Starts (or restarts) setting up a second factor: a new secret waits until a code made from it is
    /// confirmed with `confirmSecondFactor`; until then sign-in is unchanged.
    public func startSecondFactor(by principal: Principal) async throws -> SecondFactorSetup {
        if principal.user.secondFactorEnrolledAt != nil {
            throw WorkflowError(.invalidState, "You already use a second factor; remove it first to set up a new device.")
        }
        let secret = TOTP.newSecret()
        try await store.setPendingSecondFactor(principal.user.id, secret: secret)
        return setup(secret, account: principal.user.username)
    }

    /// The set-up still waiting for its first code, if any (so a page can show it again).
    public func pendingSecondFactor(by principal: Principal) async throws -> SecondFactorSetup? {
        guard principal.user.secondFactorEnrolledAt == nil, let secret = try await store.pendingSecondFactor(principal.user.id) else { return nil }
        return setup(secret, account: principal.user.username)
    }

    private func setup(_ secret: Data, account: String) -> SecondFactorSetup {
        SecondFactorSetup(secret: Base32.encode(secret), keyURI: TOTP(secret: secret).keyURI(account: account, issuer: Self.issuer))
    }

    /// Enrols the waiting secret once the password and a code made from it are right (audited).
    public func confirmSecondFactor(password: String, code: String, by principal: Principal) async throws -> User {
        guard try await verify(username: principal.user.username, password: password) != nil else {
            try await recordFailedSignature(principal.user, source: principal.source)
            throw WorkflowError.invalid("password", "The password is wrong; the second factor was not set up.")
        }
        guard let secret = try await store.pendingSecondFactor(principal.user.id) else {
            throw WorkflowError(.invalidState, "No second-factor set-up is waiting for a code; start again.")
        }
        guard let step = TOTP(secret: secret).matchingStep(code, at: clock.now, lastUsedStep: nil) else {
            throw WorkflowError.invalid("code", "The code does not match: check the phone's clock and type the six digits the app shows now.")
        }
        return try await mapped { try await store.enrolSecondFactor(principal.user.id, step: step, actor: principal.actor, at: clock.now) }
    }

    /// Removes the principal's own second factor; needs the password and a current code.
    public func removeSecondFactor(password: String, code: String, by principal: Principal) async throws -> User {
        guard try await verifySigner(principal.user, password: password, code: code, source: principal.source) else {
            throw WorkflowError.invalid("code", "The password or the code is wrong; the second factor was kept.")
        }
        return try await mapped { try await store.removeSecondFactor(principal.user.id, reason: "removed by the user", actor: principal.actor, at: clock.now) }
    }

    /// An administrator removes another account's second factor (a lost or replaced device), with a reason.
    public func resetSecondFactor(username: String, reason: String, by principal: Principal) async throws -> User {
        let user = try await target(username, by: principal)
        let why = try requiredReason(reason)
        return try await mapped { try await store.removeSecondFactor(user.id, reason: why, actor: principal.actor, at: clock.now) }
    }

    /// Whether `code` is a fresh, current code of the user's second factor (true when none is enrolled
    /// and no code is needed). An accepted code's step is recorded so it cannot be used again.
    public func checkSecondFactor(_ user: User, code: String?) async throws -> Bool {
        guard user.secondFactorEnrolledAt != nil else { return true }
        guard let code, !code.isEmpty, let factor = try await store.secondFactor(user.id),
              let step = TOTP(secret: factor.secret).matchingStep(code, at: clock.now, lastUsedStep: factor.lastStep) else {
            return false
        }
        return try await store.useSecondFactorStep(user.id, step: step)
    }

    /// The components of an electronic signature: the user's password and, when enrolled, a fresh code.
    /// A failure is audited as a failed signature attempt.
    ///
    /// Source: 21 CFR 11.200(a)(1) (two distinct identification components); issue 7 scope 4.
    /// Failed signatures count toward the sign-in lockout and a locked account cannot sign, so a session
    /// cannot be used to guess the password through the signature forms.
    public func verifySigner(_ user: User, password: String, code: String?, source: AuditSource) async throws -> Bool {
        let since = clock.now.addingTimeInterval(-Self.lockoutWindow)
        let failures = try await store.authenticationEvents(username: user.username, event: "sign_in_failed", since: since)
            + store.authenticationEvents(username: user.username, event: "signature_password_failed", since: since)
        // Blocked: said as such, the password not even checked and no further failure recorded (the right password was
        // answered "wrong" and logged as another failure, keeping the window sliding).
        if failures >= Self.lockoutThreshold {
            let minutes = Int(Self.lockoutWindow / 60)
            throw WorkflowError(.invalidState, "Signing is blocked for \(user.username) after \(failures) wrong passwords in the last \(minutes) minutes; nothing was signed. Try again in at most \(minutes) minutes, or ask an administrator.")
        }
        let ok = try await verify(username: user.username, password: password) != nil
        // The code is checked only after the right password, so a guessed password does not use one up.
        if ok, try await checkSecondFactor(user, code: code) { return true }
        try await recordFailedSignature(user, source: source)
        return false
    }

    /// The message for a refused signature, naming the components the user must give.
    public static func signerRefusal(_ user: User, nothingDone: String) -> String {
        user.secondFactorEnrolledAt == nil
            ? "The password is wrong; \(nothingDone)."
            : "The password or the authentication code is wrong (each code works once; wait for the next one); \(nothingDone)."
    }
}
