import CartaCore
import CartaModel
import CartaServer
@_spi(Testing) import CartaStore
import CartaTestSupport
import CartaTrial
import Foundation
import Testing

/// Grades computed as the forms are filled (issue 8 scope 6): the preview derives what the typed entries
/// give — the ASTCT CRS and ICANS grades from the raw signs, the CTCAE grade of a lab value — without
/// saving anything, through the API and the web route carta.js posts to; the saved page shows the same texts.
@Suite("Visit preview")
struct VisitPreviewTests {
    static func body(_ forms: [String: [String: Entry]]) -> JSON {
        .object(["forms": .object(forms.mapValues { .object($0.mapValues(\.json)) })])
    }

    @Test(arguments: TestDatabase.engines)
    func gradesAsTypedWithoutSaving(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            let p = try await server.infusedParticipant("Ada Lovelace", platelets: "40")
            let token = try await client.token(.coordinator)
            let path = "/api/v1/participants/\(p.subjectID)/visits/D1/preview"
            let before = try await server.snapshot()
            // Fever and hypotension without vasopressors: ASTCT grade 2.
            let grade2 = try await client.api(.post, path, token: token, json: Self.body(["F_CRS": ConductData.crs(hypotension: true)]))
            #expect(grade2.status == .ok, "\(grade2.text)")
            let crs = grade2.json?["derived"]?["F_CRS/CRS_TMAX"]?.string ?? ""
            #expect(crs.hasPrefix("ASTCT 2019 CRS grade 2"), "\(grade2.text)")
            // Fever alone is grade 1; the same route, the new answer.
            let grade1 = try await client.api(.post, path, token: token, json: Self.body(["F_CRS": ConductData.crs()]))
            #expect(grade1.json?["derived"]?["F_CRS/CRS_TMAX"]?.string?.hasPrefix("ASTCT 2019 CRS grade 1") == true, "\(grade1.text)")
            // Half a form: what is missing, by label, and no grade.
            let partial = try await client.api(.post, path, token: token, json: Self.body(["F_CRS": ["CRS_TMAX": Entry(value: "39.1", unit: "Cel")]]))
            let partialText = partial.json?["derived"]?["F_CRS/CRS_TMAX"]?.string ?? ""
            #expect(partialText.hasPrefix("CRS not graded yet: missing") && !partialText.contains("CRS_HYPOTENSION"), "\(partialText)")
            // ICANS from the ICE score: 6 of 10 with no other finding is grade 2 (shown under the form's first item).
            let icans = try await client.api(.post, path, token: token, json: Self.body(["F_ICANS": ConductData.icans(iceCorrect: 6)]))
            #expect(icans.json?["derived"]?["F_ICANS/ICE_YEAR"]?.string?.hasPrefix("ASTCT 2019 ICANS grade 2") == true, "\(icans.text)")
            // Nothing of it was written.
            #expect(try await server.snapshot() == before)
            // A visit that is not in the schedule, and a role that may not enter data.
            expectErrorShape(try await client.api(.post, "/api/v1/participants/\(p.subjectID)/visits/NOPE/preview", token: token,
                                                  json: Self.body([:])), .notFound, code: "not_found")
            let monitor = try await client.token(.monitor)
            expectErrorShape(try await client.api(.post, path, token: monitor, json: Self.body([:])), .forbidden, code: "forbidden")
        }
    }

    /// A value the save would refuse (platelets 60000 ×10⁹/L: a unit slip) gives no grade; the one it would store does.
    @Test func aValueTheSaveRefusesGivesNoGrade() async throws {
        try await TestServer.run { server, client in
            let p = try await server.infusedParticipant("Ada Lovelace", platelets: "40")
            let token = try await client.token(.coordinator)
            let path = "/api/v1/participants/\(p.subjectID)/visits/D1/preview"
            let slip = try await client.api(.post, path, token: token, json: Self.body(["F_LAB_HEM": ["PLT": Entry(value: "60000", unit: "10*9/L", lln: "125", uln: "350")]]))
            #expect(slip.status == .ok && slip.json?["derived"]?["F_LAB_HEM/PLT"] == nil, "\(slip.text)")
            let ok = try await client.api(.post, path, token: token, json: Self.body(["F_LAB_HEM": ["PLT": Entry(value: "20", unit: "10*9/L", lln: "125", uln: "350")]]))
            #expect(ok.json?["derived"]?["F_LAB_HEM/PLT"]?.string?.contains("grade 4") == true, "\(ok.text)")
        }
    }

    /// The web route carta.js posts to: the visit form's fields with the session's CSRF token give JSON; without the
    /// token it is refused. After a save the page shows the same text under the item, without any script.
    @Test func webPreviewAndTheSavedPageAgree() async throws {
        try await TestServer.run { server, client in
            let p = try await server.infusedParticipant("Ada Lovelace", platelets: "40")
            let session = try #require(try await client.webSignIn(.coordinator, server: server))
            var fields = ConductData.crs(hypotension: true).map { ("item.\($0.key)", $0.value.value) }
            fields.append(("unit.CRS_TMAX", "Cel"))
            let preview = try await client.webPost("/participants/\(p.subjectID)/visits/D1/preview", session: session, fields: fields)
            #expect(preview.status == .ok, "\(preview.text.prefix(300))")
            let text = try #require(preview.json?["derived"]?["F_CRS/CRS_TMAX"]?.string)
            #expect(text.hasPrefix("ASTCT 2019 CRS grade 2"))
            let forged = try await client.webPost("/participants/\(p.subjectID)/visits/D1/preview",
                                                  session: WebSession(cookie: session.cookie, csrf: "forged"), fields: fields)
            #expect(forged.status == .forbidden, "\(forged.status)")
            let coordinator = try await server.principal(.coordinator)
            let now = try await server.services.screening.file(p.subjectID, by: coordinator).participant
            // Day 0 of `infusedParticipant` is the site's today + 15.
            _ = try await server.saveVisit(now, "D1", ["F_VISIT": ["VISIT_DATE": Entry(value: ConductData.siteToday.adding(days: 16).description)],
                                                       "F_CRS": ConductData.crs(hypotension: true)], by: coordinator)
            let page = try await client.webGet("/participants/\(p.subjectID)/visits/D1", session: session)
            #expect(page.text.contains("id=\"grade-CRS_TMAX\" class=\"field__grade\">" + HTMLEscaped.text(text)), "\(text)")
        }
    }
}

/// HTML-escapes like the page renderer, for comparing a derived text with its place in a page.
enum HTMLEscaped {
    static func text(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
    }
}
