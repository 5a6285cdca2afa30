import CartaCore
import CartaModel
import CartaServer
@_spi(Testing) import CartaStore
import CartaTestSupport
import CartaTrial
import Foundation
import Testing

/// The casebook a coordinator can live in (issue 8 scope 11): the enrolled participant's record in sections
/// with a section bar, the open alerts kept beside every visit form and each alert and criterion linking to
/// its fields, and saves that return to the section edited.
@Suite("Record sections and linked alerts")
struct RecordSectionsTests {
    /// The fields an HTML page links to with `href="…#<id>"` within `html`, and whether each exists as an id.
    static func anchors(_ html: Substring, prefix: String) -> [String] {
        var out: [String] = []
        var rest = html[...]
        while let r = rest.range(of: "href=\"\(prefix)") {
            let tail = rest[r.upperBound...]
            guard let end = tail.firstIndex(of: "\"") else { break }
            out.append(String(tail[..<end]))
            rest = tail[end...]
        }
        return out
    }

    /// Each alert says which visit and field it is about (API): the count's item, the missed day's visit.
    @Test(arguments: TestDatabase.engines)
    func alertsNameTheirVisitAndField(engine: DatabaseEngine) async throws {
        let base = ConductData.siteToday
        let now = Date(timeIntervalSince1970: Double(base.adding(days: 21).dayNumber) * 86_400 + 4 * 3600)
        try await TestServer.run(engine, instant: { now }) { server, client in
            _ = try await server.infusedParticipant("Ada Lovelace", platelets: "12")
            let token = try await client.token(.coordinator)
            let today = try await client.api(.get, "/api/v1/today", token: token)
            let alerts = try #require(today.json?["participants"]?[0]?["alerts"]?.array)
            let platelets = try #require(alerts.first { $0["key"]?.string == "platelets:D0:12" })
            #expect(platelets["visitID"]?.string == "D0" && platelets["field"]?.string == "item-PLT", "\(platelets)")
            let missed = alerts.filter { $0["key"]?.string?.hasPrefix("deviation:schedule.daily_assessment_missed:") == true }
            #expect(missed.count == 5, "\(alerts)")
            for m in missed { #expect(m["key"]?.string?.hasSuffix(":" + (m["visitID"]?.string ?? "?")) == true && m["field"] == nil, "\(m)") }
        }
    }

    /// The today screen and every visit page link each alert to its data, the link's target exists on the visit
    /// page, and an acknowledged alert leaves the visit pages too (web pages on the real clock, as `TodayTests`).
    @Test func alertsStayBesideTheFormsAndLinkToTheirData() async throws {
        try await TestServer.run { server, client in
            let p = try await server.infusedParticipant("Ada Lovelace", platelets: "12")
            let s = p.subjectID.rawValue
            let session = try await client.webSignIn(.coordinator, server: server)
            let target = "/participants/\(s)/visits/D0#item-PLT"
            let todayPage = try await client.webGet("/today", session: session)
            #expect(todayPage.text.contains("id=\"alert-\(s)-1-data\" class=\"alert__data\" href=\"\(target)\""), "\(todayPage.text)")
            // Beside the form of any visit, not only the one that raised it; the D0 page holds the linked control.
            let d3 = try await client.webGet("/participants/\(s)/visits/D3", session: session)
            #expect(d3.status == .ok && d3.text.contains("id=\"visit-alerts\""))
            #expect(d3.text.contains("data-key=\"platelets:D0:12\">Platelets 12 ×10⁹/L at D0"), "\(d3.text)")
            #expect(d3.text.contains("href=\"\(target)\">Go to the data</a>"))
            let d0 = try await client.webGet("/participants/\(s)/visits/D0", session: session)
            #expect(d0.text.contains("id=\"item-PLT\""))
            let token = try await client.token(.coordinator)
            let ack = try await client.api(.post, "/api/v1/participants/\(s)/alerts/acknowledgement", token: token, json: ["key": "platelets:D0:12"])
            #expect(ack.status == .ok, "\(ack.text)")
            let after = try await client.webGet("/participants/\(s)/visits/D3", session: session)
            #expect(!after.text.contains("data-key=\"platelets:D0:12\"") && after.text.contains("id=\"visit-alerts\""))
        }
    }

    /// A participant without open alerts gets the panel saying so, never an empty list.
    @Test func visitPageSaysWhenNothingIsOpen() async throws {
        try await TestServer.run { server, client in
            let p = try await server.enrol(try await server.signedEligibleParticipant())
            let session = try await client.webSignIn(.coordinator, server: server)
            let page = try await client.webGet("/participants/\(p.subjectID)/visits/APH", session: session)
            #expect(page.status == .ok && page.text.contains("id=\"visit-alerts\"") && page.text.contains("None for \(p.subjectID)."))
            #expect(!page.text.contains("id=\"visit-alert-1\""))
        }
    }

    /// The enrolled participant's page: a section bar, then product, dosing, visits, safety and the outcomes so far,
    /// the last being the report's own derivation for this participant.
    @Test(arguments: TestDatabase.engines)
    func enrolledRecordIsInSections(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            let p = try await server.infusedParticipant("Ada Lovelace", platelets: "12")
            let s = p.subjectID.rawValue
            let session = try await client.webSignIn(.coordinator, server: server)
            let page = try await client.webGet("/participants/\(s)", session: session)
            #expect(page.status == .ok)
            let html = page.text
            let nav = try #require(html.range(of: "id=\"record-sections\"")).lowerBound
            // In this order, each section once, and every bar link lands on a section of the page (or the AE log).
            var last = nav
            for id in ["course", "product", "dosing", "visits-section", "safety", "outcomes", "eligibility", "monitoring"] {
                let at = try #require(html.range(of: "id=\"\(id)\""), "no section \(id)").lowerBound
                if id != "eligibility" && id != "monitoring" { #expect(at > last, "\(id) out of order"); last = at }
                #expect(html.components(separatedBy: "id=\"\(id)\"").count == 2, "\(id) twice")
            }
            let bar = html[nav...].prefix { $0 != "\n" }
            #expect(Self.anchors(bar, prefix: "#").sorted() == ["dosing", "eligibility", "monitoring", "outcomes", "product", "safety", "visits-section"])
            #expect(bar.contains("href=\"/participants/\(s)/adverse-events\""))
            // Dosing links the visits that record doses; safety holds the open alerts with their data links.
            let dosing = html[try #require(html.range(of: "id=\"dosing\"")).lowerBound...]
            #expect(dosing.prefix(3000).contains("href=\"/participants/\(s)/visits/LD1\"") && dosing.prefix(3000).contains("href=\"/participants/\(s)/visits/D0\""))
            let safety = html[try #require(html.range(of: "id=\"safety\"")).lowerBound...].prefix(6000)
            #expect(safety.contains("data-key=\"platelets:D0:12\"") && safety.contains("href=\"/participants/\(s)/visits/D0#item-PLT\""))
            // Outcomes so far equal the report's row for this participant.
            let statistician = try await server.principal(.statistician)
            let derived = try await server.services.runtime.outcomes.derive(by: statistician)
            let row = try #require(derived.participants.first { $0.subjectID == s })
            let outcomes = html[try #require(html.range(of: "id=\"outcome-lines\"")).lowerBound...].prefix(3000)
            #expect(outcomes.contains("<dt>Best response so far</dt><dd>\(row.bestOverallResponse ?? "not evaluable yet")</dd>"), "\(outcomes)")
            #expect(outcomes.contains("<dt>Baseline platelets</dt><dd>\(row.baseline.map { TodayService.number($0) + " ×10⁹/L" } ?? "none (no count before lymphodepletion)")</dd>"))
            // Day 0 lies ahead on the real clock: Month 6 is not reached, so no verdict is shown for it.
            #expect(outcomes.contains("<dt>Month 6</dt><dd>not reached (Day 183,"), "\(outcomes)")
        }
    }

    /// Each criterion links to the screening fields it reads, every link lands on a control of the page (yes/no
    /// items included, through their group's id), and the glance beside the form carries the same links.
    @Test func criteriaLinkToTheirFields() async throws {
        try await TestServer.run { server, client in
            let p = try await server.register()
            let session = try await client.webSignIn(.coordinator, server: server)
            let page = try await client.webGet("/participants/\(p.subjectID)", session: session)
            let html = page.text
            let checklist = html[try #require(html.range(of: "id=\"eligibility\"")).lowerBound...]
            let table = checklist[..<(try #require(checklist.range(of: "</table>")).lowerBound)]
            let links = Self.anchors(table, prefix: "#item-")
            #expect(links.count >= 10, "\(links)")
            for oid in Set(links) { #expect(html.contains("id=\"item-\(oid)\""), "a criterion links to #item-\(oid), which is not on the page") }
            let e7 = table[try #require(table.range(of: "id=\"criterion-E7\"")).lowerBound...].prefix(2000)
            #expect(e7.contains("href=\"#item-HGB\""), "\(e7)")
            // A yes/no item is reached through its group.
            #expect(html.contains("<fieldset id=\"item-E1_SECONDARY_ITP\" class=\"item__choice\""))
            // The age criterion reads the consent date (the date of birth is identifying and not a form field).
            let i2 = table[try #require(table.range(of: "id=\"criterion-I2\"")).lowerBound...].prefix(2000)
            #expect(i2.contains("href=\"#item-CONSENT_DATE\""))
            let glance = html[try #require(html.range(of: "id=\"eligibility-glance\"")).lowerBound...]
            let asideEnd = try #require(glance.range(of: "</aside>")).lowerBound
            #expect(glance.contains("id=\"glance-E7\""))
            #expect(Set(Self.anchors(glance[..<asideEnd], prefix: "#item-")) == Set(links))
        }
    }

    /// After a save the page returns to the section edited: screening data, the signature, enrolment.
    @Test func savesReturnToTheSectionEdited() async throws {
        try await TestServer.run { server, client in
            let p = try await server.enterEligibleData(try await server.register().subjectID)
            let coordinator = try await client.webSignIn(.coordinator, server: server)
            let saved = try await client.webPost("/participants/\(p.subjectID)/screening", session: coordinator,
                                                 fields: [("item.ECOG", "1"), ("reason.ECOG", "new_information"), ("version", "\(p.version)")])
            #expect(saved.status == .seeOther && saved.headers[.location] == "/participants/\(p.subjectID)#screening", "\(saved.status) \(saved.text.prefix(500))")
            let version = try await server.services.screening.file(p.subjectID, by: try await server.principal(.coordinator)).participant.version
            let investigator = try await client.webSignIn(.investigator, server: server)
            let signed = try await client.webPost("/participants/\(p.subjectID)/eligibility/sign", session: investigator, fields: [
                ("decision", "eligible"), ("password", Caller.investigator.password), ("acknowledge_binding", "yes"), ("version", "\(version)")])
            #expect(signed.status == .seeOther && signed.headers[.location] == "/participants/\(p.subjectID)#eligibility", "\(signed.status) \(signed.text.prefix(500))")
            let now = try await server.services.screening.file(p.subjectID, by: try await server.principal(.investigator)).participant.version
            let enrolled = try await client.webPost("/participants/\(p.subjectID)/enrol", session: investigator, fields: [("version", "\(now)")])
            #expect(enrolled.status == .seeOther && enrolled.headers[.location] == "/participants/\(p.subjectID)#course", "\(enrolled.status)")
        }
    }
}
