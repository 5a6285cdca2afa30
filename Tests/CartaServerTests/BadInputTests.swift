import CartaTrial
import CartaModel
import CartaServer
@_spi(Testing) import CartaStore
import CartaTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// One malformed request and the answer it must get.
struct BadInputCase: Sendable, CustomTestStringConvertible {
    let name: String
    let method: HTTPRequest.Method
    /// Path under /api/v1 with `{id}` for the participant's subject ID.
    let path: String
    /// The body; `{v}` in a raw body is replaced by the current version.
    let body: @Sendable (Int) -> (json: JSON?, raw: String?)
    let status: HTTPResponse.Status
    let code: String?
    let field: String?
    /// Text the message must contain (it names the rule or the value).
    let mentions: [String]

    var testDescription: String { name }

    static func form(_ name: String, in formOID: String = "F_LAB_HEM", _ items: [String: Entry], status: HTTPResponse.Status = .unprocessableContent,
                     code: String? = "invalid_input", field: String?, mentions: [String] = [], versionOffset: Int = 0,
                     reason: String? = "transcription_error: checking bad input") -> BadInputCase {
        // A reason goes with every case (the participant's values are saved), so each case fails on its own fault.
        BadInputCase(name: name, method: .put, path: "/participants/{id}/forms/\(formOID)",
                     body: { v in (ScreeningData.formBody(version: v + versionOffset, items: items, reason: reason), nil) },
                     status: status, code: code, field: field, mentions: mentions)
    }

    static func register(_ name: String, _ body: JSON, field: String?, mentions: [String] = []) -> BadInputCase {
        BadInputCase(name: name, method: .post, path: "/participants", body: { _ in (body, nil) },
                     status: .unprocessableContent, code: "invalid_input", field: field, mentions: mentions)
    }

    static func raw(_ name: String, _ path: String, _ text: String, field: String?) -> BadInputCase {
        BadInputCase(name: name, method: path.contains("forms") ? .put : .post, path: path,
                     body: { v in (nil, text.replacingOccurrences(of: "{v}", with: "\(v)")) },
                     status: .unprocessableContent, code: nil, field: field, mentions: [])
    }

