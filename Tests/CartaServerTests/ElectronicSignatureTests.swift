import CartaModel
import CartaServer
@_spi(Testing) import CartaStore
import CartaTestSupport
import CartaTrial
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Electronic signatures: acknowledged as binding before the first one, bound to a SHA-256 of the exact
/// content signed, invalidated by a change to that content and by nothing else.
/// Source: 21 CFR 11.70, 11.100(c); issue 7 scope 4 and the hole "after enrolment the signature card
/// reads 'data changed since — sign again' although nothing changed"; standards.md R-ES-2, R-ES-4.
@Suite("Electronic signatures")
struct ElectronicSignatureTests {
    @Test(arguments: TestDatabase.engines)
    func firstSignatureNeedsTheBindingAcknowledgementStoredOnce(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            let p = try await server.enterEligibleData(try await server.register().subjectID)
            let token = try await client.token(.investigator)
            let path = "/api/v1/participants/\(p.subjectID)/eligibility/signature"
            let fields: [String: JSON] = ["password": .string(Caller.investigator.password), "decision": "eligible",
                                          "version": .number(Double(p.version))]
            let body = JSON.object(fields)
            let before = try await server.snapshot(ignoringAuthentication: true)
            expectErrorShape(try await client.api(.post, path, token: token, json: body), .unprocessableContent, field: "acknowledgeBinding")
            #expect(try await server.snapshot(ignoringAuthentication: true) == before, "a refused signature writes nothing")
            #expect(try await server.store.user(username: "investigator")?.signatureAttestedAt == nil)

            var acknowledged = fields
            acknowledged["acknowledgeBinding"] = true
            let signed = try await client.api(.post, path, token: token, json: .object(acknowledged))
            #expect(signed.status == .created, "\(signed.text)")
            let hash = try #require(signed.json?["contentSha256"]?.string)
            #expect(hash.count == 64 && hash.allSatisfy(\.isHexDigit))
            let ines = try #require(try await server.store.user(username: "investigator"))
            #expect(ines.signatureAttestedAt != nil)
            let userTrail = try await server.store.auditTrail(entity: .user, entityID: ines.id.rawValue)
            #expect(userTrail.filter { $0.field == "signature_attested_at" }.count == 1)

            // Later signatures need no acknowledgement (it is stored), and it is never recorded twice.
            let q = try await server.enterEligibleData(try await server.register("Grace Hopper").subjectID)
            let second = try await client.api(.post, "/api/v1/participants/\(q.subjectID)/eligibility/signature", token: token,
                                              json: ["password": .string(Caller.investigator.password), "decision": "eligible",
                                                     "version": .number(Double(q.version))])
            #expect(second.status == .created, "\(second.text)")
            #expect(try await server.store.auditTrail(entity: .user, entityID: ines.id.rawValue)
                .filter { $0.field == "signature_attested_at" }.count == 1)
        }
    }

    @Test func theSignatureCoversTheDataNotTheVersion() async throws {
        try await TestServer.run { server, client in
            let signed = try await server.signedEligibleParticipant()
            let investigator = try await server.principal(.investigator)
            let screening = server.services.screening
            #expect(screening.signatureStanding(try await screening.file(signed.subjectID, by: investigator)) == .valid)
            // Enrolment moves the version but not the data: the signature still stands and the page says nothing else.
            let enrolled = try await screening.enrol(subjectID: signed.subjectID, expectedVersion: signed.version, by: investigator)
            #expect(enrolled.version != signed.version)
            let file = try await screening.file(signed.subjectID, by: investigator)
            #expect(screening.signatureStanding(file) == .valid)
            let session = try await client.webSignIn(.coordinator, server: server)
            let page = try await client.webGet("/participants/\(signed.subjectID)", session: session)
            #expect(!page.text.contains("signature-invalidated") && !page.text.contains("sign again"), "enrolment is not a data change")
            #expect(page.text.contains(#"<code id="signature-hash">\#(try #require(file.latestDecision?.contentHash))</code>"#),
                    "the bound content hash is shown with the signature")

            // A data change after signing invalidates it, on the page too.
            let other = try await server.signedEligibleParticipant("Grace Hopper")
            let changed = try await screening.saveForms(subjectID: other.subjectID, forms: ["F_VITALS": ["WEIGHT": RawEntry(value: "71", unit: "kg")]],
                                                        expectedVersion: other.version, reason: ChangeReason(code: .transcriptionError),
                                                        by: try await server.principal(.coordinator))
            #expect(screening.signatureStanding(try await screening.file(other.subjectID, by: investigator)) == .invalidatedByChange)
            let stale = try await client.webGet("/participants/\(other.subjectID)", session: session)
            #expect(stale.text.contains("signature-invalidated") && stale.text.contains("Invalidated by a change to the data signed"))
            // Changing it back restores exactly the signed content: the binding is to content, not to history.
            _ = try await screening.saveForms(subjectID: other.subjectID, forms: ["F_VITALS": ["WEIGHT": RawEntry(value: "70", unit: "kg")]],
                                              expectedVersion: changed.participant.version, reason: ChangeReason(code: .transcriptionError),
                                              by: try await server.principal(.coordinator))
            #expect(screening.signatureStanding(try await screening.file(other.subjectID, by: investigator)) == .valid)
        }
    }
}
