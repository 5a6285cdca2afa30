import CartaModel
import CartaServer
@_spi(Testing) import CartaStore
import CartaTestSupport
import CartaTrial
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The optional TOTP second factor: set-up, sign-in (API, web), signatures, replay, removal and an
/// administrator's reset — each audited; the secret sealed at rest.
/// Source: issue 7 scope 2 ("TOTP (RFC 6238) as an optional second factor") and scope 4 ("re-entering
/// the password (and second factor if enrolled)"); RFC 6238 §5; standards.md R-AC-2, R-ES-3.
@Suite("Second factor (TOTP)")
struct SecondFactorTests {
    /// Enrols `caller` through the API and returns its generator.
    static func enrol(_ caller: Caller, client: any TestClientProtocol) async throws -> TOTP {
        let token = try await client.token(caller)
        let start = try await client.api(.post, "/api/v1/me/second-factor", token: token)
        #expect(start.status == .created, "\(start.text)")
        let secretText = try #require(start.json?["secret"]?.string)
        let secret = try #require(Base32.decode(secretText))
        #expect(start.json?["keyURI"]?.string?.hasPrefix("otpauth://totp/Carta:\(caller.rawValue)?secret=") == true)
        let totp = TOTP(secret: secret)
        // A wrong code does not enrol.
        let wrong = String(format: "%06d", (Int(totp.code(at: Date()))! + 1) % 1_000_000)
        expectErrorShape(try await client.api(.post, "/api/v1/me/second-factor/confirm", token: token,
                                              json: ["password": .string(caller.password), "code": .string(wrong)]),
                         .unprocessableContent, field: "code")
        let ok = try await client.api(.post, "/api/v1/me/second-factor/confirm", token: token,
                                      json: ["password": .string(caller.password), "code": .string(totp.code(at: Date()))])
        #expect(ok.status == .ok && ok.json?["enrolled"] == .bool(true), "\(ok.text)")
        return totp
    }

    /// A code for the next step: fresh even when the current step's code was just used.
    static func nextCode(_ totp: TOTP) -> String { totp.code(step: totp.step(at: Date()) + 1) }

