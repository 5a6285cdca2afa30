import CartaCore
import CartaModel
import Foundation
import Testing
@testable import CartaWeb

/// The small decisions the view models make so the templates need no logic.
@Suite struct ModelTests {
    // DESIGN.md §4: rule outcomes met / notMet(reason) / notEvaluable(missing:) shown with icon + word.
    @Test(arguments: [
        (ParticipantPage.Criterion.Outcome.met("Hb 112 g/L ≥ 100 g/L"), "met", "Met", "✓", "Hb 112 g/L ≥ 100 g/L"),
        (.notMet("Hb 92 g/L < 100 g/L"), "not_met", "Not met", "✕", "Hb 92 g/L < 100 g/L"),
        (.notEvaluable(missing: "ALT, AST"), "not_evaluable", "Not evaluable", "?", "Missing: ALT, AST"),
    ])
    func criterionOutcomeIsShownByCodeWordAndIcon(outcome: ParticipantPage.Criterion.Outcome, code: String, word: String, icon: String, reason: String) {
        let c = ParticipantPage.Criterion(id: "E7", inclusion: false, text: "Hb < 100 g/L", outcome: outcome)
        #expect(c.result == code)
        #expect(c.word == word)
        #expect(c.icon == icon)
        #expect(c.reason == reason)
        #expect(c.kind == "Exclusion")
    }

    @Test func criterionRowCarriesIdAndResultForTheBrowserTest() throws {
        let html = try PageRenderer().render(PageFixtures.participant(), layout: PageFixtures.layout())
        #expect(html.contains(#"<tr id="criterion-E7" class="result--not_met" data-result="not_met">"#))
        #expect(html.contains(#"<tr id="criterion-E8" class="result--not_evaluable" data-result="not_evaluable">"#))
        #expect(html.contains(#"<div id="eligibility-verdict" class="verdict verdict--not_eligible" data-verdict="not_eligible" role="status">"#))
    }

    @Test func identityIsShownOnlyWhenTheModelHasIt() throws {
        let renderer = try PageRenderer()
        let withIdentity = try renderer.render(PageFixtures.participant(), layout: PageFixtures.layout())
        let monitor = try renderer.render(PageFixtures.participantMonitor(), layout: PageFixtures.layout())
        #expect(withIdentity.contains("id=\"identity\"") && withIdentity.contains("H-0042"))
        #expect(!monitor.contains("id=\"identity\"") && !monitor.contains("H-0042") && !monitor.contains("Li Wei"))
    }

    @Test func readOnlyScreeningDisablesInputsAndHidesActions() throws {
        let html = try PageRenderer().render(PageFixtures.participantMonitor(), layout: PageFixtures.layout())
        #expect(!html.contains("id=\"save-screening\""))
        // Read-only data is not a form: nothing on the page can post screening data.
        #expect(html.contains(#"<div id="screening-form" class="form form--read-only">"#))
        #expect(!html.contains("action=\"/participants/BCRITP-001/screening\""))
        #expect(!html.contains("id=\"sign-eligibility\"") && !html.contains("id=\"enrol\"") && !html.contains("id=\"screen-fail\""))
        #expect(html.contains(#"<input id="item-HGB" name="item.HGB" type="text" inputmode="decimal" data-kind="number" value="112" autocomplete="off" aria-describedby="help-HGB warning-HGB conflict-HGB" disabled>"#))
        #expect(!html.contains("reason-box-HGB"), "a read-only viewer is offered no reason-for-change controls")
    }

    @Test func unitChoiceOnlyWhenSeveralUnitsAreAllowed() {
        let one = ParticipantPage.FormItem(oid: "ANC", label: "ANC", kind: .number, units: [SelectOption(value: "10*9/L", label: "10*9/L")])
        let two = ParticipantPage.FormItem(oid: "HGB", label: "Hb", kind: .number,
                                           units: [SelectOption(value: "g/L", label: "g/L"), SelectOption(value: "g/dL", label: "g/dL")])
        #expect(one.fixedUnit == "10*9/L" && one.units.isEmpty && !one.hasUnitChoice)
        #expect(two.fixedUnit == nil && two.units.count == 2 && two.hasUnitChoice)
    }

