import CartaTrial
import CartaModel
import CartaServer
@_spi(Testing) import CartaStore
import CartaTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The screening workflow through the JSON API, on SQLite and PostgreSQL.
/// Source: issue 2 §6 (register, screening data, checklist with value and threshold, signature,
/// enrolment cap, screen failures with reasons) and §8 (the browser test's scenario, here over the API).
@Suite("Screening flow over the API")
struct ScreeningFlowTests {
    @Test(arguments: TestDatabase.engines)
    func registerEnterFailCorrectSignEnrol(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            let coordinator = try await client.token(.coordinator)
            let investigator = try await client.token(.investigator)

            // Registration: pseudonymous subject IDs by the study's pattern.
            let first = try await client.api(.post, "/api/v1/participants", token: coordinator,
                                             json: ["fullName": "Ada Lovelace", "dateOfBirth": "1980-05-17", "hospitalNumber": "H-1"])
            #expect(first.status == .created)
            #expect(first.json?["subjectID"] == "BCRITP-001")
            #expect(first.json?["status"] == "screening")
            #expect(!first.text.contains("Lovelace"))
            let second = try await client.api(.post, "/api/v1/participants", token: coordinator,
                                              json: ["fullName": "Grace Hopper", "dateOfBirth": "1970-12-09", "hospitalNumber": "H-2"])
            #expect(second.json?["subjectID"] == "BCRITP-002")
            let id = "BCRITP-001"
            var version = try #require(first.json?["version"]?.int)

            let empty = try await client.api(.get, "/api/v1/participants/\(id)/eligibility", token: coordinator)
            #expect(empty.json?["overall"] == "incomplete")

            // Screening data with Hb 95 g/L: E7 not met, the reason names the value and the threshold.
            for (form, items) in ScreeningData.eligible.sorted(by: { $0.key < $1.key }) {
                var items = items
                if form == "F_LAB_HEM" { items["HGB"] = Entry(value: "95", unit: "g/L", lln: "115", uln: "150") }
                // The investigator answers the attestations (issue 7); the coordinator everything else.
                let token = server.services.study.form(form)?.entry == .investigator ? investigator : coordinator
                let r = try await client.api(.put, "/api/v1/participants/\(id)/forms/\(form)", token: token,
                                             json: ScreeningData.formBody(version: version, items: items))
                #expect(r.status == .ok, "\(form): \(r.text)")
                let next = try #require(r.json?["participant"]?["version"]?.int)
                #expect(next == version + 1)
                version = next
            }
            let failing = try await client.api(.get, "/api/v1/participants/\(id)/eligibility", token: coordinator)
            #expect(failing.json?["overall"] == "not_eligible")
            let rows = try #require(failing.json?["criteria"]?.array)
            #expect(rows.count == 21)
            let e7 = try #require(rows.first { $0["id"] == "E7" })
            #expect(e7["result"] == "not_met")
            let reason = try #require(e7["reason"]?.string)
            #expect(reason.contains("95") && reason.contains("100"), "\(reason)")
            #expect(rows.filter { $0["id"] != "E7" }.allSatisfy { $0["result"] == "met" }, "\(rows)")

            // Neither signing "eligible" nor enrolling is possible while a criterion is not met.
            let refusedSign = try await client.api(.post, "/api/v1/participants/\(id)/eligibility/signature", token: investigator,
                                                   json: ["password": .string(Caller.investigator.password), "decision": "eligible", "version": .number(Double(version)),
                                                     "acknowledgeBinding": true])
            expectErrorShape(refusedSign, .conflict, code: "not_eligible")
            expectErrorShape(try await client.api(.post, "/api/v1/participants/\(id)/enrolment", token: coordinator,
                                                  json: ["version": .number(Double(version))]), .conflict, code: "not_eligible")

            // Correct the value: the checklist updates.
            let corrected = try await client.api(.put, "/api/v1/participants/\(id)/forms/F_LAB_HEM", token: coordinator,
                                                 json: ScreeningData.formBody(version: version, items: ["HGB": Entry(value: "120", unit: "g/L")],
                                                                              reason: "transcription_error"))
            #expect(corrected.status == .ok, "\(corrected.text)")
            version = try #require(corrected.json?["participant"]?["version"]?.int)
            let passing = try await client.api(.get, "/api/v1/participants/\(id)/eligibility", token: coordinator)
            #expect(passing.json?["overall"] == "eligible", "\(passing.text)")
            #expect(passing.json?["criteria"]?.array?.first { $0["id"] == "E7" }?["result"] == "met")

            // A wrong password signs nothing, and the attempt is audited (issue 7).
            let before = try await server.snapshot(ignoringAuthentication: true)
            let wrong = try await client.api(.post, "/api/v1/participants/\(id)/eligibility/signature", token: investigator,
                                             json: ["password": "wrong-password-123", "decision": "eligible", "version": .number(Double(version))])
            expectErrorShape(wrong, .unauthorized, code: "signature_rejected", field: "password")
            #expect(try await server.snapshot(ignoringAuthentication: true) == before)
            #expect(try await server.authenticationEvents().last == "investigator signature_password_failed")

            let signed = try await client.api(.post, "/api/v1/participants/\(id)/eligibility/signature", token: investigator,
                                              json: ["password": .string(Caller.investigator.password), "decision": "eligible", "version": .number(Double(version)),
                                                     "acknowledgeBinding": true])
            #expect(signed.status == .created, "\(signed.text)")
            #expect(signed.json?["decision"] == "eligible")
            #expect(signed.json?["signerName"] == "Investigator")
            #expect(signed.json?["meaning"]?.string == ScreeningService.defaultMeaning)
            #expect(signed.json?["participantVersion"]?.int == version)

            let enrolled = try await client.api(.post, "/api/v1/participants/\(id)/enrolment", token: coordinator,
                                                json: ["version": .number(Double(version))])
            #expect(enrolled.status == .ok, "\(enrolled.text)")
            #expect(enrolled.json?["status"] == "enrolled")
            #expect(enrolled.json?["enrolledAt"]?.string != nil)
            let list = try await client.api(.get, "/api/v1/participants?status=enrolled", token: coordinator)
            #expect(list.json?["participants"]?.array?.map { $0["subjectID"] } == ["BCRITP-001"])

            // Every change went into the audit trail with source "api" and the correction's reason.
            let p = try #require(try await server.store.participant(subjectID: SubjectID(id), studyID: StudyID(server.services.study.id)))
            let trail = try await client.api(.get, "/api/v1/audit?subjectID=\(id)", token: coordinator)
            // By subject: every record whose entity id is the participant's, and the signed decisions (their own ids) too.
            let byEntityID = try #require(try await client.api(.get, "/api/v1/audit?entityID=\(p.id.rawValue)", token: coordinator).json?["events"]?.array)
            let events = try #require(trail.json?["events"]?.array)
            let decisions = events.filter { $0["entity"] == "eligibility_decision" }
            #expect(!decisions.isEmpty && events.filter { $0["entity"] != "eligibility_decision" } == byEntityID)
            #expect(events.count > 40)
            #expect(events.allSatisfy { $0["source"] == "api" })
            let hgb = events.filter { $0["field"]?.string?.hasSuffix("/HGB") == true }
            #expect(hgb.map { $0["newValue"] } == ["95", "120"])
            #expect(hgb.last?["oldValue"] == "95")
            #expect(hgb.last?["reason"] == "transcription_error")
            #expect(events.contains { $0["field"] == "status" && $0["newValue"] == "enrolled" })
            let verify = try await client.api(.get, "/api/v1/audit/verify", token: coordinator)
            #expect(verify.json?["intact"] == true)
        }
    }

    // Issue 2 §6: screen failures keep their reasons; typed reasons, or the failed criteria by default.
    // Issue 7: a coordinator records one only on an investigator's signed "not eligible" decision.
    @Test(arguments: TestDatabase.engines)
    func screenFailureKeepsReasons(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            let coordinator = try await client.token(.coordinator)
            let investigator = try await client.token(.investigator)
            let typed = try await server.register("Ada Lovelace")
            let unsigned = try await client.api(.post, "/api/v1/participants/\(typed.subjectID)/screen-failure", token: coordinator,
                                                json: ["version": .number(Double(typed.version)), "reasons": ["Withdrew consent"]])
            expectErrorShape(unsigned, .forbidden, code: "forbidden")
            #expect(unsigned.text.contains("not eligible"), "\(unsigned.text)")
            let r = try await client.api(.post, "/api/v1/participants/\(typed.subjectID)/screen-failure", token: investigator,
                                         json: ["version": .number(Double(typed.version)), "reasons": ["Withdrew consent", "  "]])
            #expect(r.status == .ok, "\(r.text)")
            #expect(r.json?["status"] == "screen_failed")
            #expect(r.json?["screenFailureReasons"] == ["Withdrew consent"])

            let failing = try await server.register("Grace Hopper")
            let saved = try await client.api(.put, "/api/v1/participants/\(failing.subjectID)/forms/F_LAB_HEM", token: coordinator,
                                             json: ScreeningData.formBody(version: failing.version, items: ["HGB": Entry(value: "95", unit: "g/L")]))
            var v = try #require(saved.json?["participant"]?["version"]?.int)
            let signed = try await client.api(.post, "/api/v1/participants/\(failing.subjectID)/eligibility/signature", token: investigator,
                                              json: ["version": .number(Double(v)), "decision": "not_eligible", "acknowledgeBinding": true,
                                                     "password": .string(Caller.investigator.password)])
            #expect(signed.status == .created, "\(signed.text)")
            v = try #require(try await client.api(.get, "/api/v1/participants/\(failing.subjectID)", token: coordinator)
                .json?["participant"]?["version"]?.int)
            let byDefault = try await client.api(.post, "/api/v1/participants/\(failing.subjectID)/screen-failure", token: coordinator,
                                                 json: ["version": .number(Double(v)), "reasons": []])
            #expect(byDefault.status == .ok, "\(byDefault.text)")
            let reasonValues = try #require(byDefault.json?["screenFailureReasons"]?.array)
            let reasons = reasonValues.compactMap { $0.string }
            #expect(reasons.count == 1 && reasons[0].hasPrefix("E7:") && reasons[0].contains("95"), "\(reasons)")

            let shown = try await client.api(.get, "/api/v1/participants/\(failing.subjectID)", token: coordinator)
            #expect(shown.json?["participant"]?["screenFailureReasons"]?.array?.compactMap(\.string) == reasons)
            // A screen-failed participant's data is closed.
            let closed = try await client.api(.put, "/api/v1/participants/\(failing.subjectID)/forms/F_LAB_HEM", token: coordinator,
                                              json: ScreeningData.formBody(version: v + 1, items: ["HGB": Entry(value: "120", unit: "g/L")]))
            expectErrorShape(closed, .conflict, code: "invalid_state")

            // Nothing to fail on and no reason typed: refused, nothing written.
            let blank = try await server.register("Mary Somerville")
            let before = try await server.snapshot()
            expectErrorShape(try await client.api(.post, "/api/v1/participants/\(blank.subjectID)/screen-failure", token: investigator,
                                                  json: ["version": .number(Double(blank.version)), "reasons": []]),
                             .unprocessableContent, field: "reasons")
            #expect(try await server.snapshot() == before)
        }
    }

    // Issue 2 §6 and "Bad input": enrolment stops at the study's target (5); the 6th is refused atomically.
    @Test(arguments: TestDatabase.engines)
    func sixthEnrolmentIsRefused(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            #expect(server.services.study.targetEnrolment == 5)
            #expect(!server.services.study.allowEnrolmentBeyondTarget)
            let coordinator = try await client.token(.coordinator)
            var ready: [Participant] = []
            for i in 1...6 { ready.append(try await server.signedEligibleParticipant("Person \(i)")) }
            for p in ready.prefix(5) {
                let r = try await client.api(.post, "/api/v1/participants/\(p.subjectID)/enrolment", token: coordinator,
                                             json: ["version": .number(Double(p.version))])
                #expect(r.status == .ok, "\(p.subjectID): \(r.text)")
            }
            let sixth = ready[5]
            let before = try await server.snapshot()
            let r = try await client.api(.post, "/api/v1/participants/\(sixth.subjectID)/enrolment", token: coordinator,
                                         json: ["version": .number(Double(sixth.version))])
            expectErrorShape(r, .conflict, code: "enrolment_full")
            #expect(try await server.snapshot() == before)
            let enrolled = try await client.api(.get, "/api/v1/participants?status=enrolled", token: coordinator)
            #expect(enrolled.json?["participants"]?.array?.count == 5)
        }
    }

    // Issue 2 §6: a signature covers the data it was given; a later change needs a new signature.
    @Test func enrolmentNeedsASignatureOnTheCurrentData() async throws {
        try await TestServer.run { server, client in
            let coordinator = try await client.token(.coordinator)
            let unsigned = try await server.enterEligibleData(try await server.register().subjectID)
            let before = try await server.snapshot()
            let r = try await client.api(.post, "/api/v1/participants/\(unsigned.subjectID)/enrolment", token: coordinator,
                                         json: ["version": .number(Double(unsigned.version))])
            #expect(r.status == .conflict, "\(r.text)")
            expectErrorShape(r, .conflict)
            #expect(try await server.snapshot() == before)

            let signed = try await server.signedEligibleParticipant("Grace Hopper")
            let changed = try await client.api(.put, "/api/v1/participants/\(signed.subjectID)/forms/F_VITALS", token: coordinator,
                                               json: ScreeningData.formBody(version: signed.version, items: ["ECOG": Entry(value: "0")],
                                                                            reason: "new_information: re-assessed"))
            let v = try #require(changed.json?["participant"]?["version"]?.int)
            let stale = try await client.api(.post, "/api/v1/participants/\(signed.subjectID)/enrolment", token: coordinator,
                                             json: ["version": .number(Double(v))])
            expectErrorShape(stale, .conflict)
        }
    }
}

