import CartaTrial
import CartaModel
import CartaServer
@_spi(Testing) import CartaStore
import CartaTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// How a form's CSRF token is wrong.
enum CSRFFault: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case missing, forged, otherSession
    var testDescription: String { rawValue }
}

/// Cross-site request forgery defences of the web pages, and the session cookie's flags.
/// Source: issue 2 §5 ("CSRF tokens on every form", secure cookie flags) and "Bad input" (a forged or
/// missing CSRF token leaves the database exactly as it was); OWASP CSRF Prevention Cheat Sheet.
@Suite("CSRF and cookies")
struct CSRFTests {
    @Test(arguments: WebRouteCase.posts, CSRFFault.allCases)
    func formWithoutTheSessionTokenIsRefused(route: WebRouteCase, fault: CSRFFault) async throws {
        try await TestServer.run { server, client in
            let p = try await server.participant(forRoute: route.template)
            let queryID = try await server.queryForRoute(route.template, p)
            // Someone the route allows (the monitoring forms are the monitor's).
            let caller = route.allows(.investigator) ? Caller.investigator : try #require(Caller.allCases.first(where: route.allows))
            let session = try #require(try await client.webSignIn(caller, server: server))
            let other = try #require(try await client.webSignIn(caller, server: server))
            try await server.secondFactorForRoute(route.template, caller)
            let csrf: String?? = switch fault {
            case .missing: .some(nil)
            case .forged: .some(String(session.csrf.reversed()))
            case .otherSession: .some(other.csrf)
            }
            let before = try await server.snapshot()
            let r = try await client.webPost(route.path(p, queryID: queryID), session: session, fields: route.fields(caller, p), csrf: csrf)
            #expect(r.status == .forbidden, "\(route) \(fault): \(r.status)")
            #expect(r.text.contains("security token"), "\(r.text.prefix(300))")
            #expect(try await server.snapshot() == before)
            // The same form with the right token goes through (the refusal was the token, nothing else).
            let ok = try await client.webPost(route.path(p, queryID: queryID), session: session, fields: route.fields(caller, p))
            #expect(ok.status == (route.writes ? .seeOther : .ok), "\(route): \(ok.status)")
        }
    }

    /// A page on another site can post `text/plain` (or, with CORS, JSON) with the victim's cookie: even with the
    /// right token inside, a web form route reads only form bodies, so nothing is written (issue 7 Tests: "CSRF …
    /// with text/plain, form and JSON content types").
    @Test(arguments: ["/participants/new", "/participants/{subjectID}/screening"], ["text/plain", "application/json"])
    func formRoutesReadOnlyFormBodies(template: String, contentType: String) async throws {
        try await TestServer.run { server, client in
            let route = try #require(WebRouteCase.posts.first { $0.template == template })
            let p = try await server.participant(forRoute: route.template)
            let session = try #require(try await client.webSignIn(.coordinator, server: server))
            let fields = route.fields(.coordinator, p) + [("csrf", session.csrf)]
            let body = contentType == "text/plain" ? formEncode(fields)
                : "{" + fields.map { "\"\($0.0)\": \"\($0.1)\"" }.joined(separator: ", ") + "}"
            let before = try await server.snapshot()
            let r = try await client.execute(uri: route.path(p, queryID: nil), method: .post,
                                             headers: [.contentType: contentType, .cookie: session.cookie], body: ByteBuffer(string: body))
            #expect(r.status == .forbidden || r.status == .unsupportedMediaType || r.status == .badRequest, "\(template) \(contentType): \(r.status)")
            #expect(try await server.snapshot() == before)
        }
    }