    @Test func itemKindSetsExactlyOneFlagAndYesNoGetsCDISCCodes() {
        for kind in [ParticipantPage.FormItem.Kind.number, .text, .date, .select, .yesNo] {
            let item = ParticipantPage.FormItem(oid: "X", label: "X", kind: kind, value: "N")
            #expect([item.isNumber, item.isText, item.isDate, item.isSelect, item.isYesNo].filter { $0 }.count == 1)
            #expect(item.kind == kind.rawValue)
            if kind == .yesNo {
                #expect(item.choices == [SelectOption(value: "Y", label: "Yes"), SelectOption(value: "N", label: "No", selected: true)])
            }
        }
    }

    @Test func describedByListsHelpErrorAndWarningIds() {
        let item = ParticipantPage.FormItem(oid: "HGB", label: "Hb", kind: .number, error: "bad", warning: "low", help: "h")
        #expect(item.describedBy == "help-HGB error-HGB warning-HGB")
        #expect(item.invalid)
        #expect(ParticipantPage.FormItem(oid: "A", label: "A", kind: .text).describedBy == nil)
    }

    // Audit paging: page 2 of 50 per page with 123 events → 51–100, both links.
    @Test(arguments: [
        (1, 50, 50, 123, "Events 1–50 of 123", nil, "/audit?page=2"),
        (2, 50, 50, 123, "Events 51–100 of 123", "/audit?page=1", "/audit?page=3"),
        (3, 50, 23, 123, "Events 101–123 of 123", "/audit?page=2", nil),
        (1, 50, 0, 0, "No events", nil, nil),
    ] as [(Int, Int, Int, Int, String, String?, String?)])
    func auditPaging(page: Int, pageSize: Int, count: Int, total: Int, range: String, previous: String?, next: String?) {
        let events = (0..<count).map { AuditPage.Event(seq: $0, time: "t", user: "u", source: "web", entity: "e", field: "f", oldValue: "", newValue: "", reason: "") }
        let m = AuditPage.Model(events: events, chain: .verified(count: total), page: page, pageSize: pageSize, total: total)
        #expect(m.rangeText == range)
        #expect(m.previousHref == previous)
        #expect(m.nextHref == next)
    }

    @Test func dashboardProgressAndTarget() {
        let m = DashboardPage.Model(screening: 3, enrolled: 2, screenFailed: 1, target: 5, waiting: [])
        #expect(m.progressText == "2 of 5 enrolled")
        #expect(!m.targetReached && !m.hasWaiting)
        #expect(m.counts.map(\.count) == [3, 2, 1])
        #expect(m.counts.map(\.href) == ["/participants?status=screening", "/participants?status=enrolled", "/participants?status=screen_failed"])
        #expect(DashboardPage.Model(screening: 0, enrolled: 5, screenFailed: 0, target: 5, waiting: []).targetReached)
    }

    @Test func participantsFilterMarksTheActiveStatus() {
        let m = ParticipantsPage.Model(rows: [], status: .screenFailed)
        #expect(m.filters.map(\.key) == ["all", "screening", "enrolled", "screen_failed"])
        #expect(m.filters.filter(\.current).map(\.key) == ["screen_failed"])
        #expect(m.filterDescription == "Status: Screen failed")
    }

    @Test func registerErrorSummaryLinksToEachFieldInError() {
        let m = PageFixtures.register()
        #expect(m.errorSummary.map(\.fieldId) == ["date_of_birth", "hospital_number"])
        #expect(m.hasErrors)
        #expect(!RegisterPage.Model(sites: []).hasErrors)
    }

