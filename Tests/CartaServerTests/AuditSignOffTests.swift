import CartaModel
@testable import CartaServer
@_spi(Testing) import CartaStore
import CartaStudy
import CartaTestSupport
import CartaTrial
import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Audit review as a planned activity: "changes after a signature or lock" and a reviewer's signed sign-off.
/// Source: issue 7 scope 8 ("filters (…, changes after signature or lock) that a reviewer can sign off");
/// standards.md R-AT-5 ("Reviewer can save a review scope and sign it; sign-off appears in audit"); 21 CFR 11.50, 11.70.
@Suite("Audit review sign-off")
struct AuditSignOffTests {
    /// Changes one value with a reason, as the coordinator.
    static func change(_ server: TestServer, _ p: Participant, _ form: String, _ item: String, _ value: String, unit: String? = nil) async throws -> Participant {
        try await server.services.screening.saveForms(
            subjectID: p.subjectID, forms: [form: [item: RawEntry(value: value, unit: unit, reason: ChangeReason(code: .transcriptionError))]],
            expectedVersion: p.version, by: try await server.principal(.coordinator)).participant
    }

    static func fields(_ r: TestResponse) throws -> [String] {
        try #require(r.json?["events"]?.array).compactMap { $0["field"]?.string }
    }

    @Test(arguments: TestDatabase.engines)
    func changesAfterASignatureOrALockAreSelected(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            let monitor = try await client.token(.monitor)
            // Signed, then changed: only the change after the signature is selected.
            var signed = try await server.signedEligibleParticipant()
            signed = try await Self.change(server, signed, "F_VITALS", "ECOG", "0")
            let afterSignature = try await client.api(.get, "/api/v1/audit?subjectID=\(signed.subjectID)&afterSignatureOrLock=true", token: monitor)
            #expect(try Self.fields(afterSignature) == ["SCREENING/F_VITALS/ECOG", "SCREENING/F_VITALS/ECOG:standard"], "\(afterSignature.text)")

            // Unsigned, a form lock on F_VITALS placed and lifted: later changes to that form count, other forms do not.
            var p = try await server.enterEligibleData(try await server.register("Grace Hopper").subjectID)
            p = try await Self.change(server, p, "F_VITALS", "ECOG", "2")
            let none = try await client.api(.get, "/api/v1/audit?subjectID=\(p.subjectID)&afterSignatureOrLock=true", token: monitor)
            #expect(try Self.fields(none).isEmpty, "nothing is signed or locked yet")
            let dm = try await server.principal(.dataManager)
            let lock = try await server.services.runtime.locks.lock(.form, subjectID: p.subjectID, formOID: "F_VITALS", reason: "SDV",
                                                                    password: Caller.dataManager.password, by: dm)
            _ = try await server.services.runtime.locks.unlock(id: lock.id, reason: "late correction", password: Caller.dataManager.password, by: dm)
            p = try await server.services.screening.participant(p.subjectID, by: try await server.principal(.coordinator))
            p = try await Self.change(server, p, "F_VITALS", "ECOG", "1")
            p = try await Self.change(server, p, "F_ECHO", "LVEF", "58", unit: "%")
            let afterLock = try await client.api(.get, "/api/v1/audit?subjectID=\(p.subjectID)&afterSignatureOrLock=true", token: monitor)
            #expect(try Self.fields(afterLock) == ["SCREENING/F_VITALS/ECOG", "SCREENING/F_VITALS/ECOG:standard"], "\(afterLock.text)")
            expectErrorShape(try await client.api(.get, "/api/v1/audit?afterSignatureOrLock=yes", token: monitor), .unprocessableContent,
                             field: "afterSignatureOrLock")

            // The web view has the same filter as a checkbox, and its CSV export keeps it.
            let session = try await client.webSignIn(.monitor, server: server)
            let page = try await client.webGet("/audit?subject=\(signed.subjectID)&after_signature_or_lock=1", session: session)
            #expect(page.status == .ok && page.text.contains("id=\"audit-after-signature\" name=\"after_signature_or_lock\" type=\"checkbox\" value=\"1\" checked"))
            #expect(page.text.contains("Events 1–2 of 2"), "\(page.text.firstMatch(of: /id="audit-range"[^<]*<?/)?.0 ?? "")")
            #expect(page.text.contains("/audit.csv?subject=\(signed.subjectID)&amp;after_signature_or_lock=1"))
        }
    }

    @Test(arguments: TestDatabase.engines)
    func aReviewerSignsOffAScopeBoundToItsRecords(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            let p = try await server.signedEligibleParticipant()
            let monitor = try await client.token(.monitor)
            let body: JSON = ["subjectID": .string(p.subjectID.rawValue), "form": "F_VITALS", "password": .string(Caller.monitor.password),
                              "comment": "Weight corrections match the source."]
            // Only reviewers sign off; a wrong password signs nothing and is audited.
            expectErrorShape(try await client.api(.post, "/api/v1/audit/reviews", token: try await client.token(.coordinator), json: body), .forbidden)
            expectErrorShape(try await client.api(.post, "/api/v1/audit/reviews", token: monitor,
                                                  json: ["subjectID": .string(p.subjectID.rawValue), "password": "not my password 1"]),
                             .unprocessableContent, field: "password")
            #expect(try await server.authenticationEvents().contains("monitor signature_password_failed"))
            // An empty scope cannot be signed off.
            expectErrorShape(try await client.api(.post, "/api/v1/audit/reviews", token: monitor,
                                                  json: ["subjectID": .string(p.subjectID.rawValue), "from": "2999-01-01",
                                                         "password": .string(Caller.monitor.password)]), .conflict, code: "invalid_state")

            let signed = try await client.api(.post, "/api/v1/audit/reviews", token: monitor, json: body)
            #expect(signed.status == .created, "\(signed.text)")
            #expect(signed.json?["scopeDescription"] == .string("participant \(p.subjectID) · form F_VITALS"))
            #expect(signed.json?["scope"] == .string("subject=\(p.subjectID)&form=F_VITALS"))
            #expect(signed.json?["reviewerName"] == "Monitor" && signed.json?["meaning"] == .string(AuditReview.signOffMeaning))
            // Bound to the records: SHA-256 over "seq:hash" of every record of the scope, recomputed here.
            let filter = try await server.services.runtime.audit.filter(.init(subjectID: p.subjectID.rawValue, formOID: "F_VITALS"),
                                                                        by: try await server.principal(.monitor))
            let events = try await server.store.auditSearch(filter, limit: 10_000).events
            var hasher = SHA256()
            for e in events { hasher.update(data: Data("\(e.seq):\(e.hash)\n".utf8)) }
            #expect(signed.json?["contentHash"]?.string == Data(hasher.finalize()).map { String(format: "%02x", $0) }.joined())
            #expect(signed.json?["recordCount"]?.int == events.count && signed.json?["throughSeq"]?.int == events.last?.seq)
            // Listed for every reader of the trail, and itself in the audit trail.
            let listed = try await client.api(.get, "/api/v1/audit/reviews", token: try await client.token(.auditor))
            #expect(listed.json?["reviews"]?.array?.count == 1)
            let id = try #require(signed.json?["id"]?.string)
            let trail = try await server.store.auditTrail(entity: .auditReview, entityID: id)
            #expect(Set(trail.map(\.field)) == ["scope", "records", "content_sha256", "signed_by"])
            #expect(trail.allSatisfy { $0.reason == "Weight corrections match the source." && $0.username == "monitor" })
        }
    }

    @Test func theAuditPageOffersTheSignOffToReviewersOnly() async throws {
        try await TestServer.run { server, client in
            let p = try await server.signedEligibleParticipant()
            let coordinator = try await client.webSignIn(.coordinator, server: server)
            let seen = try await client.webGet("/audit?subject=\(p.subjectID)", session: coordinator)
            #expect(seen.status == .ok && !seen.text.contains("id=\"audit-sign-off\""))
            let auditor = try await client.webSignIn(.auditor, server: server)
            let page = try await client.webGet("/audit?subject=\(p.subjectID)&after_signature_or_lock=1", session: auditor)
            #expect(!page.text.contains("id=\"audit-sign-off\""), "nothing selected, nothing to sign off")
            let full = try await client.webGet("/audit?subject=\(p.subjectID)", session: auditor)
            #expect(full.text.contains("id=\"audit-sign-off\"") && full.text.contains("Scope: <strong>participant \(p.subjectID)</strong>"))
            let wrong = try await client.webPost("/audit/reviews", session: auditor, fields: [("subject", p.subjectID.rawValue), ("password", "not it at all 1")])
            #expect(wrong.status == .seeOther)
            let ok = try await client.webPost("/audit/reviews", session: auditor,
                                              fields: [("subject", p.subjectID.rawValue), ("form", ""), ("password", Caller.auditor.password),
                                                       ("comment", "Checked.")])
            #expect(ok.status == .seeOther && ok.headers[.location] == "/audit?subject=\(p.subjectID)", "\(ok.headers[.location] ?? "")")
            let after = try await client.webGet("/audit?subject=\(p.subjectID)", session: coordinator)
            #expect(after.text.contains("id=\"audit-reviews\"") && after.text.contains("Checked."), "readers see the sign-off")
            #expect(try await server.store.auditReviews().count == 1, "the wrong password signed nothing")
        }
    }
}

