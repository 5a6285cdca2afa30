import CartaCore
import CartaModel
import CartaServer
import CartaStore
import CartaStudy
import CartaTestSupport
import CartaTrial
import Foundation
import Testing

/// A value that looks like a unit slip is held until a person confirms it (issue 8 "Bad input and clinical
/// safety": a weight of 140 "kg" that is 140 lb is held with a warning naming the likely unit), through the
/// service (API shape, `confirmed`) and the web page (`confirm.<OID>` checkbox); a re-posted stored value is
/// never held again.
@Suite("Unit slips")
struct UnitSlipTests {
    @Test(arguments: TestDatabase.engines)
    func weightInPoundsIsHeldUntilConfirmedOrCorrected(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, _ in
            let coordinator = try await server.principal(.coordinator)
            var p = try await server.infusedParticipant()   // screening weight 70 kg
            let d21 = ConductData.siteToday.adding(days: 15 + 21).description
            func save(_ weight: String, unit: String, confirmed: Bool? = nil) async throws -> Participant {
                try await server.services.runtime.conduct.saveVisitForms(
                    subjectID: p.subjectID, visitID: "D21",
                    forms: ["F_VISIT": ["VISIT_DATE": .init(value: d21)],
                            "F_VITALS": ["WEIGHT": .init(value: weight, unit: unit, confirmed: confirmed)]],
                    expectedVersion: p.version, by: coordinator).participant
            }
            // 140 "kg" after 70 kg: 140 lb = 63.5 kg. Held, naming the unit; nothing saved.
            do {
                _ = try await save("140", unit: "kg")
                Issue.record("a weight 2.2 times the last one was saved without a word")
            } catch let e as WorkflowError {
                #expect(e.code == .invalidInput)
                let held = try #require(e.fields.first { $0.field == "confirm.WEIGHT" })
                #expect(held.message.contains("Body weight 140 kg is far from the last value 70 kg (Screening), but 140 lb = 63.5 kg: was the unit lb?"))
                #expect(held.message.contains("confirm that 140 kg is right as typed"))
            }
            let unchanged = try await server.services.screening.file(p.subjectID, by: coordinator)
            #expect(unchanged.participant.version == p.version)
            #expect(!unchanged.values.contains { $0.address.eventOID.rawValue == "D21" })
            // Corrected to pounds: saved, standardised to kilograms.
            p = try await save("140", unit: "[lb_av]")
            var file = try await server.services.screening.file(p.subjectID, by: coordinator)
            let stored = try #require(file.values.first { $0.address.eventOID.rawValue == "D21" && $0.address.itemOID.rawValue == "WEIGHT" }?.value)
            #expect(abs((stored.standardValue ?? 0) - 63.503) < 0.01)
            // Re-posting the stored value (a page saved again) is not held; a confirmed slip-like value is saved as typed.
            p = try await save("140", unit: "[lb_av]")
            func change(confirmed: Bool?) async throws -> Participant {
                try await server.services.runtime.conduct.saveVisitForms(
                    subjectID: p.subjectID, visitID: "D21",
                    forms: ["F_VITALS": ["WEIGHT": .init(value: "140", unit: "kg", reason: ChangeReason(code: .transcriptionError, text: ""), confirmed: confirmed)]],
                    expectedVersion: p.version, by: coordinator).participant
            }
            await #expect(throws: WorkflowError.self) { _ = try await change(confirmed: nil) }
            p = try await change(confirmed: true)
            file = try await server.services.screening.file(p.subjectID, by: coordinator)
            let confirmed = file.values.first { $0.address.eventOID.rawValue == "D21" && $0.address.itemOID.rawValue == "WEIGHT" }?.value
            #expect(confirmed?.text == "140" && confirmed?.unit == "kg")
        }
    }

    @Test func theWebPageOffersTheConfirmation() async throws {
        try await TestServer.run(.sqlite) { server, client in
            let p = try await server.infusedParticipant()
            let d21 = ConductData.siteToday.adding(days: 15 + 21).description
            let cora = try await client.webSignIn(.coordinator, server: server)
            let path = "/participants/\(p.subjectID)/visits/D21"
            let held = try await client.webPost(path, session: cora, fields: [
                ("item.VISIT_DATE", d21), ("item.WEIGHT", "154"), ("unit.WEIGHT", "kg"), ("version", "\(p.version)")])
            #expect(held.status == .unprocessableContent)
            #expect(held.text.contains("was the unit lb?"))
            #expect(held.text.contains("id=\"confirm-WEIGHT\" name=\"confirm.WEIGHT\" type=\"checkbox\" value=\"1\"> 154 kg is right as typed"))
            // The error summary lists the held field and links to it.
            #expect(held.text.contains("id=\"error-summary\"") && held.text.contains("href=\"#item-WEIGHT\""))
            let confirmed = try await client.webPost(path, session: cora, fields: [
                ("item.VISIT_DATE", d21), ("item.WEIGHT", "154"), ("unit.WEIGHT", "kg"), ("confirm.WEIGHT", "1"), ("version", "\(p.version)")])
            #expect(confirmed.status == .seeOther, "\(confirmed.status)")
        }
    }
}