/// One signature per data version, with the study's fixed meaning.
/// Source: issue 7 ("the signer can send any meaning text and sign the same version twice");
/// 21 CFR Part 11 §11.50 (the meaning is part of the signed record).
@Suite struct SignatureOncePerVersionTests {
    @Test func secondSignatureAndFreeMeaningAreRefused() async throws {
        try await TestServer.run { server, client in
            let p = try await server.enterEligibleData(try await server.register().subjectID)
            let token = try await client.token(.investigator)
            func sign(_ meaning: String?) async throws -> TestResponse {
                var body: [String: JSON] = ["password": .string(Caller.investigator.password), "decision": "eligible", "acknowledgeBinding": true,
                                            "version": .number(Double(p.version))]
                if let meaning { body["meaning"] = .string(meaning) }
                return try await client.api(.post, "/api/v1/participants/\(p.subjectID)/eligibility/signature", token: token, json: .object(body))
            }
            let free = try await sign("I had a quick look")
            expectErrorShape(free, .unprocessableContent, code: "invalid_input", field: "meaning")
            let first = try await sign(EligibilityDecision.defaultMeaning)
            #expect(first.status == .created, "\(first.text)")
            let before = try await server.snapshot(ignoringAuthentication: true)
            let again = try await sign(nil)
            expectErrorShape(again, .conflict, code: "conflict")
            #expect(again.text.contains("already signed"))
            #expect(try await server.snapshot(ignoringAuthentication: true) == before)
        }
    }
}