    @Test(arguments: TestDatabase.engines)
    func signInNeedsTheCodeOnceEnrolledAndNoCodeWorksTwice(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            let totp = try await Self.enrol(.coordinator, client: client)
            let user = try #require(try await server.store.user(username: "coordinator"))
            #expect(user.secondFactorEnrolledAt != nil)
            // The secret is sealed at rest: neither its base32 text nor its bytes are in the row.
            let row = try await server.store.tableContents("users", orderBy: "id").first { $0.contains("username=coordinator") }
            let stored = try #require(row?.first { $0.hasPrefix("totp_secret=") })
            #expect(!stored.contains(Base32.encode(totp.secret)) && !stored.contains(totp.secret.base64EncodedString()))

            // API: no code or a wrong code is the same answer as a wrong password, and counts as a failure.
            func creds(_ code: String?) -> JSON {
                code.map { ["username": "coordinator", "password": .string(Caller.coordinator.password), "code": .string($0)] }
                    ?? ["username": "coordinator", "password": .string(Caller.coordinator.password)]
            }
            expectErrorShape(try await client.api(.post, "/api/v1/tokens", json: creds(nil)), .unauthorized)
            expectErrorShape(try await client.api(.post, "/api/v1/tokens", json: creds("000000" == totp.code(at: Date()) ? "111111" : "000000")), .unauthorized)
            let freshStep = totp.step(at: Date()) + 1
            let fresh = totp.code(step: freshStep)
            #expect(try await client.api(.post, "/api/v1/tokens", json: creds(fresh)).status == .created)
            // The same code again is refused (RFC 6238 §5.2).
            expectErrorShape(try await client.api(.post, "/api/v1/tokens", json: creds(fresh)), .unauthorized)
            let events = try await server.authenticationEvents()
            #expect(events.filter { $0 == "coordinator sign_in_failed" }.count == 3, "\(events)")
            let failures = try await server.store.auditTrail(entity: .authentication, entityID: "coordinator").filter { $0.field == "sign_in_failed" }
            #expect(failures.allSatisfy { $0.newValue == "api, second factor" })

            // Web: the sign-in form's code field.
            let page = try await client.execute(uri: "/signin", method: .get)
            #expect(page.text.contains("id=\"code\"") && page.text.contains("autocomplete=\"one-time-code\""))
            let pre = try #require(page.setCookies["carta_csrf"])
            func post(_ code: String) async throws -> TestResponse {
                try await client.execute(uri: "/signin", method: .post,
                                         headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "carta_csrf=\(pre)"],
                                         body: ByteBuffer(string: formEncode([("csrf", pre), ("username", "coordinator"),
                                                                              ("password", Caller.coordinator.password), ("code", code)])))
            }
            let refused = try await post(fresh)
            #expect(refused.status == .unauthorized && refused.text.contains("authentication code"), "\(refused.status)")
            #expect(try await server.store.useSecondFactorStep(user.id, step: freshStep) == false, "the step is used")
            // Half a minute later (the last used step moved back instead of waiting), the current code signs in.
            try await server.store.executeRaw("UPDATE users SET totp_last_step = \(totp.step(at: Date()) - 1) WHERE id = '\(user.id.rawValue)'")
            let accepted = try await post(totp.code(at: Date()))
            #expect(accepted.status == .seeOther && accepted.setCookies["carta_session"] != nil, "\(accepted.status)")
        }
    }

    @Test func signaturesNeedTheCodeAndAFailureIsAudited() async throws {
        try await TestServer.run { server, client in
            let p = try await server.enterEligibleData(try await server.register().subjectID)
            let totp = try await Self.enrol(.dataManager, client: client)
            // The API token of the enrolled account was issued before enrolment; it still works.
            let dm = try await client.token(username: "data-manager", password: Caller.dataManager.password, code: Self.nextCode(totp))
            let body: JSON = ["scope": "participant", "subjectID": .string(p.subjectID.rawValue), "reason": "SDV done",
                              "password": .string(Caller.dataManager.password)]
            // Password without the code: refused, nothing locked, audited as a failed signature.
            let refused = try await client.api(.post, "/api/v1/locks", token: dm, json: body)
            expectErrorShape(refused, .unprocessableContent, field: "password")
            #expect(refused.text.contains("authentication code"), "\(refused.text)")
            #expect(try await server.authenticationEvents().contains("data-manager signature_password_failed"))
            #expect(try await server.store.tableContents("locks", orderBy: "id").isEmpty)
            // With a fresh code it is signed. The step after the sign-in's is used up, so take the next-but-one
            // by moving the last used step back (as if the sign-in had been half a minute earlier).
            let user = try #require(try await server.store.user(username: "data-manager"))
            try await server.store.executeRaw("UPDATE users SET totp_last_step = \(totp.step(at: Date()) - 1) WHERE id = '\(user.id.rawValue)'")
            let signed: JSON = ["scope": "participant", "subjectID": .string(p.subjectID.rawValue), "reason": "SDV done",
                                "password": .string(Caller.dataManager.password), "code": .string(totp.code(at: Date()))]
            let locked = try await client.api(.post, "/api/v1/locks", token: dm, json: signed)
            #expect(locked.status == .created, "\(locked.text)")
        }
    }

    @Test func removalNeedsPasswordAndCodeAndAnAdministratorCanReset() async throws {
        try await TestServer.run { server, client in
            let totp = try await Self.enrol(.monitor, client: client)
            let token = try await client.token(username: "monitor", password: Caller.monitor.password, code: Self.nextCode(totp))
            expectErrorShape(try await client.api(.post, "/api/v1/me/second-factor/remove", token: token,
                                                  json: ["password": .string(Caller.monitor.password), "code": "123"]),
                             .unprocessableContent, field: "code")
            // Starting a new set-up while enrolled is refused: remove the old one first.
            expectErrorShape(try await client.api(.post, "/api/v1/me/second-factor", token: token), .conflict, code: "invalid_state")

            // An administrator resets it (lost phone): a password alone signs in again; audited with the reason.
            let admin = try await server.principal(.admin)
            _ = try await server.services.auth.resetSecondFactor(username: "monitor", reason: "phone lost, ticket 42", by: admin)
            _ = try await client.token(.monitor)
            let monitor = try #require(try await server.store.user(username: "monitor"))
            #expect(monitor.secondFactorEnrolledAt == nil)
            let trail = try await server.store.auditTrail(entity: .user, entityID: monitor.id.rawValue).filter { $0.field == "second_factor" }
            #expect(trail.map { "\($0.oldValue ?? "") → \($0.newValue ?? "")" } == ["(none) → TOTP (new secret)", "TOTP → (none)"])
            #expect(trail.last?.reason == "phone lost, ticket 42")
            // Not for another role.
            await #expect(throws: WorkflowError.self) {
                _ = try await server.services.auth.resetSecondFactor(username: "coordinator", reason: "x", by: try await server.principal(.monitor))
            }
        }
    }

    @Test func theAccountPageSetsItUpInTheBrowser() async throws {
        try await TestServer.run { server, client in
            let session = try await client.webSignIn(.investigator, server: server)
            var page = try await client.webGet("/account", session: session)
            #expect(page.text.contains("data-state=\"none\""))
            #expect(try await client.webPost("/account/second-factor/start", session: session, fields: []).status == .seeOther)
            page = try await client.webGet("/account", session: session)
            #expect(page.text.contains("data-state=\"pending\""))
            let shown = try #require(page.text.firstMatch(of: /id="second-factor-secret">([A-Z2-7 ]+)</)?.1)
            let decoded = Base32.decode(String(shown))
            let totp = TOTP(secret: try #require(decoded))
            let wrong = try await client.webPost("/account/second-factor/confirm", session: session,
                                                 fields: [("password", "not my password 1"), ("code", totp.code(at: Date()))])
            #expect(wrong.status == .unprocessableContent && wrong.text.contains("id=\"second-factor-error\""))
            let ok = try await client.webPost("/account/second-factor/confirm", session: session,
                                              fields: [("password", Caller.investigator.password), ("code", totp.code(at: Date()))])
            #expect(ok.status == .seeOther)
            page = try await client.webGet("/account", session: session)
            #expect(page.text.contains("data-state=\"enrolled\""))
            #expect(!page.text.contains(String(shown)), "the secret is shown only while setting up")
        }
    }
}
