import CartaModel
@testable import CartaServer
@_spi(Testing) import CartaStore
import CartaStudy
import CartaTestSupport
import CartaTrial
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Redaction: personal data typed into an audit record is withheld from every reader with a justification,
/// itself audited, while the record stays in the chain.
/// Source: standards.md R-AT-3 ("rare redaction (e.g. PII typed in a free-text field) is itself logged with
/// justification"; "redaction creates its own audit row"), R-AT-2 (records never overwritten); 21 CFR 11.10(e).
@Suite("Audit redaction")
struct AuditRedactionTests {
    static let leaked = "Mrs Ada Lovelace, 13 Elm Street, phoned"

    @Test(arguments: TestDatabase.engines)
    func aDataManagerRedactsAndEveryReaderSeesTheNoteNotTheValue(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            let p = try await server.enterEligibleData(try await server.register().subjectID)
            // Personal data typed into a reason for change.
            _ = try await server.services.screening.saveForms(
                subjectID: p.subjectID, forms: ["F_VITALS": ["ECOG": RawEntry(value: "2", reason: ChangeReason(code: .other, text: Self.leaked))]],
                expectedVersion: p.version, by: try await server.principal(.coordinator))
            let leakedEvents = try await server.store.auditTrail(entity: .itemValue, entityID: p.id.rawValue).filter { $0.reason?.contains("Lovelace") == true }
            let seq = try #require(leakedEvents.first?.seq)
            let path = "/api/v1/audit/\(seq)/redaction"
            let dm = try await client.token(.dataManager)
            let body: JSON = ["justification": "Participant's name and address typed into a reason", "password": .string(Caller.dataManager.password)]

            expectErrorShape(try await client.api(.post, path, token: try await client.token(.monitor), json: body), .forbidden)
            expectErrorShape(try await client.api(.post, path, token: dm, json: ["justification": "PII", "password": .string(Caller.dataManager.password)]),
                             .unprocessableContent, field: "justification")
            expectErrorShape(try await client.api(.post, path, token: dm, json: ["justification": "Name typed into a reason", "password": "not it at all 1"]),
                             .unprocessableContent, field: "password")
            expectErrorShape(try await client.api(.post, "/api/v1/audit/99999999/redaction", token: dm, json: body), .notFound)

            let redacted = try await client.api(.post, path, token: dm, json: body)
            #expect(redacted.status == .created, "\(redacted.text)")
            #expect(redacted.json?["reason"] == "[redacted]" && redacted.json?["redaction"]?.string?.contains("Participant's name and address") == true)
            expectErrorShape(try await client.api(.post, path, token: dm, json: body), .conflict)

            // Every reader: the API, the web view, the CSV export, the participant page's field history.
            let monitor = try await client.token(.monitor)
            let api = try await client.api(.get, "/api/v1/audit?subjectID=\(p.subjectID)", token: monitor)
            #expect(api.status == .ok && !api.text.contains("Lovelace") && api.text.contains("[redacted]"))
            let session = try await client.webSignIn(.monitor, server: server)
            let page = try await client.webGet("/audit?subject=\(p.subjectID)", session: session)
            #expect(!page.text.contains("Lovelace") && page.text.contains("class=\"redaction"))
            let csv = try await client.webGet("/audit.csv", session: session)
            #expect(!csv.text.contains("Lovelace") && csv.text.contains("Participant's name and address"))
            let participant = try await client.webGet("/participants/\(p.subjectID)", session: session)
            #expect(participant.status == .ok && !participant.text.contains("Lovelace"))

            // The redaction has its own audit record, which cannot itself be redacted; the record and the chain are untouched.
            let own = try await server.store.auditTrail(entity: .auditRedaction, entityID: String(seq))
            #expect(own.count == 1 && own.first?.reason == "Participant's name and address typed into a reason" && own.first?.username == "data-manager")
            expectErrorShape(try await client.api(.post, "/api/v1/audit/\(try #require(own.first?.seq))/redaction", token: dm, json: body),
                             .conflict, code: "invalid_state")
            let raw = try await server.store.tableContents("audit_events", orderBy: "seq")
            #expect(raw.contains { $0.contains("reason=other: \(Self.leaked)") }, "the stored record is never changed")
            #expect(try await server.store.verifyAudit(full: true, replay: true).isIntact)
        }
    }

    @Test func aSiteBoundDataManagerCannotRedactAnotherSitesRecord() async throws {
        try await TestServer.run(study: try SiteScopeTests.twoSiteStudy()) { server, client in
            _ = try await SiteScopeTests.user(server, "dana-sz", .dataManager, .only(["SUZHOU"]))
            let wuxi = try await server.services.screening.register(fullName: "Grace Hopper", dateOfBirth: "1970-12-09",
                                                                    hospitalNumber: "H-2", siteID: "WUXI", by: try await server.principal(.coordinator))
            let seq = try #require(try await server.store.auditTrail(entity: .participant, entityID: wuxi.id.rawValue).first?.seq)
            let token = try await client.token(username: "dana-sz", password: SiteScopeTests.password)
            expectErrorShape(try await client.api(.post, "/api/v1/audit/\(seq)/redaction", token: token,
                                                  json: ["justification": "Name typed into a reason", "password": .string(SiteScopeTests.password)]),
                             .notFound)
        }
    }
}

/// Offline capture: the device's entry time is kept beside the server's receipt time in the audit trail.
/// Source: standards.md R-TS-1 ("Offline entry shows both times in audit"); ICH E6(R3) 4.2.2(d).
@Suite("Device entry time")
struct DeviceEntryTimeTests {
    @Test(arguments: TestDatabase.engines)
    func anOfflineEntryShowsBothTimes(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            let p = try await server.register()
            let token = try await client.token(.coordinator)
            let path = "/api/v1/participants/\(p.subjectID)/forms/F_VITALS"
            func body(_ enteredAt: String) -> JSON {
                ["version": .number(Double(p.version)), "enteredAt": .string(enteredAt), "items": ["ECOG": ["value": "1"]]]
            }
            let f = ISO8601DateFormatter()
            f.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
            let ahead = f.string(from: Date().addingTimeInterval(3600))
            expectErrorShape(try await client.api(.put, path, token: token, json: body(ahead)), .unprocessableContent, field: "enteredAt")
            expectErrorShape(try await client.api(.put, path, token: token, json: body("2026-12-05 14:30")), .unprocessableContent, field: "enteredAt")
            expectErrorShape(try await client.api(.put, path, token: token, json: body("2026-12-05T14:30:00")), .unprocessableContent, field: "enteredAt")
            let old = f.string(from: Date().addingTimeInterval(-40 * 86_400))
            expectErrorShape(try await client.api(.put, path, token: token, json: body(old)), .unprocessableContent, field: "enteredAt")

            let device = f.string(from: Date().addingTimeInterval(-3 * 3600)) // three hours ago, in UTC+8
            let saved = try await client.api(.put, path, token: token, json: body(device))
            #expect(saved.status == .ok, "\(saved.text)")
            let audit = try await client.api(.get, "/api/v1/audit?subjectID=\(p.subjectID)", token: try await client.token(.monitor))
            let events = try #require(audit.json?["events"]?.array)
            let entry = try #require(events.first { $0["entity"] == "device_entry" })
            let value = try #require(events.first { $0["field"] == "SCREENING/F_VITALS/ECOG" })
            #expect(entry["newValue"]?.string == device && entry["field"] == "SCREENING/F_VITALS")
            #expect(entry["at"] == value["at"], "received by the server in the same transaction as the values")
            #expect(entry["at"]?.string != device)
        }
    }
}
