import CartaTrial
import CartaModel
import CartaServer
import CartaStore
import CartaTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The same contracts over a real TCP socket (`.live`), not only through the in-process router.
/// Source: DESIGN.md §3 (health, token sign-in, error shape); issue 2 §7.
@Suite("Live server")
struct LiveServerTests {
    @Test(arguments: TestDatabase.engines)
    func contractsOverARealSocket(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine, setup: .live) { _, client in
            #expect(client.port != nil && client.port != 0)
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            #expect(health.json == ["status": "ok"])
            expectErrorShape(try await client.api(.post, "/api/v1/tokens", json: ["username": "coordinator", "password": "wrong-password"]),
                             .unauthorized, code: "invalid_credentials")
            let token = try await client.token(.coordinator)
            let registered = try await client.api(.post, "/api/v1/participants", token: token,
                                                  json: ["fullName": "Ada Lovelace", "dateOfBirth": "1980-05-17", "hospitalNumber": "H-1"])
            #expect(registered.status == .created)
            #expect(registered.json?["subjectID"] == "BCRITP-001")
            let r = try await client.api(.put, "/api/v1/participants/BCRITP-001/forms/F_LAB_HEM", token: token,
                                         json: ScreeningData.formBody(version: 1, items: ["HGB": Entry(value: "300", unit: "g/L")]))
            expectErrorShape(r, .unprocessableContent, field: "item.HGB")
            #expect(health.headers[.xContentTypeOptions] == "nosniff")
            let page = try await client.execute(uri: "/signin", method: .get)
            #expect(page.status == .ok)
            #expect(page.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true)
        }
    }
}