    // Issue 2 "Bad input": wrong types, out-of-range values, unknown units, malformed JSON, stale
    // version, unknown form — each gets a clear error naming the field and leaves the database as it was.
    static let all: [BadInputCase] = [
        form("wrong type (integer)", in: "F_VITALS", ["ECOG": Entry(value: "two")], field: "item.ECOG", mentions: ["two"]),
        form("not a number", ["HGB": Entry(value: "12o", unit: "g/L")], field: "item.HGB"),
        form("above hard limit", ["HGB": Entry(value: "300", unit: "g/L")], field: "item.HGB", mentions: ["300", "250"]),
        form("below hard limit", in: "F_VITALS", ["SPO2": Entry(value: "12", unit: "%")], field: "item.SPO2", mentions: ["50"]),
        form("hard limit after unit conversion", ["HGB": Entry(value: "30", unit: "g/dL")], field: "item.HGB"),
        form("unknown unit", ["HGB": Entry(value: "120", unit: "mg/furlong")], field: "item.HGB", mentions: ["mg/furlong"]),
        form("unit not allowed for the analyte", ["HGB": Entry(value: "120", unit: "umol/L")], field: "item.HGB"),
        form("unknown code", in: "F_SEROLOGY", ["HIV_AB": Entry(value: "MAYBE")], field: "item.HIV_AB", mentions: ["MAYBE"]),
        form("impossible date", in: "F_CONSENT", ["CONSENT_DATE": Entry(value: "2026-02-30")], field: "item.CONSENT_DATE"),
        form("item not on the form", ["ECOG": Entry(value: "1")], field: "item.ECOG"),
        form("negative upper limit of normal", ["HGB": Entry(value: "120", unit: "g/L", uln: "-3")], field: "uln.HGB"),
        form("lower limit above upper limit", ["HGB": Entry(value: "120", unit: "g/L", lln: "160", uln: "150")], field: "lln.HGB"),
        form("one bad value rejects the whole form", ["HGB": Entry(value: "130", unit: "g/L"), "ANC": Entry(value: "-1", unit: "10*9/L")],
             field: "item.ANC"),
        form("clearing a required value", ["HGB": Entry(value: "")], field: "item.HGB", mentions: ["required"]),
        form("stale version", ["HGB": Entry(value: "130", unit: "g/L")], status: .conflict, code: "conflict", field: nil, versionOffset: -1),
        form("stale version without a reason", ["HGB": Entry(value: "130", unit: "g/L")], status: .conflict, code: "conflict", field: nil,
             versionOffset: -1, reason: nil),
        // Issue 7 scope 3: a saved value changes only with a reason from the coded list.
        form("changing a saved value without a reason", ["HGB": Entry(value: "130", unit: "g/L")], field: "reason.HGB",
             mentions: ["reason for change", "transcription_error"], reason: nil),
        form("reason with an unknown code", ["HGB": Entry(value: "130", unit: "g/L")], field: "reason.code",
             mentions: ["transcription_error", "typo"], reason: "typo"),
        form("reason other without words", ["HGB": Entry(value: "130", unit: "g/L")], field: "reason", mentions: ["other"], reason: "other"),
        form("unknown form", in: "F_NOPE", ["HGB": Entry(value: "130", unit: "g/L")], status: .notFound, code: "not_found", field: nil,
             mentions: ["F_NOPE"]),
        BadInputCase(name: "unknown participant", method: .put, path: "/participants/BCRITP-404/forms/F_LAB_HEM",
                     body: { v in (ScreeningData.formBody(version: v, items: ["HGB": Entry(value: "130")]), nil) },
                     status: .notFound, code: "not_found", field: nil, mentions: ["BCRITP-404"]),
        raw("malformed JSON", "/participants/{id}/forms/F_LAB_HEM", #"{"version": {v}, "items": {"HGB": {"value": "130""#, field: nil),
        raw("version of the wrong JSON type", "/participants/{id}/forms/F_LAB_HEM", #"{"version": "{v}", "items": {}}"#, field: "version"),
        raw("value of the wrong JSON type", "/participants/{id}/forms/F_LAB_HEM", #"{"version": {v}, "items": {"HGB": {"value": 130}}}"#,
            field: "items.HGB.value"),
        raw("missing field", "/participants", #"{"fullName": "X", "hospitalNumber": "H"}"#, field: "dateOfBirth"),
        register("impossible date of birth", ["fullName": "X Y", "dateOfBirth": "1980-13-01", "hospitalNumber": "H"], field: "dateOfBirth",
                 mentions: ["1980-13-01"]),
        register("date of birth in the future", ["fullName": "X Y", "dateOfBirth": "2999-01-01", "hospitalNumber": "H"], field: "dateOfBirth"),
        register("blank name", ["fullName": "  ", "dateOfBirth": "1980-01-01", "hospitalNumber": "H"], field: "fullName"),
        register("NUL in the name", ["fullName": "Ada\u{0}Lovelace", "dateOfBirth": "1980-01-01", "hospitalNumber": "H"], field: "fullName"),
        register("zero-width space in the hospital number", ["fullName": "Ada Lovelace", "dateOfBirth": "1980-01-01", "hospitalNumber": "H\u{200B}1"],
                 field: "hospitalNumber"),
        register("escape sequence in the name", ["fullName": "Ada \u{1B}[31mLovelace", "dateOfBirth": "1980-01-01", "hospitalNumber": "H"],
                 field: "fullName"),
        register("unknown site", ["fullName": "X Y", "dateOfBirth": "1980-01-01", "hospitalNumber": "H", "siteID": "S99"], field: "siteID",
                 mentions: ["S99"]),
        BadInputCase(name: "unknown status filter", method: .get, path: "/participants?status=lost", body: { _ in (nil, nil) },
                     status: .unprocessableContent, code: "invalid_input", field: "status", mentions: []),
    ]
}

/// Bad input through the API: a clear error naming the field, and the database exactly as it was.
/// Source: issue 2 "Bad input" and §6 (server-side validation naming the field and the rule).
@Suite("Bad input")
struct BadInputTests {
    @Test(arguments: TestDatabase.engines, BadInputCase.all)
    func refusedAndNothingChanges(engine: DatabaseEngine, bad: BadInputCase) async throws {
        try await TestServer.run(engine) { server, client in
            let token = try await client.token(.coordinator)
            let p = try await server.register()
            // Stored values to correct or clear.
            let saved = try await client.api(.put, "/api/v1/participants/\(p.subjectID)/forms/F_LAB_HEM", token: token,
                                             json: ScreeningData.formBody(version: p.version, items: ScreeningData.eligible["F_LAB_HEM"]!))
            #expect(saved.status == .ok)
            let version = try #require(saved.json?["participant"]?["version"]?.int)
            let before = try await server.snapshot()
            let body = bad.body(version)
            let r = try await client.api(bad.method, "/api/v1" + bad.path.replacingOccurrences(of: "{id}", with: p.subjectID.rawValue),
                                         token: token, json: body.json, raw: body.raw)
            expectErrorShape(r, bad.status, code: bad.code, field: bad.field)
            let message = r.json?["error"]?["message"]?.string ?? ""
            for text in bad.mentions { #expect(message.contains(text), "message does not mention \(text): \(message)") }
            #expect(try await server.snapshot() == before, "\(bad.name) changed the database")
        }
    }

    // Issue 2 "Bad input": duplicate subject IDs are refused by the store, through the API too.
    @Test(arguments: TestDatabase.engines)
    func duplicateSubjectIDIsAConflict(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            let token = try await client.token(.coordinator)
            _ = try await server.register()
            let study = server.services.study
            // An imported record already holds the next generated ID (sequence numbers are per study).
            try await server.store.executeRaw("""
                INSERT INTO participants (id, study_id, subject_id, sequence_number, site_id, status, version, created_at, updated_at, updated_by)
                VALUES ('imported-1', '\(study.id)', 'BCRITP-002', 0, '\(study.sites[0].id)', 'screening', 1,
                        '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z', 'import')
                """)
            let before = try await server.snapshot()
            let r = try await client.api(.post, "/api/v1/participants", token: token,
                                         json: ["fullName": "Grace Hopper", "dateOfBirth": "1970-12-09", "hospitalNumber": "H-2"])
            expectErrorShape(r, .conflict, code: "conflict")
            #expect(r.json?["error"]?["message"]?.string?.contains("BCRITP-002") == true)
            #expect(try await server.snapshot() == before)
            // The store contract directly: the same subject ID twice is a conflict.
            let (_, actor) = try await server.actor(.coordinator)
            do {
                _ = try await server.store.registerParticipant(studyID: StudyID(study.id), siteID: SiteID(study.sites[0].id), subjectID: { _ in "BCRITP-001" },
                                                               identity: nil, actor: actor)
                Issue.record("duplicate subject ID accepted")
            } catch let e as StoreError {
                #expect(e.code == .conflict)
            }
            #expect(try await server.snapshot() == before)
        }
    }

    // Issue 2 "Bad input": a stale version (someone else saved first) → 409 conflict on every write, nothing written.
    @Test(arguments: TestDatabase.engines)
    func staleVersionOnEveryWrite(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            let coordinator = try await client.token(.coordinator)
            let investigator = try await client.token(.investigator)
            let p = try await server.signedEligibleParticipant()
            let stale = JSON.number(Double(p.version - 1))
            let id = p.subjectID
            let writes: [(HTTPRequest.Method, String, String?, JSON)] = [
                (.put, "/api/v1/participants/\(id)/forms/F_VITALS", coordinator,
                 ["version": stale, "items": ["ECOG": ["value": "0"]]]),
                (.post, "/api/v1/participants/\(id)/eligibility/signature", investigator,
                 ["version": stale, "decision": "eligible", "password": .string(Caller.investigator.password)]),
                (.post, "/api/v1/participants/\(id)/enrolment", coordinator, ["version": stale]),
                (.post, "/api/v1/participants/\(id)/screen-failure", investigator, ["version": stale, "reasons": ["withdrew"]]),
            ]
            for (method, path, token, body) in writes {
                let before = try await server.snapshot()
                let r = try await client.api(method, path, token: token, json: body)
                expectErrorShape(r, .conflict, code: "conflict")
                #expect(try await server.snapshot() == before, "\(path) changed the database")
            }
            // The same through the web form: 409 page, entries kept, nothing written.
            let session = try #require(try await client.webSignIn(.coordinator, server: server))
            let before = try await server.snapshot()
            let page = try await client.webPost("/participants/\(id)/screening", session: session,
                                                fields: [("item.ECOG", "0"), ("version", "\(p.version - 1)")])
            #expect(page.status == .conflict)
            #expect(try await server.snapshot() == before)
        }
    }

    // A soft-range value is saved with a warning, not refused (issue 2 §6: soft warnings vs hard limits).
    @Test func softRangeWarnsButSaves() async throws {
        try await TestServer.run { server, client in
            let token = try await client.token(.coordinator)
            let p = try await server.register()
            let r = try await client.api(.put, "/api/v1/participants/\(p.subjectID)/forms/F_LAB_HEM", token: token,
                                         json: ScreeningData.formBody(version: p.version, items: ["HGB": Entry(value: "55", unit: "g/L")]))
            #expect(r.status == .ok, "\(r.text)")
            #expect(r.json?["warnings"]?["HGB"]?.array?.isEmpty == false)
            let stored = try await server.store.itemValues(participantID: p.id)
            #expect(stored.first { $0.address.itemOID == "HGB" }?.value?.text == "55")
        }
    }

    /// A date after the site's today in an item that records what happened is saved with a warning naming the date and
    /// today; a planned date (`futureAllowed`) is not (issue 9 walk: a visit dated next month was saved silently).
    @Test func aDateAfterTodayIsWarnedAboutUnlessItIsAPlan() async throws {
        try await TestServer.run { server, client in
            let token = try await client.token(.coordinator)
            let p = try await server.register()
            let today = server.services.runtime.clock.today, later = today.adding(days: 400)
            let r = try await client.api(.put, "/api/v1/participants/\(p.subjectID)/forms/F_CONSENT", token: token,
                                         json: ScreeningData.formBody(version: p.version, items: ["CONSENT_DATE": Entry(value: later.description),
                                                                                                  "PLANNED_INFUSION_DATE": Entry(value: later.description)]))
            #expect(r.status == .ok, "\(r.text)")
            #expect(r.json?["warnings"]?["CONSENT_DATE"]?.array?.first?.string
                    == "Date of informed consent \(later) is after today (\(today)); please confirm: it should be the date it happened", "\(r.text)")
            #expect(r.json?["warnings"]?["PLANNED_INFUSION_DATE"] == nil, "\(r.text)")
            let again = try await client.api(.put, "/api/v1/participants/\(p.subjectID)/forms/F_CONSENT", token: token,
                                             json: ScreeningData.formBody(version: p.version + 1, items: ["CONSENT_DATE": Entry(value: today.description)],
                                                                          reason: "transcription_error"))
            #expect(again.status == .ok && again.json?["warnings"]?["CONSENT_DATE"] == nil, "\(again.text)")
        }
    }

    // §10.3: a value in another allowed unit is stored as entered and standardised.
    @Test func valuesAreStoredAsEnteredAndStandardised() async throws {
        try await TestServer.run { server, client in
            let token = try await client.token(.coordinator)
            let p = try await server.register()
            let r = try await client.api(.put, "/api/v1/participants/\(p.subjectID)/forms/F_LAB_HEM", token: token,
                                         json: ScreeningData.formBody(version: p.version, items: ["HGB": Entry(value: "9.5", unit: "g/dL", lln: "11.5", uln: "15")]))
            #expect(r.status == .ok, "\(r.text)")
            let detail = try await client.api(.get, "/api/v1/participants/\(p.subjectID)", token: token)
            let hgb = try #require(detail.json?["items"]?.array?.first { $0["item"] == "HGB" })
            #expect(hgb["value"] == "9.5")
            #expect(hgb["unit"] == "g/dL")
            #expect(hgb["standardUnit"] == "g/L")
            #expect(abs((hgb["standardValue"]?.number ?? 0) - 95) < 1e-9)
            let checklist = try await client.api(.get, "/api/v1/participants/\(p.subjectID)/eligibility", token: token)
            #expect(checklist.json?["criteria"]?.array?.first { $0["id"] == "E7" }?["result"] == "not_met")
        }
    }
}

/// A signature is a decision the investigator chose, never a default (21 CFR 11.50: the meaning of a
/// signature is part of the record): a missing or unknown decision is refused and nothing is signed.
@Suite("Signature decision")
struct SignatureDecisionTests {
    @Test(arguments: [nil, "", "maybe"] as [String?])
    func missingOrUnknownDecisionIsRefused(decision: String?) async throws {
        try await TestServer.run { server, client in
            let p = try await server.enterEligibleData(try await server.register().subjectID)
            let session = try #require(try await client.webSignIn(.investigator, server: server))
            var fields = [("password", Caller.investigator.password), ("version", String(p.version))]
            if let decision { fields.append(("decision", decision)) }
            let before = try await server.snapshot()
            let r = try await client.webPost("/participants/\(p.subjectID)/eligibility/sign", session: session, fields: fields)
            #expect(r.status == .unprocessableContent, "\(r.status)")
            #expect(r.text.contains("eligible or not eligible"))
            #expect(try await server.snapshot() == before)
        }
    }
}