    @Test func navMarksTheCurrentSection() throws {
        let html = try PageRenderer().render(PageFixtures.audit(), layout: PageFixtures.layout(current: .audit))
        #expect(html.contains(#"<a id="nav-audit" href="/audit" aria-current="page">Audit trail</a>"#))
        #expect(HTMLInspection.count("aria-current=\"page\"", in: html) == 1)
        let signIn = try PageRenderer().render(SignInPage.Model(), layout: PageFixtures.layout(user: false))
        #expect(!signIn.contains("nav-dashboard") && !signIn.contains("id=\"signout\""))
    }

    @Test func navOffersOnlyTheSectionsGiven() throws {
        let layout = LayoutModel(studyId: "NCT05315778", studyTitle: "T", user: SignedInUser(username: "m", role: "monitor"),
                                 csrf: "c", current: .participants, sections: [.dashboard, .participants, .audit])
        let html = try PageRenderer().render(ParticipantsPage.Model(rows: [], status: nil, canRegister: false), layout: layout)
        #expect(html.contains("id=\"nav-participants\"") && html.contains("id=\"nav-audit\""))
        #expect(!html.contains("nav-register") && !html.contains("register-link") && !html.contains("/participants/new"))
        let coordinator = try PageRenderer().render(ParticipantsPage.Model(rows: [], status: nil), layout: PageFixtures.layout())
        #expect(coordinator.contains("id=\"register-link\"") && coordinator.contains("id=\"nav-register\""))
    }

    @Test(arguments: [
        ("BCRITP-001", "/participants/BCRITP-001"),
        ("A/B", "/participants/A%2FB"),
        ("é?", "/participants/%C3%A9%3F"),
    ])
    func participantPathsArePercentEncoded(subjectId: String, path: String) {
        #expect(WebPaths.participant(subjectId) == path)
        #expect(WebPaths.screening(subjectId) == path + "/screening")
    }

    /// Swimmer marks on the same day (CRS and ICANS starting together) stand side by side, each still readable.
    @Test func swimmerMarksOnOneDayDoNotOverlap() throws {
        var o = PageFixtures.outcomes()
        o.participants[0].crsOnsetDay = 3
        o.participants[0].icansOnsetDay = 3
        let svg = ReportPlots.swimmer(o)
        func x(of letter: String) throws -> String {
            let mark = try #require(svg.components(separatedBy: "<text class=\"swim-mark\" x=\"").dropFirst().first { $0.contains("</title>\(letter)</text>") })
            return String(mark.prefix { $0 != "\"" })
        }
        let c = try x(of: "C"), i = try x(of: "I")
        #expect(abs(Double(i)! - Double(c)! - 9) < 0.01, "C at \(c), I at \(i)")
    }

    /// Lines ending at the same day and value (two participants' last bleeding scores of 1 on day 7) get end labels
    /// that do not print over each other; a label with room stays at its line's end.
    @Test func endLabelsOfLinesEndingTogetherDoNotOverlap() throws {
        var o = PageFixtures.outcomes()
        let bleed = try #require(o.participants[0].sources.first { $0.formOID == "F_BLEED" })
        o.participants[1].sources.append(bleed)
        let svg = ReportPlots.bleeding(o)
        let labels: [ReportPlots.EndLabel] = svg.components(separatedBy: "<text class=\"plot-label\" x=\"").dropFirst().map { part in
            let x = Double(part.prefix { $0 != "\"" })!
            let y = Double(part.components(separatedBy: "y=\"")[1].prefix { $0 != "\"" })!
            let text = String(part.components(separatedBy: "\">")[1].prefix { $0 != "<" })
            return ReportPlots.EndLabel(x: x, y: y, text: text, colour: "")
        }
        #expect(labels.map(\.text) == ["BCRITP-001", "BCRITP-002"])
        #expect(labels[0].x == labels[1].x, "both lines end on day 7")
        #expect(!labels[0].overlaps(labels[1]), "\(labels)")
        #expect(abs(labels[0].y - labels[1].y) == ReportPlots.EndLabel.lineHeight, "moved by one line, no further")

        let frame = ReportPlots.Frame(id: "p", title: "", description: "", xMin: 0, xMax: 100, yMin: 0, yMax: 10, xLabel: "", yLabel: "")
        let apart = [ReportPlots.EndLabel(x: 100, y: 100, text: "A", colour: ""), ReportPlots.EndLabel(x: 100, y: 200, text: "B", colour: "")]
        #expect(ReportPlots.placed(apart, frame: frame) == apart)
        // At the bottom of the plot a crowded label goes up, never below the axis.
        let bottom = frame.top + frame.plotH + 4
        let low = ReportPlots.placed([.init(x: 100, y: bottom, text: "A", colour: ""), .init(x: 100, y: bottom, text: "B", colour: "")], frame: frame)
        #expect(low.map(\.y) == [bottom, bottom - ReportPlots.EndLabel.lineHeight])
    }