    // OWASP: the sign-in form uses a double-submit cookie; a fresh session is issued on sign-in.
    @Test(arguments: TestDatabase.engines)
    func signInFormUsesADoubleSubmitCookie(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            let page = try await client.execute(uri: "/signin", method: .get)
            #expect(page.status == .ok)
            let pre = try #require(page.setCookies["carta_csrf"])
            #expect(page.text.contains(pre), "the form carries the cookie's token")
            let fields = [("username", "coordinator"), ("password", Caller.coordinator.password)]
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            let before = try await server.snapshot(ignoringAuthentication: true)

            let noCookie = try await client.execute(uri: "/signin", method: .post, headers: form,
                                                    body: ByteBuffer(string: formEncode(fields + [("csrf", pre)])))
            #expect(noCookie.status == .forbidden)
            var withCookie = form
            withCookie[.cookie] = "carta_csrf=\(pre)"
            let noField = try await client.execute(uri: "/signin", method: .post, headers: withCookie, body: ByteBuffer(string: formEncode(fields)))
            #expect(noField.status == .forbidden)
            let mismatch = try await client.execute(uri: "/signin", method: .post, headers: withCookie,
                                                    body: ByteBuffer(string: formEncode(fields + [("csrf", pre + "x")])))
            #expect(mismatch.status == .forbidden)
            let wrongPassword = try await client.execute(uri: "/signin", method: .post, headers: withCookie,
                                                         body: ByteBuffer(string: formEncode([("username", "coordinator"), ("password", "nope-nope-nope"), ("csrf", pre)])))
            #expect(wrongPassword.status == .unauthorized)
            #expect(wrongPassword.setCookies["carta_session"] == nil)
            #expect(try await server.snapshot(ignoringAuthentication: true) == before, "a refused sign-in created a session")
            #expect(try await server.authenticationEvents() == ["coordinator sign_in_failed"], "only the wrong password is an attempt")

            let ok = try await client.execute(uri: "/signin", method: .post, headers: withCookie,
                                              body: ByteBuffer(string: formEncode(fields + [("csrf", pre)])))
            #expect(ok.status == .seeOther)
            let token = try #require(ok.setCookies["carta_session"])
            #expect(token != pre)
            #expect(ok.setCookies["carta_csrf"] == "", "the pre-session token is cleared")
            let session = try #require(try await server.store.session(token: token))
            #expect(session.csrfToken != pre)
            #expect(try await server.store.tableContents("sessions", orderBy: "id").flatMap { $0 }.allSatisfy { !$0.contains(token) },
                    "only the session token's hash is stored")
        }
    }

    // Issue 2 §5: session cookie HttpOnly + SameSite=Strict (+ Secure when configured for HTTPS).
    @Test(arguments: [false, true])
    func sessionCookieFlags(secure: Bool) async throws {
        try await TestServer.run(secureCookies: secure) { server, client in
            let page = try await client.execute(uri: "/signin", method: .get)
            let pre = try #require(page.setCookies["carta_csrf"])
            let ok = try await client.execute(uri: "/signin", method: .post,
                                              headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "carta_csrf=\(pre)"],
                                              body: ByteBuffer(string: formEncode([("username", "monitor"), ("password", Caller.monitor.password), ("csrf", pre)])))
            for header in [try #require(ok.setCookieHeader("carta_session")), try #require(page.setCookieHeader("carta_csrf"))] {
                let attributes = Set(header.split(separator: ";").dropFirst().map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
                #expect(attributes.contains("httponly"), "\(header)")
                #expect(attributes.contains("samesite=strict"), "\(header)")
                #expect(attributes.contains("path=/"), "\(header)")
                #expect(attributes.contains("secure") == secure, "\(header)")
            }
        }
    }

    // Signing out ends the session on the server, not only in the browser.
    @Test(arguments: TestDatabase.engines)
    func signOutEndsTheSession(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            let session = try #require(try await client.webSignIn(.coordinator, server: server))
            #expect(try await client.webGet("/participants", session: session).status == .ok)
            let out = try await client.webPost("/signout", session: session, fields: [])
            #expect(out.status == .seeOther)
            #expect(out.headers[.location] == "/signin")
            let after = try await client.webGet("/participants", session: session)
            #expect(after.status == .seeOther)
            #expect(after.headers[.location]?.hasPrefix("/signin") == true)
        }
    }
}
