import CartaModel
import CartaStore
import CartaTestSupport
@testable import CartaTrial
import Foundation
import Testing

/// Weak passwords and look-alike user names found by the issue 7 probe are refused; bcrypt never
/// truncates silently. Source: issue 7; NIST SP 800-63B §5.1.1.2; OWASP Authentication Cheat Sheet.
@Suite struct CredentialPolicyTests {
    @Test(arguments: [
        ("aaaaaaaaaa", "12 characters"), ("password12", "12 characters"), ("1234567890", "12 characters"),
        (String(repeating: " ", count: 10), "12 characters"), (String(repeating: " ", count: 14), "only spaces"),
        ("aaaaaaaaaaaa", "different characters"), ("121212121212", "different characters"),
        ("123456789012", "commonly used"), ("Password1234", "commonly used"), ("qwertyuiopas", "commonly used"),
        ("my-cora-secret-1", "user name"), (String(repeating: "é", count: 37), "bytes"),
        ("pass\u{0}word-long-1", "control"),
    ])
    func weakPasswordsAreRefused(_ password: String, _ reason: String) {
        let problem = CredentialPolicy.passwordProblem(password, username: "cora")
        #expect(problem?.contains(reason) == true, "\(password.debugDescription): \(problem ?? "accepted")")
    }

    @Test(arguments: ["correct horse battery", "Tr0ub4dor&3-extra", "la vie en rose 1947", "ça va très bien"])
    func reasonablePassphrasesAreAccepted(_ password: String) {
        #expect(CredentialPolicy.passwordProblem(password, username: "cora") == nil)
    }

    @Test(arguments: [("a\u{200B}dmin", false), ("ADMIN", true), ("Cora.Lee", true), ("<b>x</b>", false), ("ad min", false),
                      ("аdmin", false), ("x", false), ("1abc", false), ("élise", false), ("  ines  ", true)])
    func userNames(_ raw: String, _ accepted: Bool) {
        switch CredentialPolicy.canonicalUsername(raw) {
        case .success(let name):
            #expect(accepted, "\(raw.debugDescription) accepted as \(name)")
            #expect(name == name.lowercased() && !name.contains(" "))
        case .failure(let e):
            #expect(!accepted, "\(raw.debugDescription) refused: \(e.message)")
            #expect(e.field == "username")
        }
    }

    @Test func namesAreUniqueWhateverTheCaseAndBcryptNeverTruncates() async throws {
        try await TestDatabase.with(.sqlite) { store in
            let accounts = AccountService(store: store, bcryptCost: 4, lifetime: 3600, clock: SiteClock(timeZone: .gmt, instant: { Date() }))
            let actor = AuditActor(userID: nil, username: "test", source: .cli)
            let long = String(repeating: "correct horse battery staple ", count: 2) + "0123456789ab" // 70 bytes
            #expect(long.utf8.count <= 72)
            let user = try await accounts.createUser(username: "Admin", displayName: nil, role: .admin, password: long, actor: actor)
            #expect(user.username == "admin")
            await #expect(throws: WorkflowError.self) {
                _ = try await accounts.createUser(username: "ADMIN", displayName: nil, role: .monitor,
                                                  password: "another good passphrase", actor: actor)
            }
            #expect(try await accounts.verify(username: "ADMIN", password: long)?.id == user.id, "sign-in is case-insensitive")
            // Two passwords sharing the first 72 bytes: only the exact one works.
            #expect(try await accounts.verify(username: "admin", password: long + "XYZW") == nil)
            await #expect(throws: WorkflowError.self) {
                _ = try await accounts.createUser(username: "ines", displayName: nil, role: .investigator,
                                                  password: long + "XYZW", actor: actor)
            }
        }
    }
}

/// The lockout window runs on the injected clock: locked after five failures, open again once the
/// window has passed. Source: issue 7; OWASP Authentication Cheat Sheet (lockout duration).
@Suite struct LockoutClockTests {
    /// A settable instant for one test; only this test's task touches it.
    // @unchecked Sendable: read and written by the single task running the test, never concurrently.
    final class TestTime: @unchecked Sendable { var now = Date(timeIntervalSince1970: 1_795_600_000) }

    /// Accounts on `store` whose clock reads `time`, with one account of `role` (password "correct horse battery").
    static func accounts(_ store: CartaStore, _ time: TestTime, username: String, role: UserRole) async throws -> (AccountService, User) {
        let accounts = AccountService(store: store, bcryptCost: 4, lifetime: 3600, clock: SiteClock(timeZone: .gmt, instant: { time.now }))
        let user = try await accounts.createUser(username: username, displayName: nil, role: role, password: "correct horse battery",
                                                 actor: AuditActor(userID: nil, username: "test", source: .cli))
        return (accounts, user)
    }

    @Test func lockoutEndsWhenTheWindowHasPassed() async throws {
        try await TestDatabase.with(.sqlite) { store in
            let time = TestTime()
            let (accounts, _) = try await Self.accounts(store, time, username: "cora", role: .coordinator)
            for _ in 1...AccountService.lockoutThreshold {
                #expect(try await accounts.signIn(username: "cora", password: "wrong guess here", source: .api) == .failure(.invalidCredentials))
            }
            #expect(try await accounts.signIn(username: "cora", password: "correct horse battery", source: .api) == .failure(.locked(minutes: 15)))
            time.now += AccountService.lockoutWindow + 1
            guard case .success(let user) = try await accounts.signIn(username: "cora", password: "correct horse battery", source: .api) else {
                Issue.record("still locked after the window"); return
            }
            #expect(user.username == "cora")
        }
    }

    /// After five wrong signature passwords signing is refused as blocked — even with the right password, which is then
    /// neither checked nor logged as another failure — until the window has passed.
    @Test func aBlockedSignerIsToldSoAndTheBlockDoesNotSlide() async throws {
        try await TestDatabase.with(.sqlite) { store in
            let time = TestTime()
            let (accounts, ines) = try await Self.accounts(store, time, username: "ines", role: .investigator)
            for _ in 1...AccountService.lockoutThreshold {
                #expect(try await accounts.verifySigner(ines, password: "wrong guess here", code: nil, source: .web) == false)
            }
            let failures = { try await store.authenticationEvents(username: "ines", event: "signature_password_failed", since: .distantPast) }
            #expect(try await failures() == AccountService.lockoutThreshold)
            await #expect { _ = try await accounts.verifySigner(ines, password: "correct horse battery", code: nil, source: .web) } throws: {
                ($0 as? WorkflowError)?.message.hasPrefix("Signing is blocked for ines after 5 wrong passwords in the last 15 minutes") == true
            }
            #expect(try await failures() == AccountService.lockoutThreshold, "the refusal while blocked is not another failure")
            time.now += AccountService.lockoutWindow + 1
            #expect(try await accounts.verifySigner(ines, password: "correct horse battery", code: nil, source: .web))
        }
    }
}

/// The built-in dummy hash that unknown accounts are checked against is a well-formed cost-12 bcrypt hash, so an
/// unknown user name costs the same work as a real one (no account enumeration by timing).
@Suite struct DummyHashTests {
    @Test func theDummyHashIsAWellFormedCost12BcryptHash() {
        let h = AccountService.dummyHashCost12
        #expect(h.count == 60 && h.hasPrefix("$2b$12$"))
        let alphabet = Set("./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        #expect(h.dropFirst(7).allSatisfy { alphabet.contains($0) })
    }
}
