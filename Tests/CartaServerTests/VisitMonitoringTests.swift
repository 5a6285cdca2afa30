import CartaModel
import CartaServer
@_spi(Testing) import CartaStore
import CartaTestSupport
import CartaTrial
import Foundation
import Testing

/// Queries and source data verification reach visit data, not only screening (issue 7 scopes 5–6 on the forms of
/// issue 8): a monitor raises a query on a Day 0 platelet count and verifies the Day 0 haematology form; an item
/// the visit does not collect, or a visit the schedule does not have, is refused by name; a later change at the
/// visit leaves its verification mark behind.
@Suite("Monitoring visit data")
struct VisitMonitoringTests {
    @Test(arguments: TestDatabase.engines)
    func queriesAndSourceVerificationAtAVisit(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            var p = try await server.infusedParticipant("Ada Lovelace", platelets: "40")
            let monitor = try await client.token(.monitor), coordinator = try await client.token(.coordinator)
            let queries = "/api/v1/participants/\(p.subjectID)/queries"
            let raised = try await client.api(.post, queries, token: monitor, json: ["itemOID": "PLT", "visitID": "D0", "text": "Source says 44?"])
            #expect(raised.status == .created, "\(raised.text)")
            #expect(raised.json?["eventOID"]?.string == "D0" && raised.json?["itemLabel"]?.string?.hasSuffix("— D0") == true, "\(raised.text)")
            expectErrorShape(try await client.api(.post, queries, token: monitor, json: ["itemOID": "ECOG", "visitID": "D0", "text": "?"]),
                             .unprocessableContent, field: "item")
            expectErrorShape(try await client.api(.post, queries, token: monitor, json: ["itemOID": "PLT", "visitID": "D99", "text": "?"]),
                             .unprocessableContent, field: "visitID")
            let id = try #require(raised.json?["id"]?.string)
            #expect(try await client.api(.post, "/api/v1/queries/\(id)/answer", token: coordinator, json: ["text": "Checked: 40 is right"]).status == .ok)

            let sdv = "/api/v1/participants/\(p.subjectID)/sdv"
            let before = try await client.api(.get, sdv, token: monitor)
            let recordedHaem = try #require(before.json?["forms"]?["F_LAB_HEM"]?["recorded"]?.number)
            let verified = try await client.api(.post, sdv, token: monitor, json: ["formOID": "F_LAB_HEM", "visitID": "D0"])
            #expect(verified.status == .ok, "\(verified.text)")
            #expect(verified.json?["verifiedNow"]?.number == 1, "the Day 0 platelet count, and nothing at screening")
            #expect(verified.json?["progress"]?["forms"]?["F_LAB_HEM"]?["verified"]?.number == 1 && recordedHaem > 1)
            expectErrorShape(try await client.api(.post, sdv, token: monitor, json: ["formOID": "F_VITALS", "visitID": "D0"]),
                             .unprocessableContent, field: "formOID")
            // A correction at Day 0 leaves the mark behind.
            let site = try await server.principal(.coordinator)
            p = try await server.services.screening.participant(p.subjectID, by: site)
            p = try await server.services.runtime.conduct.saveVisitForms(
                subjectID: p.subjectID, visitID: "D0",
                forms: ["F_LAB_HEM": ["PLT": .init(value: "44", unit: "10*9/L", lowerLimitNormal: "150", upperLimitNormal: "400",
                                                   reason: ChangeReason(code: .queryResponse, text: "the lab report says 44"))]],
                expectedVersion: p.version, by: site).participant
            let after = try await client.api(.get, sdv, token: monitor)
            #expect(after.json?["forms"]?["F_LAB_HEM"]?["verified"]?.number == 0 && after.json?["forms"]?["F_LAB_HEM"]?["changedSinceVerification"]?.number == 1,
                    "\(after.text)")
        }
    }

    /// The participant page's monitoring section offers each visit's recorded items for a query and each visit's
    /// forms for verification, and its forms post the visit.
    @Test func theParticipantPageMonitorsVisitsToo() async throws {
        try await TestServer.run { server, client in
            let p = try await server.infusedParticipant("Ada Lovelace", platelets: "40")
            let session = try await client.webSignIn(.monitor, server: server)
            let page = try await client.webGet("/participants/\(p.subjectID)", session: session)
            #expect(page.text.contains("<option value=\"D0:PLT\">") && page.text.contains("id=\"sdv-D0-F_LAB_HEM\""), "\(page.text.count)")
            #expect(page.text.contains("id=\"sdv-F_LAB_HEM\""), "screening keeps its own row")
            let raised = try await client.webPost("/participants/\(p.subjectID)/queries", session: session, fields: [("item", "D0:PLT"), ("text", "Source says 44?")])
            #expect(raised.status == .seeOther)
            let queries = try await server.store.queries(participantID: p.id)
            #expect(queries.count == 1 && queries[0].address.eventOID.rawValue == "D0" && queries[0].address.itemOID.rawValue == "PLT")
            let version = try await server.services.screening.participant(p.subjectID, by: try await server.principal(.monitor)).version
            let verified = try await client.webPost("/participants/\(p.subjectID)/sdv", session: session,
                                                    fields: [("form", "F_LAB_HEM"), ("visit", "D0"), ("version", "\(version)")])
            #expect(verified.status == .seeOther)
            let marks = try await server.store.sourceVerifications(participantIDs: [p.id])
            #expect(marks.count == 1 && marks[0].address.eventOID.rawValue == "D0")
            let after = try await client.webGet("/participants/\(p.subjectID)", session: session)
            #expect(after.text.contains("id=\"sdv-D0-F_LAB_HEM\" data-verified=\"1\" data-recorded=\"1\""))
            // The Day 0 query links to the Day 0 value, and no badge marks the screening platelet count as queried.
            #expect(after.text.contains("href=\"/participants/\(p.subjectID)/visits/D0#item-PLT\""), "\(after.text.count)")
            #expect(!after.text.contains("id=\"query-badge-PLT\""), "a visit's query is not the screening value's")
            // The Day 0 page marks the queried field, leading to the thread on the participant's page; Day 1 shows no mark.
            let d0 = try await client.webGet("/participants/\(p.subjectID)/visits/D0", session: session)
            #expect(d0.text.contains("id=\"query-badge-PLT\" class=\"badge badge--query-open\" href=\"/participants/\(p.subjectID)#query-\(queries[0].id)\">1 active query</a>"),
                    "\(d0.text.count)")
            let d1 = try await client.webGet("/participants/\(p.subjectID)/visits/D1", session: session)
            #expect(d1.status == .ok && !d1.text.contains("query-badge-"))
            // Closed, it is no longer marked.
            _ = try await server.services.runtime.queries.close(id: queries[0].id, text: "Checked against source", by: try await server.principal(.monitor))
            #expect(!(try await client.webGet("/participants/\(p.subjectID)/visits/D0", session: session)).text.contains("query-badge-PLT"))
        }
    }

    /// A monitor verifies single values, not only whole forms (issue 7 scope 6: "marks values or forms verified").
    @Test func singleValuesCanBeVerified() async throws {
        try await TestServer.run { server, client in
            let p = try await server.enterEligibleData(try await server.register().subjectID)
            let monitor = try await client.token(.monitor)
            let sdv = "/api/v1/participants/\(p.subjectID)/sdv"
            let one = try await client.api(.post, sdv, token: monitor, json: ["formOID": "F_VITALS", "items": ["WEIGHT"]])
            #expect(one.status == .ok && one.json?["verifiedNow"]?.number == 1, "\(one.text)")
            #expect(one.json?["progress"]?["forms"]?["F_VITALS"]?["verified"]?.number == 1)
            let marks = try await server.store.sourceVerifications(participantIDs: [p.id])
            #expect(marks.map(\.address.itemOID.rawValue) == ["WEIGHT"])
            expectErrorShape(try await client.api(.post, sdv, token: monitor, json: ["formOID": "F_VITALS", "items": ["NOPE"]]), .unprocessableContent, field: "items")
        }
    }
}
