import CartaCore
import CartaModel
import CartaServer
@_spi(Testing) import CartaStore
import CartaStudy
import CartaTestSupport
import CartaTrial
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Adverse events for the tests: a mild one and a serious one the site learned of two hours ago.
enum AdverseEventData {
    static func mild() -> AdverseEventService.Input {
        AdverseEventService.Input(term: "Fever", grade: 1, onset: ConductData.siteToday.description, causalityLymphodepletion: "possible",
                                  causalityCART: "probable", causalityITP: "unrelated", action: "none")
    }
    static func serious(awareHoursAgo: Double = 2) -> AdverseEventService.Input {
        let aware = Date().addingTimeInterval(-awareHoursAgo * 3600).formatted(.iso8601)
        return AdverseEventService.Input(term: "10052015", grade: 3, onset: ConductData.siteToday.description, seriousCriteria: ["hospitalisation"],
                                         awareAt: aware, causalityLymphodepletion: "unlikely", causalityCART: "related", causalityITP: "unrelated",
                                         action: "dose_held", outcome: "recovering")
    }
    static func json(_ i: AdverseEventService.Input) -> JSON {
        var o: [String: JSON] = ["term": .string(i.term), "grade": .number(Double(i.grade)), "onset": .string(i.onset),
                                 "causalityLymphodepletion": .string(i.causalityLymphodepletion), "causalityCART": .string(i.causalityCART),
                                 "causalityITP": .string(i.causalityITP)]
        if let c = i.seriousCriteria { o["seriousCriteria"] = .array(c.map(JSON.string)) }
        if let a = i.awareAt { o["awareAt"] = .string(a) }
        if let a = i.action { o["action"] = .string(a) }
        if let a = i.outcome { o["outcome"] = .string(a) }
        if let a = i.specify { o["specify"] = .string(a) }
        if let a = i.resolution { o["resolution"] = .string(a) }
        return .object(o)
    }
}

/// The adverse-event log (issue 8 scope 7): CTCAE v5.0 coding with the grades each term has, ICH E2A
/// seriousness, the 24-hour SAE clock on the today screen until the report, changes with a reason, and the
/// CRS/ICANS episodes — through the API and the web page, on both engines.
@Suite("Adverse events")
struct AdverseEventTests {
    @Test func theTermListIsNCIsWholeList() {
        let list = CTCAETermList.shared
        #expect(list.terms.count == 837)
        #expect(Set(list.terms.map(\.meddraCode)).count == 837)
        let plt = list.term("Platelet count decreased")
        #expect(plt?.meddraCode == "10035528" && plt?.grades[3] == "<25,000/mm3; <25.0 x 10e9 /L" && plt?.has(grade: 5) == false)
        #expect(list.term("10052015")?.term == "Cytokine release syndrome")
        #expect(list.term("Febrile neutropenia")?.definedGrades == [3, 4, 5])
        #expect(list.search("cytokine").first?.term == "Cytokine release syndrome")
    }

