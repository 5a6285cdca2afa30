import CartaModel
import CartaServer
@_spi(Testing) import CartaStore
import CartaTestSupport
import CartaTrial
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Account security: idle timeout, token list and revocation, sign-out everywhere, password change,
/// and an administrator's deactivation, reset and access change — each audited.
/// Source: issue 7 scope 2 and its tests ("lockout, idle timeout, token revocation"); standards.md R-AC-2;
/// OWASP Session Management Cheat Sheet; 21 CFR 11.300.
@Suite("Account security")
struct AccountSecurityTests {
    @Test(arguments: TestDatabase.engines)
    func idleSessionsEnd(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            let session = try await client.webSignIn(.coordinator, server: server)
            #expect(try await client.webGet("/participants", session: session).status == .ok)
            // 29 minutes idle: still signed in, and the idle clock restarts.
            let recent = StoreTimestamp.string(Date().addingTimeInterval(-29 * 60))
            try await server.store.executeRaw("UPDATE sessions SET last_seen_at = '\(recent)'")
            #expect(try await client.webGet("/participants", session: session).status == .ok)
            let touched = try await server.store.tableContents("sessions", orderBy: "id").flatMap { $0 }.first { $0.hasPrefix("last_seen_at=") }
            #expect(touched != "last_seen_at=\(recent)", "use restarts the idle clock")
            // 31 minutes idle: the session has ended; the browser is sent to sign in.
            let idle = StoreTimestamp.string(Date().addingTimeInterval(-31 * 60))
            try await server.store.executeRaw("UPDATE sessions SET last_seen_at = '\(idle)'")
            let r = try await client.webGet("/participants", session: session)
            #expect(r.status == .seeOther && r.headers[.location]?.hasPrefix("/signin") == true, "\(r.status)")
        }
    }

    /// A sign-in tried with control characters in the name is audited with them shown as U+FFFD (a NUL byte reached the
    /// trail as typed), and fails like any unknown name.
    @Test func aNameWithControlCharactersIsAuditedPrintably() async throws {
        try await TestServer.run { server, _ in
            let result = try await server.services.runtime.accounts.signIn(username: "ev\u{0}il\u{1B}[2J", password: "whatever it is", source: .api)
            guard case .failure(.invalidCredentials) = result else { Issue.record("\(result)"); return }
            let tried = try await server.store.auditTrail(entity: .authentication, entityID: nil).last
            #expect(tried?.entityID == "ev\u{FFFD}il\u{FFFD}[2J" && tried?.field == "sign_in_failed", "\(String(describing: tried))")
        }
    }

    @Test func tokensAreListedAndRevokedAndEverythingEndsEverywhere() async throws {
        try await TestServer.run { server, client in
            let a = try await client.token(username: "coordinator", password: Caller.coordinator.password)
            let b = try await client.token(username: "coordinator", password: Caller.coordinator.password)
            let listed = try await client.api(.get, "/api/v1/tokens", token: a)
            let ids = try #require(listed.json?["tokens"]?.array).compactMap { $0["id"]?.string }
            #expect(Set(ids) == [CartaStore.tokenHash(a), CartaStore.tokenHash(b)])
            #expect(!listed.text.contains(a) && !listed.text.contains(b), "tokens themselves are never shown")
            #expect(try await client.api(.delete, "/api/v1/tokens/\(CartaStore.tokenHash(b))", token: a).status == .noContent)
            expectErrorShape(try await client.api(.get, "/api/v1/me", token: b), .unauthorized)
            #expect(try await client.api(.get, "/api/v1/me", token: a).status == .ok)
            // Someone else's token cannot be revoked, or even confirmed to exist.
            let other = try await client.token(.monitor)
            expectErrorShape(try await client.api(.delete, "/api/v1/tokens/\(CartaStore.tokenHash(try #require(other)))", token: a), .notFound)
            #expect(try await client.api(.get, "/api/v1/me", token: other).status == .ok)

            let session = try await client.webSignIn(.coordinator, server: server)
            let ended = try await client.api(.post, "/api/v1/me/sign-out-everywhere", token: a)
            #expect(ended.json?["ended"]?.int == 2, "\(ended.text)")
            expectErrorShape(try await client.api(.get, "/api/v1/me", token: a), .unauthorized)
            #expect(try await client.webGet("/participants", session: session).status == .seeOther)
            let events = try await server.authenticationEvents()
            #expect(events.contains("coordinator api_token_revoked") && events.contains("coordinator signed_out_everywhere"))
        }
    }

    @Test func passwordChangeChecksTheCurrentOneAndEndsSessions() async throws {
        try await TestServer.run { server, client in
            let token = try await client.token(.coordinator)
            expectErrorShape(try await client.api(.post, "/api/v1/me/password", token: token,
                                                  json: ["currentPassword": "not it at all 1", "newPassword": "a fresh pass phrase 7"]),
                             .unprocessableContent, field: "current_password")
            expectErrorShape(try await client.api(.post, "/api/v1/me/password", token: token,
                                                  json: ["currentPassword": .string(Caller.coordinator.password), "newPassword": "password12"]),
                             .unprocessableContent, field: "new_password")
            #expect(try await client.api(.post, "/api/v1/me/password", token: token,
                                         json: ["currentPassword": .string(Caller.coordinator.password),
                                                "newPassword": "a fresh pass phrase 7"]).status == .noContent)
            expectErrorShape(try await client.api(.get, "/api/v1/me", token: token), .unauthorized)
            let old = try await client.api(.post, "/api/v1/tokens", json: ["username": "coordinator", "password": .string(Caller.coordinator.password)])
            expectErrorShape(old, .unauthorized)
            _ = try await client.token(username: "coordinator", password: "a fresh pass phrase 7")
            let coordinator = try #require(try await server.store.user(username: "coordinator"))
            let trail = try await server.store.auditTrail(entity: .user, entityID: coordinator.id.rawValue)
            #expect(trail.contains { $0.field == "password" && $0.newValue == "(changed)" && $0.reason == "changed by the user" })
            #expect(!trail.contains { ($0.newValue ?? "").contains("fresh pass") }, "no password in the audit trail")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func administratorsDeactivateResetAndChangeAccessWithReasons(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            let accounts = server.services.auth
            let admin = try await server.principal(.admin)
            let token = try await client.token(.monitor)
            // Only administrators, never on their own account, always with a reason.
            await #expect(throws: WorkflowError(.forbidden, Permission.manageUsers.refusal)) {
                _ = try await accounts.setActive(false, username: "monitor", reason: "x", by: try await server.principal(.investigator))
            }
            await #expect(throws: WorkflowError.self) { _ = try await accounts.setActive(false, username: "admin", reason: "x", by: admin) }
            await #expect(throws: WorkflowError.invalid("reason", "Say why (1 to 500 printable characters); it is kept in the audit trail.")) {
                _ = try await accounts.setActive(false, username: "monitor", reason: " ", by: admin)
            }
            let off = try await accounts.setActive(false, username: "monitor", reason: "left the study team", by: admin)
            #expect(!off.active)
            expectErrorShape(try await client.api(.get, "/api/v1/me", token: token), .unauthorized)
            expectErrorShape(try await client.api(.post, "/api/v1/tokens", json: ["username": "monitor", "password": .string(Caller.monitor.password)]),
                             .unauthorized)
            #expect(try await server.store.user(username: "monitor") != nil, "deactivated, never deleted")
            _ = try await accounts.setActive(true, username: "monitor", reason: "back on the team", by: admin)
            _ = try await accounts.resetPassword(username: "monitor", newPassword: "reset pass phrase 2026", reason: "forgotten", by: admin)
            _ = try await client.token(username: "monitor", password: "reset pass phrase 2026")
            let moved = try await accounts.setAccess(username: "monitor", role: .dataManager, sites: .only(["SUZHOU"]),
                                                     studySites: ["SUZHOU"], reason: "new role", by: admin)
            #expect(moved.role == .dataManager && moved.sites == .only(["SUZHOU"]))
            // No site, or sites the study does not have, are refused by what is wrong, naming the study's sites.
            for (sites, message) in [(Set<SiteID>(), "name at least one site (or all sites); the study's sites are SUZHOU"),
                                     (["NOWHERE", "ELSEWHERE"], "unknown sites ELSEWHERE, NOWHERE; the study's sites are SUZHOU")] {
                await #expect { _ = try await accounts.setAccess(username: "monitor", role: .dataManager, sites: .only(sites), studySites: ["SUZHOU"],
                                                                  reason: "r", by: admin) } throws: { error in
                    (error as? WorkflowError)?.fields.first.map { "\($0.field): \($0.message)" } == "sites: \(message)"
                }
            }
            let trail = try await server.store.auditTrail(entity: .user, entityID: moved.id.rawValue).filter { $0.username == "admin" }
            #expect(trail.map { "\($0.field):\($0.oldValue ?? "-")→\($0.newValue ?? "-") (\($0.reason ?? ""))" } == [
                "active:true→false (left the study team)", "active:false→true (back on the team)", "password:(set)→(changed) (forgotten)",
                "role:monitor→data-manager (new role)", "sites:*→SUZHOU (new role)",
            ])
            #expect(try await server.store.replayAuditTrail().isEmpty, "every change is in the audit trail")
        }
    }
}