    /// The report says in words what ended a duration of response; the engine's code stays in the CSV tables.
    @Test(arguments: [("loss", true, "event: loss of response"), ("death", true, "event: death"),
                      ("lastEvaluableAssessment", false, "censored: last evaluable assessment"),
                      ("newITPTherapy", false, "censored: new ITP therapy")])
    func durationEndIsWritten(end: String, event: Bool, words: String) {
        #expect(ReportPage.durationEnd(.init(days: 10, event: event, end: end)) == words)
    }

    /// Twice a baseline of 13 (26) lies next to the 30 line: its label moves a line down instead of printing over
    /// "30 (partial response)"; a label with room stays just above its line.
    @Test func timelineThresholdLabelsDoNotOverlap() throws {
        let d0 = ClinicalDate(iso: "2026-12-20")!
        let chart = TimelinePage.build(.init(
            subjectId: "BCRITP-002", dayZero: d0, provisional: false, visits: [], doses: [],
            platelets: [.init(date: d0.adding(days: 7), value: 12, label: "12 at D7")], baselinePlatelets: 13, crs: [], icans: [],
            today: d0.adding(days: 21))).chartHTML
        func labelY(_ text: String) throws -> Double {
            let before = try #require(chart.components(separatedBy: "\" text-anchor=\"end\">\(text)</text>").first)
            return try #require(Double(before.components(separatedBy: "y=\"").last!))
        }
        func lineY(_ id: String) throws -> Double {
            let after = try #require(chart.components(separatedBy: "<line id=\"\(id)\"").dropFirst().first)
            return try #require(Double(after.components(separatedBy: "y1=\"")[1].prefix { $0 != "\"" }))
        }
        let thirty = try labelY("30 (partial response)"), twice = try labelY("2 × baseline (26)")
        #expect(thirty == (try lineY("threshold-30")) - 3)
        #expect(twice - thirty >= TimelinePage.thresholdLabelHeight, "30 at \(thirty), 2 × baseline at \(twice)")
        #expect(try labelY("100 (complete response)") == (try lineY("threshold-100")) - 3)
    }

