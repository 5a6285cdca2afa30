import CartaModel
import CartaServer
@_spi(Testing) import CartaStore
import CartaTestSupport
import CartaTrial
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Reasons for change belong to each changed value, next to it; a conflict never re-offers stale entries.
/// Source: issue 7 scope 3 and the holes "one reason box for the whole page" and "lost update after a
/// conflict" (weight 60 → 59 silently reverted); standards.md R-RC-1.
@Suite("Reason for change")
struct ReasonForChangeTests {
    /// The participant's audit records of one item, oldest first.
    static func trail(_ server: TestServer, _ p: Participant, _ oid: String) async throws -> [AuditEvent] {
        try await server.store.auditTrail(entity: .itemValue, entityID: p.id.rawValue).filter { $0.field == "SCREENING/F_VITALS/\(oid)" }
    }

    @Test(arguments: TestDatabase.engines)
    func eachChangedValueKeepsItsOwnReasonOnTheWeb(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            let p = try await server.enterEligibleData(try await server.register().subjectID)
            let session = try await client.webSignIn(.coordinator, server: server)
            let page = try await client.webGet("/participants/\(p.subjectID)", session: session)
            #expect(page.text.contains(#"id="reason-box-WEIGHT""#) && page.text.contains(#"name="reason.WEIGHT""#))
            #expect(!page.text.contains(#"id="reason-for-change""#), "no single reason box for the whole page")

            // Without a reason: refused beside the value, nothing written.
            let before = try await server.snapshot()
            let refused = try await client.webPost("/participants/\(p.subjectID)/screening", session: session,
                                                   fields: [("item.WEIGHT", "69"), ("unit.WEIGHT", "kg"), ("version", "\(p.version)")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains(#"id="error-reason-WEIGHT""#) && refused.text.contains("was 70 kg"), "\(refused.text.prefix(200))")
            #expect(refused.text.contains(#"<details id="reason-box-WEIGHT" class="item__reason" open>"#))
            #expect(refused.text.contains("Nothing was saved: 1 changed value needs a reason for change, given beside each value."), "one value, one verb")
            #expect(try await server.snapshot() == before)

            // Two values, two reasons: each audit record carries its own.
            let saved = try await client.webPost("/participants/\(p.subjectID)/screening", session: session, fields: [
                ("item.WEIGHT", "69"), ("unit.WEIGHT", "kg"), ("reason.WEIGHT", "transcription_error"),
                ("item.HEIGHT", "171"), ("unit.HEIGHT", "cm"), ("reason.HEIGHT", "new_information"), ("reasonText.HEIGHT", "re-measured"),
                ("reason.ECOG", "other"), // a reason for an unchanged value is ignored, even an incomplete one
                ("version", "\(p.version)"),
            ])
            #expect(saved.status == .seeOther, "\(saved.text.prefix(300))")
            #expect(try await Self.trail(server, p, "WEIGHT").last?.reason == "transcription_error")
            #expect(try await Self.trail(server, p, "HEIGHT").last?.reason == "new_information: re-measured")
            #expect(try await Self.trail(server, p, "ECOG").count == 1, "ECOG did not change")
            let history = try await client.webGet("/participants/\(p.subjectID)", session: session)
            #expect(history.text.contains("New information or late result — re-measured"), "the history shows the reason's words")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aConflictShowsTheSavedValueBesideTheUsersAndNeverRepostsStaleData(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            let p = try await server.enterEligibleData(try await server.register().subjectID)
            let coraSession = try await client.webSignIn(.coordinator, server: server)
            // Someone else saves weight 60 first.
            let other = try await client.api(.put, "/api/v1/participants/\(p.subjectID)/forms/F_VITALS", token: try await client.token(.investigator),
                                             json: ScreeningData.formBody(version: p.version, items: ["WEIGHT": Entry(value: "60", unit: "kg")],
                                                                          reason: "source_updated"))
            let current = try #require(other.json?["participant"]?["version"]?.int)
            // The coordinator's form was loaded at the old version and says 59.
            let conflict = try await client.webPost("/participants/\(p.subjectID)/screening", session: coraSession, fields: [
                ("item.WEIGHT", "59"), ("unit.WEIGHT", "kg"), ("reason.WEIGHT", "transcription_error"), ("item.ECOG", "1"),
                ("version", "\(p.version)")])
            #expect(conflict.status == .conflict)
            let html = conflict.text
            #expect(html.contains(#"id="item-WEIGHT" name="item.WEIGHT" type="text" inputmode="decimal" data-kind="number" value="60""#),
                    "the input shows the value now saved, not the stale entry")
            #expect(html.contains(#"id="conflict-WEIGHT""#) && html.contains("You entered 59; the value now saved is 60"))
            #expect(!html.contains(#"id="conflict-ECOG""#), "an entry equal to the saved value is no conflict")
            #expect(html.contains(#"name="version" value="\#(current)""#))
            // Submitting the page as shown changes nothing: the other person's 60 stays.
            let again = try await client.webPost("/participants/\(p.subjectID)/screening", session: coraSession, fields: [
                ("item.WEIGHT", "60"), ("unit.WEIGHT", "kg"), ("version", "\(current)")])
            #expect(again.status == .seeOther)
            let weight = try await server.store.itemValues(participantID: p.id).first { $0.address.itemOID == "WEIGHT" }
            #expect(weight?.value?.text == "60")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func theAPITakesAReasonPerItemOrForTheWholeRequest(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            let p = try await server.enterEligibleData(try await server.register().subjectID)
            let token = try await client.token(.coordinator)
            let body: JSON = ["version": .number(Double(p.version)), "reason": ["code": "new_information"], "items": [
                "WEIGHT": ["value": "68", "unit": "kg", "reason": ["code": "transcription_error", "text": "typed 70"]],
                "HEIGHT": ["value": "169", "unit": "cm"],
            ]]
            let r = try await client.api(.put, "/api/v1/participants/\(p.subjectID)/forms/F_VITALS", token: token, json: body)
            #expect(r.status == .ok, "\(r.text)")
            #expect(try await Self.trail(server, p, "WEIGHT").last?.reason == "transcription_error: typed 70")
            #expect(try await Self.trail(server, p, "HEIGHT").last?.reason == "new_information")
        }
    }
}
