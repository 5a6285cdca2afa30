import CartaModel
@testable import CartaServer
@_spi(Testing) import CartaStore
import CartaTestSupport
import CartaTrial
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A hostile page posting to the API with only the victim's session cookie: whatever the path
/// spelling and content type, nothing is registered and nothing changes.
/// Source: issue 7 ("CSRF bypass: POST //api/v1/participants … with only the browser's session
/// cookie, Content-Type: text/plain and no CSRF token registers a participant"); OWASP CSRF
/// Prevention Cheat Sheet; RFC 3986 §6.2.2.
@Suite("Path spellings and API content types")
struct PathSpellingTests {
    static let body = #"{"fullName": "Mallory", "dateOfBirth": "1980-01-01", "hospitalNumber": "H-666"}"#

    @Test(arguments: ["//api/v1/participants", "/api//v1/participants", "/api/./v1/participants", "/api/v1/../v1/participants",
                      "/api%2Fv1/participants", "/api/v1%2fparticipants", "/api/v1/participants/", "/API/v1/participants",
                      "/%61pi/v1/participants", "/api/v1/participants"],
          ["text/plain", "application/x-www-form-urlencoded", "application/json"])
    func cookieOnlyRequestsNeverReachTheAPI(path: String, contentType: String) async throws {
        try await TestServer.run { server, client in
            let session = try #require(try await client.webSignIn(.coordinator, server: server))
            let before = try await server.snapshot()
            let r = try await client.execute(uri: path, method: .post,
                                             headers: [.contentType: contentType, .cookie: session.cookie],
                                             body: ByteBuffer(string: Self.body))
            #expect(r.status != .created && r.status.code >= 400, "\(path) \(contentType): \(r.status)")
            #expect(try await server.snapshot() == before, "\(path) \(contentType) changed the database")
        }
    }

    @Test(arguments: ["//api/v1/participants", "/api/./v1/participants", "/api%2Fv1/participants", "/api/v1/%2e%2e/v1/participants"])
    func nonCanonicalPathsAreRefusedWithAReason(path: String) async throws {
        try await TestServer.run { _, client in
            let token = try await client.token(.coordinator)
            let r = try await client.api(.post, path, token: token, raw: Self.body)
            #expect(r.status == .badRequest, "\(path): \(r.status) \(r.text)")
            #expect(r.text.contains("bad_path"), "\(r.text)")
        }
    }

    /// With a bearer token, another case is not the API's path (not found, nothing registered); a trailing slash is
    /// the same route with the same checks — the role that may not register is refused there too.
    @Test(arguments: ["/api/v1/participants/", "/API/v1/participants", "/Api/V1/Participants"])
    func otherSpellingsWithATokenGetTheSameChecks(path: String) async throws {
        try await TestServer.run { server, client in
            let monitor = try await client.api(.post, path, token: try await client.token(.monitor), raw: Self.body)
            #expect(monitor.status == .forbidden || monitor.status == .notFound, "\(path): \(monitor.status)")
            #expect(try await server.store.participantCount() == 0)
            let coordinator = try await client.api(.post, path, token: try await client.token(.coordinator), raw: Self.body)
            if path.hasSuffix("/") {
                #expect(monitor.status == .forbidden && coordinator.status == .created, "\(path): \(coordinator.status) \(coordinator.text)")
            } else {
                #expect(monitor.status == .notFound && coordinator.status == .notFound, "\(path): \(coordinator.status)")
                #expect(try await server.store.participantCount() == 0)
            }
        }
    }

    @Test(arguments: ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonp"])
    func apiWritesNeedAJSONContentType(contentType: String) async throws {
        try await TestServer.run { server, client in
            let token = try #require(try await client.token(.coordinator))
            let before = try await server.snapshot()
            let r = try await client.execute(uri: "/api/v1/participants", method: .post,
                                             headers: [.contentType: contentType, .authorization: "Bearer \(token)"],
                                             body: ByteBuffer(string: Self.body))
            #expect(r.status == .unsupportedMediaType, "\(contentType): \(r.status)")
            #expect(r.json?["error"]?["code"]?.string == "unsupported_media_type")
            #expect(try await server.snapshot() == before)
            let ok = try await client.execute(uri: "/api/v1/participants", method: .post,
                                              headers: [.contentType: "application/json; charset=utf-8", .authorization: "Bearer \(token)"],
                                              body: ByteBuffer(string: Self.body))
            #expect(ok.status == .created, "the same request as JSON goes through: \(ok.text)")
        }
    }

    /// After sign-in, `next` is followed only to a canonical local path (browsers drop tabs and
    /// newlines, so `/%09/evil.example` would become `//evil.example`). Source: issue 7; WHATWG URL §4.4.
    @Test(arguments: [("/%09/evil.example", nil), ("/\t/evil.example", nil), ("//evil.example", nil), ("/%5Cevil.example", nil),
                      ("/%0a/evil.example", nil), ("https://evil.example", nil), ("/ /evil.example", nil), ("/participants/./x", nil),
                      ("/participants/BCRITP-001", "/participants/BCRITP-001"), ("/participants?status=screening", "/participants?status=screening")])
    func signInFollowsOnlyLocalNext(next: String, expected: String?) {
        #expect(CartaServices.safeNext(next) == expected, "\(next)")
    }
}

/// Password guessing stops after five failures: the right password is refused for fifteen minutes,
/// and every attempt, the lockout and the refusals are in the audit trail.
/// Source: issue 7 ("40 wrong passwords in 44 s, then the right one works; no lockout, no delay, no
/// audit entry"); OWASP Authentication Cheat Sheet (account lockout); 21 CFR Part 11 §11.300(d).
@Suite struct SignInLockoutTests {
    @Test(arguments: TestDatabase.engines)
    func fiveFailuresLockTheAccount(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            for _ in 1...5 {
                let r = try await client.api(.post, "/api/v1/tokens", json: ["username": "coordinator", "password": "guess-guess-guess"])
                #expect(r.status == .unauthorized)
            }
            let right = try await client.api(.post, "/api/v1/tokens",
                                             json: ["username": "coordinator", "password": .string(Caller.coordinator.password)])
            expectErrorShape(right, .tooManyRequests, code: "account_locked")
            let web = try await client.webSignInAttempt("COORDINATOR", password: Caller.coordinator.password)
            #expect(web.status == .unauthorized && web.text.contains("locked"), "the web form is locked too, whatever the case of the name")
            let events = try await server.authenticationEvents()
            #expect(events.filter { $0 == "coordinator sign_in_failed" }.count == 5)
            #expect(events.contains("coordinator locked"))
            #expect(events.filter { $0 == "coordinator sign_in_refused_locked" }.count == 2)
            #expect(!events.contains("coordinator sign_in"))
            // Other accounts are unaffected.
            #expect(try await client.token(.investigator) != nil)
            #expect(try await server.authenticationEvents().contains("investigator sign_in"))
        }
    }
}

extension TestClientProtocol {
    /// Posts the sign-in form with the double-submit token, as a browser would.
    func webSignInAttempt(_ username: String, password: String) async throws -> TestResponse {
        let page = try await execute(uri: "/signin", method: .get)
        let pre = try #require(page.setCookies["carta_csrf"])
        return try await execute(uri: "/signin", method: .post,
                                 headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "carta_csrf=\(pre)"],
                                 body: ByteBuffer(string: formEncode([("csrf", pre), ("username", username), ("password", password)])))
    }
}
