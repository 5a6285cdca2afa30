import CartaModel
import CartaServer
@_spi(Testing) import CartaStore
import CartaTestSupport
import CartaTrial
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The periodic access review: every account with role, sites, last sign-in, failures, factors and flags.
/// Source: standards.md R-AC-1 ("quarterly access-review report lists users, roles, last login"); 21 CFR 11.300(b).
@Suite("Access review")
struct AccessReviewTests {
    @Test(arguments: TestDatabase.engines)
    func accountsWithLastSignInFailuresAndFlags(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            _ = try await client.token(.coordinator) // a sign-in
            for _ in 0..<5 { _ = try await client.api(.post, "/api/v1/tokens", json: ["username": "monitor", "password": "not it at all 1"]) }
            // A dormant account: created 120 days ago, never signed in.
            let old = StoreTimestamp.string(Date().addingTimeInterval(-120 * 86_400))
            try await server.store.executeRaw("UPDATE users SET created_at = '\(old)' WHERE username = 'statistician'")
            let admin = try await client.token(.admin)
            let r = try await client.api(.get, "/api/v1/access-review", token: admin)
            #expect(r.status == .ok, "\(r.text)")
            let accounts = try #require(r.json?["accounts"]?.array)
            func account(_ name: String) -> JSON? { accounts.first { $0["username"]?.string == name } }
            #expect(accounts.count == Caller.allCases.count - 1)
            #expect(account("coordinator")?["lastSignInAt"]?.string != nil && account("coordinator")?["role"] == "coordinator")
            #expect(account("coordinator")?["flags"]?.array?.isEmpty == true)
            #expect(account("monitor")?["recentFailures"]?.int == 5)
            #expect(account("monitor")?["flags"]?.array?.contains("5 failed sign-ins or signatures") == true, "\(account("monitor") ?? .null)")
            #expect(account("statistician")?["lastSignInAt"] == nil, "never signed in: no lastSignInAt")
            #expect(account("statistician")?["flags"]?.array?.contains { $0.string?.hasPrefix("never signed in") == true } == true)
            #expect(account("admin")?["flags"]?.array?.contains("privileged role without a second factor") == true)
            #expect(account("admin")?["activeTokens"]?.int == 1)
            expectErrorShape(try await client.api(.get, "/api/v1/access-review", token: try await client.token(.coordinator)), .forbidden)

            // The page (flagged first) and its CSV, for an auditor.
            let session = try await client.webSignIn(.auditor, server: server)
            let page = try await client.webGet("/admin/access-review", session: session)
            #expect(page.status == .ok && page.text.contains("id=\"nav-access\""))
            let flaggedRow = try #require(page.text.range(of: "id=\"account-monitor\" data-flagged=\"true\""))
            let plainRow = try #require(page.text.range(of: "id=\"account-coordinator\" data-flagged=\"false\""))
            #expect(flaggedRow.lowerBound < plainRow.lowerBound, "flagged accounts come first")
            let csv = try await client.webGet("/admin/access-review.csv", session: session)
            #expect(csv.status == .ok && csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.text.hasPrefix("username,display_name,role,sites,active,created_utc,last_sign_in_utc"))
            #expect(csv.text.contains("\r\nmonitor,Monitor,monitor,all sites,true,"), "\(csv.text)")
        }
    }
}
