import CartaModel
import CartaServer
@_spi(Testing) import CartaStore
import CartaTestSupport
import CartaTrial
import Foundation
import Testing

/// Changing a recorded adverse event on the web (issue 8 scope 7 through the web app, R-RC-1): the log links each
/// event to the form filled with it; a change needs a reason for change, is saved as a new version with that reason
/// in the audit trail, and a stale version is a conflict, not an overwrite.
@Suite("Adverse event changes on the web")
struct AdverseEventEditTests {
    static func fields(grade: String, version: String, reason: String?) -> [(String, String)] {
        let e = AdverseEventData.serious()
        return [("term", e.term), ("grade", grade), ("onset", e.onset), ("serious", "hospitalisation"), ("aware_at", e.awareAt ?? ""),
                ("causality_ld", e.causalityLymphodepletion), ("causality_cart", e.causalityCART), ("causality_itp", e.causalityITP),
                ("action", e.action ?? "none"), ("outcome", e.outcome ?? ""), ("version", version)]
            + (reason.map { [("reason", $0), ("reason_text", "worsened overnight")] } ?? [])
    }

    @Test func aChangeNeedsAReasonAndAFreshVersion() async throws {
        try await TestServer.run { server, client in
            let p = try await server.participant(forRoute: "/participants/{subjectID}/adverse-events/1")
            let session = try await client.webSignIn(.coordinator, server: server)
            let log = "/participants/\(p.subjectID)/adverse-events"
            let page = try await client.webGet(log, session: session)
            #expect(page.text.contains("id=\"ae-1-edit\" href=\"\(log)?edit=1#ae-form\""))
            let edit = try await client.webGet(log + "?edit=1", session: session)
            #expect(edit.status == .ok && edit.text.contains("action=\"\(log)/1\"") && edit.text.contains("id=\"ae-version\" type=\"hidden\" name=\"version\" value=\"1\""))
            #expect(edit.text.contains("Change AE-1") && edit.text.contains("value=\"Cytokine release syndrome\""), "the form is filled with the event")
            #expect(try await client.webGet(log + "?edit=9", session: session).status == .notFound)

            let before = try await server.snapshot()
            let noReason = try await client.webPost(log + "/1", session: session, fields: Self.fields(grade: "4", version: "1", reason: nil))
            #expect(noReason.status == .unprocessableContent && noReason.text.contains("needs a reason for change"))
            #expect(try await server.snapshot() == before)

            let changed = try await client.webPost(log + "/1", session: session, fields: Self.fields(grade: "4", version: "1", reason: "new_information"))
            #expect(changed.status == .seeOther)
            let events = try await server.store.adverseEvents(participantID: p.id)
            #expect(events.first?.grade == 4 && events.first?.version == 2)
            let audit = try await server.store.auditTrail(entity: .adverseEvent, entityID: p.id.rawValue).last { $0.field == "AE-1.grade" }
            #expect(audit?.oldValue == "3" && audit?.newValue == "4" && audit?.reason == "new_information: worsened overnight", "\(String(describing: audit))")

            let stale = try await client.webPost(log + "/1", session: session, fields: Self.fields(grade: "2", version: "1", reason: "transcription_error"))
            #expect(stale.status == .conflict && stale.text.contains("version 2"), "\(stale.status)")
            #expect(try await server.store.adverseEvents(participantID: p.id).first?.grade == 4)

            // A read-only viewer gets no change links.
            let monitor = try await client.webSignIn(.monitor, server: server)
            #expect(!(try await client.webGet(log, session: monitor)).text.contains("ae-1-edit"))
        }
    }
}