    /// The dashboard's conduct summary in words, singular and plural, with the urgent lines marked.
    @Test func conductSummaryReadsAsSentences() {
        let none = DashboardPage.conductItems(alerts: 0, participantsWithAlerts: 0, dueToday: 0, overdue: 0, openQueries: 0, answeredQueries: 0)
        #expect(none.map(\.text) == ["No alerts to acknowledge", "No overdue visits", "No visit due today", "No open queries"])
        #expect(none.allSatisfy { !$0.urgent })
        let one = DashboardPage.conductItems(alerts: 1, participantsWithAlerts: 1, dueToday: 1, overdue: 1, openQueries: 1, answeredQueries: 1)
        #expect(one.map(\.text) == ["1 alert to acknowledge for 1 participant", "1 overdue visit", "1 visit due today",
                                    "1 open query, 1 answer awaiting review"])
        #expect(one.map(\.urgent) == [true, true, false, false])
        let many = DashboardPage.conductItems(alerts: 4, participantsWithAlerts: 2, dueToday: 3, overdue: 2, openQueries: 0, answeredQueries: 2)
        #expect(many.map(\.text) == ["4 alerts to acknowledge for 2 participants", "2 overdue visits", "3 visits due today",
                                     "0 open queries, 2 answers awaiting review"])
        #expect(many.map(\.href) == ["/today?show=attention", "/today?show=attention", "/today?show=attention", "/queries"])
        // A monitor cannot acknowledge: the alerts are the site's to do.
        let monitor = DashboardPage.conductItems(alerts: 4, participantsWithAlerts: 2, dueToday: 0, overdue: 0, openQueries: 0, answeredQueries: 0,
                                                 acknowledges: false)
        #expect(monitor.first?.text == "4 alerts awaiting the site's acknowledgement for 2 participants")
        #expect(DashboardPage.conductItems(alerts: 0, participantsWithAlerts: 0, dueToday: 0, overdue: 0, openQueries: 0, answeredQueries: 0,
                                           acknowledges: false).first?.text == "No alerts awaiting the site's acknowledgement")
        // Before anyone is enrolled there is nothing to conduct: the summary is left out.
        #expect(!DashboardPage.build(participants: [], inScreening: [], target: 5, conduct: many).hasConduct)
    }

    /// The trail shortens generated UUIDs only; user names and other IDs are shown whole.
    @Test func auditEntityIDsAreShortenedOnlyWhenGenerated() {
        #expect(AuditPage.shortEntityID("d7189208-9863-4c5e-a1b2-0e146085f960") == "d7189208…")
        #expect(AuditPage.shortEntityID("demo-coordinator") == "demo-coordinator")
        #expect(AuditPage.shortEntityID("NCT05315778") == "NCT05315778")
        #expect(AuditPage.shortEntityID("not-a-uuid-but-thirty-six-characters") == "not-a-uuid-but-thirty-six-characters")
    }

    /// The today screen pages its cards by 100 and counts both views; a page past the last shows the last.
    @Test func todayPagesAndCountsItsViews() {
        let rows = Array(0..<250)
        let first = TodayPage.paged(rows, show: .all, page: 1) { $0 % 2 == 0 }
        #expect(first.rows == rows[0..<100] && first.rangeText == "Participants 1–100 of 250")
        #expect(first.previousHref == nil && first.nextHref == "/today?page=2")
        #expect(first.views.map(\.count) == [250, 125] && first.views.map(\.current) == [true, false])
        let last = TodayPage.paged(rows, show: .all, page: 7) { $0 % 2 == 0 }
        #expect(last.page == 3 && Array(last.rows) == Array(200..<250) && last.nextHref == nil && last.previousHref == "/today?page=2")
        let attention = TodayPage.paged(rows, show: .attention, page: 2) { $0 % 2 == 0 }
        #expect(Array(attention.rows) == Array(stride(from: 200, to: 250, by: 2)) && attention.rangeText == "Participants 101–125 of 125")
        #expect(attention.previousHref == "/today?show=attention" && attention.nextHref == nil)
        let few = TodayPage.paged(Array(0..<5), show: .attention, page: 1) { _ in false }
        #expect(few.rows.isEmpty && few.rangeText == nil && few.page == 1)
        #expect(TodayPage.Model(date: "d", csrf: "c", rows: [], show: "attention").emptyText.hasPrefix("Nobody needs attention today"))
    }

    /// The swimmer bar shows the time in response: from the response day to the end of the duration of response.
    @Test func swimmerShowsTheTimeInResponse() throws {
        let o = PageFixtures.outcomes()
        let svg = ReportPlots.swimmer(o)
        // The responder: response on day 28, a censored duration of 152 days → in response to day 180.
        let segment = try #require(svg.components(separatedBy: "<rect id=\"swim-response-0\"").dropFirst().first)
        #expect(segment.contains("BCRITP-001: in response from day 28 to day 180"), "\(segment)")
        #expect(!svg.contains("swim-response-1"), "the non-responder has none")
    }

    /// Pages of a list: the slice, the clamping past either end, the range text and the neighbours' addresses.
    @Test(arguments: [
        (0, 1, 1, 0..<0, nil as String?),
        (5, 1, 1, 0..<5, nil),
        (100, 1, 1, 0..<100, nil),
        (101, 2, 2, 100..<101, "Participants 101–101 of 101"),
        (250, 2, 2, 100..<200, "Participants 101–200 of 250"),
        (250, 9, 3, 200..<250, "Participants 201–250 of 250"),
        (250, 0, 1, 0..<100, "Participants 1–100 of 250"),
    ])
    func pagerSlicesAndClamps(total: Int, asked: Int, shown: Int, range: Range<Int>, text: String?) {
        let pager = Pager(total: total, page: asked, size: 100)
        #expect(pager.page == shown && pager.range == range && pager.rangeText("Participants") == text)
        let around = pager.neighbours { "p\($0)" }
        #expect(around.previous == (shown > 1 ? "p\(shown - 1)" : nil) && around.next == (shown < pager.pages ? "p\(shown + 1)" : nil))
    }

    /// The participant list shows 100 rows a page, filtered first, with links that keep the filter.
    @Test func participantListIsPaged() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let participants = (1...250).map { n in
            Participant(id: ParticipantID(rawValue: "p\(n)"), studyID: "NCT05315778", subjectID: SubjectID(rawValue: String(format: "BCRITP-%03d", n)),
                        sequenceNumber: n, siteID: "SUZHOU", status: n % 2 == 0 ? .enrolled : .screenFailed, version: 1, createdAt: now,
                        updatedAt: now, updatedBy: "cora", enrolledAt: nil, screenFailureReasons: [])
        }
        let all = ParticipantsPage.build(participants: participants, inScreening: [], status: nil, siteName: { $0.rawValue }, role: .coordinator, page: 2)
        #expect(all.rows.map(\.subjectId).first == "BCRITP-101" && all.rows.count == 100)
        #expect(all.rangeText == "Participants 101–200 of 250" && all.previousHref == "/participants" && all.nextHref == "/participants?page=3")
        #expect(all.rows.first?.nextAction == "Screen failed" && all.rows.dropFirst().first?.nextAction == "Enrolled — follow the visit schedule")
        let enrolled = ParticipantsPage.build(participants: participants, inScreening: [], status: .enrolled, siteName: { $0.rawValue }, role: .coordinator, page: 2)
        #expect(enrolled.rows.map(\.subjectId) == (101...125).map { String(format: "BCRITP-%03d", $0 * 2) })
        #expect(enrolled.previousHref == "/participants?status=enrolled" && enrolled.nextHref == nil)
        // A subject ID fragment narrows the list (any case), and the pager's links keep it.
        let found = ParticipantsPage.build(participants: participants, inScreening: [], status: nil, siteName: { $0.rawValue }, role: .coordinator,
                                           subject: "itp-2")
        #expect(found.rows.map(\.subjectId) == (200...250).map { String(format: "BCRITP-%03d", $0) } && found.nextHref == nil)
        #expect(found.filterDescription == "All participants · subject ID contains “itp-2”")
        let paged = ParticipantsPage.build(participants: participants, inScreening: [], status: nil, siteName: { $0.rawValue }, role: .coordinator,
                                           subject: "bcritp")
        #expect(paged.rows.count == 100 && paged.nextHref == "/participants?subject=bcritp&page=2", "any case; the pager keeps the search")
        let exact = ParticipantsPage.build(participants: participants, inScreening: [], status: .enrolled, siteName: { $0.rawValue }, role: .coordinator,
                                           subject: "017")
        #expect(exact.rows.isEmpty && exact.statusCode == "enrolled", "BCRITP-017 is screen-failed, so not among the enrolled")
        let one = ParticipantsPage.build(participants: Array(participants.prefix(3)), inScreening: [], status: nil, siteName: { $0.rawValue }, role: .coordinator)
        #expect(one.rangeText == nil && one.previousHref == nil && one.nextHref == nil && one.rows.count == 3)
    }
}