/// An investigator signs one form rather than the whole casebook: bound to that form's values only.
/// Source: issue 7 scope 4 ("an investigator signs a form, a visit or a whole casebook … a later change marks it
/// invalidated by change"); 21 CFR 11.70.
@Suite("Form signatures")
struct FormSignatureTests {
    @Test(arguments: TestDatabase.engines)
    func aFormSignatureCoversThatFormOnly(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            var p = try await server.enterEligibleData(try await server.register().subjectID)
            let investigator = try await client.token(.investigator)
            let path = "/api/v1/participants/\(p.subjectID)/casebook/signatures"
            func body(_ form: String?) -> JSON {
                form.map { ["version": .number(Double(p.version)), "formOID": .string($0), "password": .string(Caller.investigator.password), "acknowledgeBinding": true] }
                    ?? ["version": .number(Double(p.version)), "password": .string(Caller.investigator.password), "acknowledgeBinding": true]
            }
            expectErrorShape(try await client.api(.post, path, token: investigator, json: body("F_NOPE")), .unprocessableContent, field: "formOID")
            let empty = try await server.register("Grace Hopper")
            expectErrorShape(try await client.api(.post, "/api/v1/participants/\(empty.subjectID)/casebook/signatures", token: investigator,
                                                  json: ["version": .number(Double(empty.version)), "formOID": "F_VITALS",
                                                         "password": .string(Caller.investigator.password), "acknowledgeBinding": true]),
                             .conflict, code: "invalid_state")

            let form = try await client.api(.post, path, token: investigator, json: body("F_VITALS"))
            #expect(form.status == .created && form.json?["formOID"] == "F_VITALS", "\(form.text)")
            #expect(form.json?["meaning"]?.string?.contains("the form Performance status and vital signs") == true, "\(form.text)")
            expectErrorShape(try await client.api(.post, path, token: investigator, json: body("F_VITALS")), .conflict)
            #expect(try await client.api(.post, path, token: investigator, json: body(nil)).status == .created)

            // A change to another form: the form signature stands, the casebook signature does not.
            p = try await AuditSignOffTests.change(server, p, "F_ECHO", "LVEF", "58", unit: "%")
            func standings() async throws -> [String: String] {
                let r = try await client.api(.get, path, token: investigator)
                return Dictionary(uniqueKeysWithValues: try #require(r.json?["signatures"]?.array).map {
                    ($0["formOID"]?.string ?? "casebook", $0["standing"]?.string ?? "")
                })
            }
            #expect(try await standings() == ["F_VITALS": "valid", "casebook": "invalidated_by_change"])
            // A change to the signed form invalidates it.
            p = try await AuditSignOffTests.change(server, p, "F_VITALS", "ECOG", "0")
            #expect(try await standings() == ["F_VITALS": "invalidated_by_change", "casebook": "invalidated_by_change"])
            let trail = try await server.store.auditTrail(entity: .casebookSignature, entityID: try #require(form.json?["id"]?.string))
            #expect(trail.contains { $0.field == "form_oid" && $0.newValue == "F_VITALS" })

            // The web form offers the casebook and each form with data, with each meaning.
            let session = try await client.webSignIn(.investigator, server: server)
            let page = try await client.webGet("/participants/\(p.subjectID)", session: session)
            #expect(page.text.contains("id=\"casebook-scope\" name=\"form\"") && page.text.contains("<option value=\"F_VITALS\">Form: Performance status and vital signs</option>"))
            let signed = try await client.webPost("/participants/\(p.subjectID)/casebook/sign", session: session,
                                                  fields: [("form", "F_ECHO"), ("password", Caller.investigator.password), ("version", "\(p.version)")])
            #expect(signed.status == .seeOther)
            #expect(try await standings()["F_ECHO"] == "valid")
        }
    }
}