/// The account page: a wrong current password or a weak new one is refused on the page with the rule;
/// a change ends every session; "sign out everywhere" ends every session and token (issue 7 scope 2).
@Suite struct AccountPageTests {
    @Test func passwordChangeAndSignOutEverywhereOnTheWeb() async throws {
        try await TestServer.run { server, client in
            let session = try await client.webSignIn(.coordinator, server: server)
            let token = try #require(try await client.token(.coordinator))
            let page = try await client.webGet("/account", session: session)
            #expect(page.status == .ok && page.text.contains("Coordinator") && page.text.contains(#"id="api-tokens""#))
            let wrong = try await client.webPost("/account/password", session: session,
                                                 fields: [("current_password", "not it at all 1"), ("new_password", "a new pass phrase 2026")])
            #expect(wrong.status == .unprocessableContent && wrong.text.contains("The current password is wrong"))
            let weak = try await client.webPost("/account/password", session: session,
                                                fields: [("current_password", Caller.coordinator.password), ("new_password", "password12")])
            #expect(weak.status == .unprocessableContent && weak.text.contains(#"id="password-error""#))
            #expect(try await client.api(.get, "/api/v1/me", token: token).status == .ok, "refusals change nothing")
            let everywhere = try await client.webPost("/account/sign-out-everywhere", session: session, fields: [])
            #expect(everywhere.status == .seeOther)
            #expect(try await client.api(.get, "/api/v1/me", token: token).status == .unauthorized, "the API token ended too")
            #expect(try await client.webGet("/account", session: session).status == .seeOther, "the session ended")
        }
    }
}