    @Test(arguments: TestDatabase.engines)
    func recordedCheckedChangedAndReported(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            let p = try await server.enrol(try await server.signedEligibleParticipant())
            let token = try await client.token(.coordinator)
            let base = "/api/v1/participants/\(p.subjectID)/adverse-events"
            // Each bad field is named, nothing is written.
            let before = try await server.snapshot()
            var bad = AdverseEventData.mild()
            bad.term = "Cytokine releas"
            let unknown = try await client.api(.post, base, token: token, json: AdverseEventData.json(bad))
            expectErrorShape(unknown, .unprocessableContent, code: "invalid_input", field: "term")
            #expect(unknown.text.contains("did you mean Cytokine release syndrome"), "\(unknown.text)")
            bad = AdverseEventData.mild()
            bad.term = "Platelet count decreased"; bad.grade = 5
            let noGrade = try await client.api(.post, base, token: token, json: AdverseEventData.json(bad))
            #expect(noGrade.status == .unprocessableContent && noGrade.text.contains("Platelet count decreased has no grade 5 in CTCAE v5.0; its grades are 1, 2, 3, 4"), "\(noGrade.text)")
            bad = AdverseEventData.serious(); bad.awareAt = nil
            let noClock = try await client.api(.post, base, token: token, json: AdverseEventData.json(bad))
            expectErrorShape(noClock, .unprocessableContent, code: "invalid_input", field: "awareAt")
            bad = AdverseEventData.mild(); bad.onset = ConductData.siteToday.adding(days: 2).description
            expectErrorShape(try await client.api(.post, base, token: token, json: AdverseEventData.json(bad)), .unprocessableContent, field: "onset")
            #expect(try await server.snapshot() == before)

            let mild = try await client.api(.post, base, token: token, json: AdverseEventData.json(AdverseEventData.mild()))
            #expect(mild.status == .created && mild.json?["number"]?.number == 1, "\(mild.text)")
            let seriousInput = AdverseEventData.serious()
            let serious = try await client.api(.post, base, token: token, json: AdverseEventData.json(seriousInput))
            #expect(serious.status == .created && serious.json?["number"]?.number == 2 && serious.json?["meddraCode"]?.string == "10052015")
            // The clock: 24 h from awareness two hours ago → 21 whole hours left, shown on the today screen.
            let log = try await client.api(.get, base, token: token)
            let clock = try #require(log.json?["saeClocks"]?.array?.first)
            #expect(clock["state"]?.string == "open" && clock["hoursLeft"]?.number == 21 && clock["number"]?.number == 2, "\(log.text)")
            let today = try await client.api(.get, "/api/v1/today", token: token)
            let alert = try #require(today.json?["participants"]?[0]?["alerts"]?.array?.first)
            #expect(alert["key"]?.string == "sae:AE-2" && alert["severity"]?.string == "high" && alert["text"]?.string?.contains("within 21 h") == true)
            let ack = try await client.api(.post, "/api/v1/participants/\(p.subjectID)/alerts/acknowledgement", token: token, json: ["key": "sae:AE-2"])
            expectErrorShape(ack, .conflict, code: "invalid_state")

            // A change needs a reason and the current version; each changed field is audited with it.
            var worse = seriousInput
            worse.grade = 4
            let noReason = try await client.api(.put, base + "/2", token: token, json: ["version": 1, "event": AdverseEventData.json(worse)])
            expectErrorShape(noReason, .unprocessableContent, code: "invalid_input", field: "reason")
            let stale = try await client.api(.put, base + "/2", token: token,
                                             json: ["version": 7, "reason": ["code": "new_information", "text": "ICU"], "event": AdverseEventData.json(worse)])
            expectErrorShape(stale, .conflict, code: "conflict")
            let changed = try await client.api(.put, base + "/2", token: token,
                                               json: ["version": 1, "reason": ["code": "new_information", "text": "moved to ICU"], "event": AdverseEventData.json(worse)])
            #expect(changed.status == .ok && changed.json?["version"]?.number == 2 && changed.json?["grade"]?.number == 4, "\(changed.text)")
            let trail = try await server.store.auditTrail(entity: .adverseEvent, entityID: p.id.rawValue)
            #expect(trail.contains { $0.field == "AE-2.grade" && $0.oldValue == "3" && $0.newValue == "4" && $0.reason == "new_information: moved to ICU" })
            #expect(trail.filter { $0.field.hasPrefix("AE-2.") && $0.reason != nil }.count == 1, "only the grade changed")

            let reported = try await client.api(.post, base + "/2/report", token: token, json: [:])
            #expect(reported.status == .ok && reported.json?["reportedAt"] != nil, "\(reported.text)")
            let twice = try await client.api(.post, base + "/2/report", token: token, json: [:])
            expectErrorShape(twice, .conflict, code: "invalid_state")
            let notSerious = try await client.api(.post, base + "/1/report", token: token, json: [:])
            expectErrorShape(notSerious, .conflict, code: "invalid_state")
            let after = try await client.api(.get, base, token: token)
            #expect(after.json?["saeClocks"]?.array?.first?["state"]?.string == "met")
            let todayAfter = try await client.api(.get, "/api/v1/today", token: token)
            #expect(!(todayAfter.json?["participants"]?[0]?["alerts"]?.array ?? []).contains { $0["key"]?.string == "sae:AE-2" })
            // A monitor reads the log but records nothing.
            let monitor = try await client.token(.monitor)
            #expect(try await client.api(.get, base, token: monitor).status == .ok)
            expectErrorShape(try await client.api(.post, base, token: monitor, json: AdverseEventData.json(AdverseEventData.mild())), .forbidden)
        }
    }

    @Test func thePageListsRecordsAndReports() async throws {
        try await TestServer.run { server, client in
            let p = try await server.enrol(try await server.signedEligibleParticipant())
            let session = try await client.webSignIn(.coordinator, server: server)
            let path = "/participants/\(p.subjectID)/adverse-events"
            let empty = try await client.webGet(path, session: session)
            #expect(empty.status == .ok && empty.text.contains("id=\"ae-form\"") && empty.text.contains("<option value=\"Cytokine release syndrome\">"))
            let bad = try await client.webPost(path, session: session, fields: [("term", "Fever"), ("grade", "1"), ("onset", "yesterday"),
                                                                                 ("causality_ld", "possible"), ("causality_cart", ""), ("causality_itp", "unrelated")])
            #expect(bad.status == .unprocessableContent && bad.text.contains("id=\"ae-errors\"") && bad.text.contains("onset must be a date")
                    && bad.text.contains("causalityCART is required"), "\(bad.text.prefix(3000))")
            #expect(bad.text.contains("value=\"Fever\""), "what was typed stays")
            // The empty form preselects no grade, and a form sent without one is refused rather than saved as grade 1.
            #expect(empty.text.contains(#"<select id="ae-grade" name="grade"><option value="" selected>— choose —</option><option value="1">Grade 1</option>"#),
                    "\(empty.text)")
            let ungraded = try await client.webPost(path, session: session, fields: [
                ("term", "Fever"), ("grade", ""), ("onset", ConductData.siteToday.description), ("causality_ld", "unlikely"),
                ("causality_cart", "possible"), ("causality_itp", "unrelated")])
            #expect(ungraded.status == .unprocessableContent && ungraded.text.contains("grade is missing: choose the event&#39;s CTCAE v5.0 grade (Fever has grades 1, 2, 3, 4, 5)."),
                    "\(ungraded.text.prefix(3000))")
            #expect(ungraded.text.contains(#"<option value="" selected>— choose —</option><option value="1">Grade 1</option>"#))
            let aware = Date().addingTimeInterval(-3600).formatted(.iso8601)
            let ok = try await client.webPost(path, session: session, fields: [
                ("term", "Cytokine release syndrome"), ("grade", "3"), ("onset", ConductData.siteToday.description), ("serious", "hospitalisation"),
                ("serious", "life_threatening"), ("aware_at", aware), ("causality_ld", "unlikely"), ("causality_cart", "related"),
                ("causality_itp", "unrelated"), ("action", "dose_held"), ("outcome", "recovering")])
            #expect(ok.status == .seeOther, "\(ok.text.prefix(2000))")
            let listed = try await client.webGet(path, session: session)
            #expect(listed.text.contains("id=\"ae-1\" data-serious=\"true\" data-clock=\"open\"") && listed.text.contains("hospitalisation, life threatening"))
            #expect(listed.text.contains("open: 22 h left") && listed.text.contains("id=\"ae-1-report\""))
            let report = try await client.webPost(path + "/1/report", session: session, fields: [])
            #expect(report.status == .seeOther)
            #expect(try await client.webGet(path, session: session).text.contains("data-clock=\"met\""))
        }
    }
}
