import CartaTrial
import CartaModel
import CartaServer
@_spi(Testing) import CartaStore
import CartaTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The contracts other tools are written against: health, token sign-in, the error shape.
/// Source: DESIGN.md §3; issue 2 §7 ("follow the contracts of DESIGN.md §3 exactly").
@Suite("API contracts")
struct APIContractTests {
    // DESIGN.md §3: GET /healthz → 200 {"status": "ok"} once the database is reachable.
    @Test(arguments: TestDatabase.engines)
    func healthReportsOK(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { _, client in
            let r = try await client.execute(uri: "/healthz", method: .get)
            #expect(r.status == .ok)
            #expect(r.json == ["status": "ok"])
            #expect(r.headers[.contentType]?.hasPrefix("application/json") == true)
        }
    }

    // DESIGN.md §3: POST /api/v1/tokens {"username","password"} → {"token"}; then Authorization: Bearer.
    @Test(arguments: TestDatabase.engines)
    func tokenSignInIssuesABearerToken(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            let r = try await client.api(.post, "/api/v1/tokens", json: ["username": "coordinator", "password": .string(Caller.coordinator.password)])
            #expect(r.status == .created)
            let token = try #require(r.json?["token"]?.string)
            #expect(token.count >= 32)
            // Only the token's hash is stored.
            let stored = try await server.store.tableContents("api_tokens", orderBy: "token_hash").flatMap { $0 }
            #expect(!stored.contains { $0.contains(token) })
            let me = try await client.api(.get, "/api/v1/me", token: token)
            #expect(me.status == .ok)
            #expect(me.json?["username"] == "coordinator")
            #expect(me.json?["role"] == "coordinator")
        }
    }

    // OWASP Authentication Cheat Sheet: unknown user and wrong password get the same 401.
    @Test func badCredentialsAre401WithTheErrorShape() async throws {
        try await TestServer.run { server, client in
            let before = try await server.snapshot(ignoringAuthentication: true)
            let auditedBefore = try await server.authenticationEvents()
            let wrong = try await client.api(.post, "/api/v1/tokens", json: ["username": "coordinator", "password": "not-the-password"])
            expectErrorShape(wrong, .unauthorized, code: "invalid_credentials")
            let unknown = try await client.api(.post, "/api/v1/tokens", json: ["username": "nobody", "password": "not-the-password"])
            expectErrorShape(unknown, .unauthorized, code: "invalid_credentials")
            #expect(wrong.json == unknown.json)
            let missing = try await client.api(.post, "/api/v1/tokens", json: ["username": "coordinator"])
            expectErrorShape(missing, .unprocessableContent, field: "password")
            #expect(try await server.snapshot(ignoringAuthentication: true) == before)
            // Issue 7: each failed sign-in is audited, for known and unknown names alike.
            #expect(try await server.authenticationEvents() == auditedBefore + ["coordinator sign_in_failed", "nobody sign_in_failed"])
        }
    }

    // AuthMiddleware: the API accepts bearer tokens only; forged or absent tokens are 401.
    @Test func apiAcceptsBearerTokensOnly() async throws {
        try await TestServer.run { server, client in
            expectErrorShape(try await client.api(.get, "/api/v1/me"), .unauthorized, code: "unauthorized")
            expectErrorShape(try await client.api(.get, "/api/v1/me", token: "forged-token"), .unauthorized, code: "unauthorized")
            let session = try #require(try await client.webSignIn(.coordinator, server: server))
            let withCookie = try await client.execute(uri: "/api/v1/me", method: .get, headers: [.cookie: session.cookie])
            expectErrorShape(withCookie, .unauthorized, code: "unauthorized")
            // …and pages ignore bearer tokens.
            let token = try await client.token(.coordinator)
            let page = try await client.execute(uri: "/participants", method: .get, headers: [.authorization: "Bearer \(token ?? "")"])
            #expect(page.status == .seeOther)
            #expect(page.headers[.location]?.hasPrefix("/signin") == true)
            // The scheme's name in any case (RFC 9110 §11.1); another scheme, or none, is not a token.
            for header in ["bearer \(token ?? "")", "BEARER  \(token ?? "")"] {
                let r = try await client.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: header])
                #expect(r.status == .ok, "\(header.prefix(8)): \(r.status)")
            }
            for header in ["Basic \(token ?? "")", token ?? "", "Bearer", "Bearer "] {
                expectErrorShape(try await client.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: header]), .unauthorized)
            }
        }
    }

    // Issue 2 §5: tokens and sessions expire after the configured lifetime (8 h by default).
    @Test func expiredTokensAndSessionsAreRefused() async throws {
        try await TestServer.run { server, client in
            let (user, _) = try await server.actor(.coordinator)
            let lifetime = server.services.config.sessionLifetime
            let expired = try await server.services.auth.issueToken(for: user, now: Date().addingTimeInterval(-lifetime - 1))
            expectErrorShape(try await client.api(.get, "/api/v1/me", token: expired), .unauthorized)
            let fresh = try await server.services.auth.issueToken(for: user, now: Date().addingTimeInterval(-lifetime + 60))
            #expect(try await client.api(.get, "/api/v1/me", token: fresh).status == .ok)
            let (cookie, _) = try await server.services.auth.startSession(for: user, now: Date().addingTimeInterval(-lifetime - 1))
            let page = try await client.execute(uri: "/participants", method: .get, headers: [.cookie: "carta_session=\(cookie)"])
            #expect(page.status == .seeOther)
            #expect(page.headers[.location]?.hasPrefix("/signin") == true)
        }
    }

    // DESIGN.md §3: every API error is {"error": {"code", "message", "field"?}} with a fitting status.
    @Test func everyAPIErrorHasTheErrorShape() async throws {
        try await TestServer.run { server, client in
            let coordinator = try await client.token(.coordinator)
            let monitor = try await client.token(.monitor)
            let p = try await server.register()
            expectErrorShape(try await client.api(.get, "/api/v1/participants"), .unauthorized)
            expectErrorShape(try await client.api(.post, "/api/v1/participants", token: monitor, json: [:]), .forbidden, code: "forbidden")
            expectErrorShape(try await client.api(.get, "/api/v1/participants/BCRITP-999", token: coordinator), .notFound, code: "not_found")
            expectErrorShape(try await client.api(.get, "/api/v1/participants?status=bogus", token: coordinator), .unprocessableContent, field: "status")
            expectErrorShape(try await client.api(.post, "/api/v1/participants", token: coordinator, raw: "{not json"), .unprocessableContent)
            expectErrorShape(try await client.api(.put, "/api/v1/participants/\(p.subjectID)/forms/F_VITALS", token: coordinator,
                                                  json: ScreeningData.formBody(version: p.version + 7, items: ["ECOG": Entry(value: "1")])),
                             .conflict, code: "conflict")
            expectErrorShape(try await client.api(.post, "/api/v1/compute/nope", token: coordinator, json: [:]), .unprocessableContent,
                             code: "unknown_calculator", field: "calculator")
            // Routes that do not exist under /api/v1 answer in the same shape, not with an HTML or empty body.
            expectErrorShape(try await client.api(.get, "/api/v1/no-such-route", token: coordinator), .notFound)
            expectErrorShape(try await client.api(.delete, "/api/v1/participants", token: coordinator), .notFound)
            expectErrorShape(try await client.api(.get, "/api/v1/audit?subjectID=BCRITP-999", token: coordinator), .notFound)
            // A body over the 1 MiB limit.
            let huge = #"{"fullName": ""# + String(repeating: "x", count: 2 * 1024 * 1024) + #""}"#
            expectErrorShape(try await client.api(.post, "/api/v1/participants", token: coordinator, raw: huge), .contentTooLarge)
        }
    }

    // DESIGN.md §3 / issue 2 §7: the OpenAPI document is public (no token needed).
    @Test func openAPIDocumentIsPublic() async throws {
        try await TestServer.run { _, client in
            let r = try await client.execute(uri: "/api/v1/openapi.json", method: .get)
            #expect(r.status == .ok)
            #expect(r.json?["openapi"] == "3.1.0")
        }
    }
}
