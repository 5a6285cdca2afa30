import CartaModel
@testable import CartaServer
@_spi(Testing) import CartaStore
import CartaTestSupport
import CartaTrial
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Account security that is seen, not only recorded (standards.md R-AC-2 "login attempt logging and alerting";
/// 21 CFR 11.300(d)), and the rest of issue 7's sign-in holes: a lockout alerts administrators and auditors;
/// sign-in, sign-out and token issue are audited; every response carries the security headers; password
/// hashing never takes more than its share of the machine.
@Suite("Account security alerts and headers")
struct SecurityAlertTests {
    @Test(arguments: TestDatabase.engines)
    func aLockoutAlertsTheReviewersOnSignInOnTheAccessReviewAndInTheAPI(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            // No lockout yet: an administrator signs in without an alert.
            let quiet = try await client.webSignInAttempt("admin", password: Caller.admin.password)
            #expect(quiet.status == .seeOther && quiet.setCookies["carta_flash"] == nil)
            for _ in 1...5 { _ = try await client.webSignInAttempt("coordinator", password: "guess-guess-guess") }
            // The administrator is told as they arrive; the coordinator (who cannot act on it) is not.
            let admin = try await client.webSignInAttempt("admin", password: Caller.admin.password)
            let flash = try #require(admin.setCookies["carta_flash"], "the sign-in redirect carries the alert")
            let session = try #require(admin.setCookies["carta_session"])
            let landing = try await client.execute(uri: "/", method: .get, headers: [.cookie: "carta_session=\(session); carta_flash=\(flash)"])
            #expect(landing.text.contains("Security alert: 1 account lockout after") && landing.text.contains("latest: coordinator"), "\(landing.text.prefix(3000))")
            let investigator = try await client.webSignInAttempt("investigator", password: Caller.investigator.password)
            #expect(investigator.status == .seeOther && investigator.setCookies["carta_flash"] == nil)
            // The access review lists it with its audit record; so does the API, for auditors too.
            let web = try await client.webSignIn(.auditor, server: server)
            let page = try await client.webGet("/admin/access-review", session: web)
            #expect(page.text.contains("id=\"security-alerts\"") && page.text.contains("Account coordinator was locked after 5 failed sign-ins"))
            let api = try await client.api(.get, "/api/v1/access-review", token: try await client.token(.admin))
            let lockouts = try #require(api.json?["lockouts"]?.array)
            #expect(lockouts.count == 1 && lockouts.first?["username"]?.string == "coordinator" && (lockouts.first?["auditSeq"]?.int ?? 0) > 0)
            expectErrorShape(try await client.api(.get, "/api/v1/access-review", token: try await client.token(.investigator)), .forbidden)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func signInSignOutAndTokenIssueAreAudited(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            let session = try await client.webSignIn(.coordinator, server: server)
            let out = try await client.webPost("/signout", session: session, fields: [])
            #expect(out.status == .seeOther)
            _ = try await client.token(.monitor)
            let events = try await server.authenticationEvents()
            #expect(events.contains("coordinator sign_in") && events.contains("coordinator sign_out"), "\(events)")
            #expect(events.contains("monitor sign_in"))
            let tokens = try await server.store.auditTrail(entity: nil, entityID: nil).filter { $0.field == "api_token_issued" }
            #expect(tokens.contains { $0.username == "monitor" && $0.source == .api }, "\(tokens)")
        }
    }

    /// The same headers on HTML pages (signed in and not), errors, CSV, JSON and health: no sniffing, no framing
    /// (CSP frame-ancestors and X-Frame-Options), no inline script (CSP without 'unsafe-inline'), same-origin referrers.
    @Test func everyResponseCarriesTheSecurityHeaders() async throws {
        try await TestServer.run { server, client in
            let p = try await server.register("Ada Lovelace")
            let session = try await client.webSignIn(.dataManager, server: server)
            let token = try await client.token(.dataManager)
            var responses: [(String, TestResponse)] = []
            for path in ["/signin", "/healthz", "/no-such-page"] { responses.append((path, try await client.execute(uri: path, method: .get))) }
            for path in ["/", "/today", "/participants", "/participants/\(p.subjectID)", "/audit", "/audit.csv", "/report", "/queries", "/participants/NOPE"] {
                responses.append((path, try await client.webGet(path, session: session)))
            }
            for path in ["/api/v1/participants", "/api/v1/audit?limit=5", "/api/v1/nope"] {
                responses.append((path, try await client.api(.get, path, token: token)))
            }
            responses.append(("POST /signout without a token", try await client.webPost("/signout", session: session, fields: [], csrf: .some(nil))))
            for (path, r) in responses {
                let csp = r.headers[.contentSecurityPolicy] ?? ""
                #expect(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"), "\(path): \(csp)")
                #expect(r.headers[.xContentTypeOptions] == "nosniff", "\(path)")
                #expect(r.headers[HTTPField.Name("X-Frame-Options")!] == "DENY", "\(path)")
                #expect(r.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin", "\(path)")
            }
            #expect(responses.contains { $0.1.status == .notFound } && responses.contains { $0.1.status == .ok })
        }
    }

    /// Sixteen password checks at once never run more than the hashing limit at a time (the rest queue off the
    /// request threads), and each gets its own right answer (issue 7: 16 parallel wrong sign-ins starved /healthz).
    @Test func passwordChecksQueueForTheirThreads() async throws {
        let hashing = PasswordHashing(limit: 1)
        let hash = try await TestServer.run { server, _ in server.services.auth.hash("correct horse battery staple") }
        let results = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<16 { group.addTask { await hashing.verify(i == 7 ? "correct horse battery staple" : "guess \(i)", hash: hash) } }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.filter { $0 }.count == 1 && results.count == 16)
        #expect(hashing.mostAtOnce == 1, "at most one bcrypt check ran at a time, got \(hashing.mostAtOnce)")
        #expect(PasswordHashing.shared.limit == max(1, ProcessInfo.processInfo.activeProcessorCount - 1))
    }
}
