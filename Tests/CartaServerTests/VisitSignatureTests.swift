import CartaCore
import CartaModel
import CartaServer
import CartaStore
import CartaStudy
import CartaTestSupport
import CartaTrial
import Foundation
import Testing

/// An investigator signs one visit (issue 7 scope 4: "signs a form, a visit or a whole casebook"): the
/// signature is bound to that visit's values only — a change at that visit invalidates it, a change elsewhere
/// does not; the same content cannot be signed twice; a visit without data cannot be signed.
@Suite("Visit signatures")
struct VisitSignatureTests {
    @Test(arguments: TestDatabase.engines)
    func aVisitSignatureCoversThatVisitOnly(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            let coordinator = try await server.principal(.coordinator), investigator = try await server.principal(.investigator)
            var p = try await server.infusedParticipant()
            let casebook = server.services.runtime.casebook
            await #expect(throws: WorkflowError.self) {
                _ = try await casebook.sign(subjectID: p.subjectID, visitID: "M3", password: Caller.investigator.password,
                                            expectedVersion: p.version, acknowledgesBinding: true, by: investigator)
            }
            let signature = try await casebook.sign(subjectID: p.subjectID, visitID: "D0", password: Caller.investigator.password,
                                                    expectedVersion: p.version, acknowledgesBinding: true, by: investigator)
            #expect(signature.eventOID?.rawValue == "D0" && signature.formOID == nil)
            #expect(signature.meaning == CasebookService.visitMeaning("Day 0 (CAR-T infusion)"))
            func standing() async throws -> SignatureStanding? {
                let file = try await server.services.screening.file(p.subjectID, by: coordinator)
                return try await casebook.signatures(file).first { $0.signature.id == signature.id }?.standing
            }
            #expect(try await standing() == .valid)
            // Signing the same content again is refused.
            await #expect(throws: WorkflowError.self) {
                _ = try await casebook.sign(subjectID: p.subjectID, visitID: "D0", password: Caller.investigator.password,
                                            expectedVersion: p.version, acknowledgesBinding: false, by: try await server.principal(.investigator))
            }
            // Data at another visit leave it valid; a change at D0 invalidates it.
            let d1 = ConductData.siteToday.adding(days: 16)
            p = try await server.saveVisit(p, "D1", ["F_VISIT": ["VISIT_DATE": Entry(value: d1.description)]], by: coordinator)
            #expect(try await standing() == .valid)
            p = try await server.services.runtime.conduct.saveVisitForms(
                subjectID: p.subjectID, visitID: "D0", forms: ["F_LAB_HEM": ["PLT": .init(value: "41", unit: "10*9/L", lowerLimitNormal: "150", upperLimitNormal: "400")]],
                expectedVersion: p.version, reason: ChangeReason(code: .transcriptionError, text: ""), by: coordinator).participant
            #expect(try await standing() == .invalidatedByChange)
            // The web page offers the visit as a scope and lists the signature with it.
            let session = try await client.webSignIn(.investigator, server: server)
            let page = try await client.webGet("/participants/\(p.subjectID)/casebook", session: session).text
            #expect(page.contains("visit Day 0 (CAR-T infusion)"), "the signature's scope is shown")
            let participantPage = try await client.webGet("/participants/\(p.subjectID)", session: session).text
            #expect(participantPage.contains("<option value=\"visit:D0\">Visit: Day 0 (CAR-T infusion)</option>"))
        }
    }
}
