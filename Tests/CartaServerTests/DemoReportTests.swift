import CartaCore
import CartaModel
import CartaServer
@_spi(Testing) import CartaStore
import CartaStudy
import CartaTestSupport
import CartaTrial
import CartaWeb
import Foundation
import Synchronization
import Hummingbird
import HummingbirdTesting
import Testing

/// The synthetic cohort (issue 9 scope 3) and the study report (scope 2): the demo goes through the
/// audited services, is deterministic for its seed, marks the database synthetic and refuses a database
/// with participants; the report page and file show every plot, labelled, and the report's Kaplan–Meier
/// is the `km` calculator's.
@Suite("Demo cohort and study report")
struct DemoReportTests {
    /// Fills a fresh database of `engine` with the demo and returns the derived outcomes (as the statistician).
    static func demo(_ engine: DatabaseEngine, participants: Int, seed: UInt64,
                     _ body: @escaping @Sendable (TestServer, StudyOutcomes, DemoService.Summary, any TestClientProtocol) async throws -> Void) async throws {
        let clock = DemoClock(Date())
        try await TestServer.run(engine, instant: { clock.now }) { server, client in
            // The test server already has its accounts, so the database is marked synthetic first (as a demo file would be).
            try await server.store.markSynthetic(detail: "test", actor: AuditActor(userID: nil, username: "test", source: .cli), at: Date())
            let today = SiteClock.localDate(of: Date(), in: server.services.runtime.clock.timeZone)
            let summary = try await DemoService(runtime: server.services.runtime, clock: clock).run(participants: participants, seed: seed, today: today, now: Date())
            clock.set(Date())   // the server's clock is the real one again once the replay is over (sessions, sign-in)
            let outcomes = try await server.services.runtime.outcomes.derive(by: try await server.principal(.statistician))
            try await body(server, outcomes, summary, client)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func theDemoFillsAnEmptyDatabaseThroughTheAuditedServices(engine: DatabaseEngine) async throws {
        try await Self.demo(engine, participants: 5, seed: 11) { server, o, summary, client in
            #expect(try await server.store.isSynthetic())
            #expect(summary.participants == 5 && summary.accounts.count == 6 && summary.saves > 100)
            #expect(o.enrolled == 5 && o.treated == 5 && o.participants.allSatisfy { !$0.sources.isEmpty })
            // Steroid tapers and ITP-PAQ answers are entered like the rest: every participant's regimen derives,
            // and everyone answered the baseline questionnaire.
            #expect(o.participants.allSatisfy { $0.concomitantTherapy != nil }, "\(o.participants.map(\.problems))")
            #expect(o.concomitantTherapy?.derived == 5 && o.questionnaire?.visits.first?.completed == 5)
            #expect(o.participants.contains { $0.steroidDose.count > 2 }, "some participant's prednisone is tapered")
            // Every value and adverse event went through the services: each has its audit record, and the chain verifies.
            let report = try await server.store.verifyAudit(full: true, replay: true)
            #expect(report.isIntact, "\(report)")
            let audited = try await server.store.auditTrail(entity: .itemValue, entityID: nil)
            #expect(audited.count >= summary.values)
            #expect(try await server.store.auditTrail(entity: .database, entityID: "synthetic").count == 1)
            // The monitor's part: a question on each Day 3 temperature, answered and closed at the Day 17 visit, except for
            // the participant whose Day 0 was 6 days ago (still open); screening values verified against source. The low
            // neutrophil counts after lymphodepletion raise no query (the study file's softRangeSkips).
            let monitor = try await server.principal(.monitor)
            let queries = try await server.services.runtime.queries.inbox(QueryFilter(), by: monitor)
            #expect(queries.map { "\($0.query.address.eventOID) \($0.query.address.itemOID)" } == Array(repeating: "D3 CRS_TMAX", count: 5),
                    "\(queries.map { "\($0.query.checkID ?? "") \($0.query.address.path)" })")
            #expect(queries.map(\.query.status.rawValue).sorted() == ["closed", "closed", "closed", "closed", "open"])
            #expect(!queries.contains { $0.query.checkID == "RANGE_ANC" })
            // The adverse-event log grades the neutropenia as the lab values do (grade 4 for everyone).
            let neutropenia = o.adverseEventsByTerm.first { $0.term == "Neutrophil count decreased" }
            #expect(neutropenia?.byWorstGrade == [0, 0, 0, 5, 0], "\(String(describing: neutropenia))")
            #expect(o.participants.allSatisfy { $0.labWorsening.contains { $0.term == "Neutrophil count decreased" && $0.worstGrade == 4 } })
            let progress = try await server.services.runtime.sourceVerification.progress(by: monitor).participants
            #expect(progress.count == 5 && progress.filter { $0.overall.verified > 0 }.count == 4, "\(progress.map(\.overall))")
            // The today screen lists a participant whose study ended (the demo's first completed Month 6) as off study, after
            // those still on study when neither needs attention: on the web card, in the API and in the service's order.
            let coordinator = try await server.principal(.coordinator)
            let rows = try await server.services.runtime.today.today(by: coordinator)
            let ended = rows.filter { $0.endOfStudy != nil }
            #expect(ended.map { "\($0.participant.subjectID) \($0.endOfStudy?.status ?? "")" } == ["BCRITP-001 completed"])
            let quiet = rows.filter { !$0.needsAttention }
            #expect(quiet.last?.endOfStudy != nil && quiet.dropLast().allSatisfy { $0.endOfStudy == nil }, "\(quiet.map(\.participant.subjectID))")
            let page = try await client.webGet("/today", session: try await client.webSignIn(.coordinator, server: server))
            #expect(page.text.contains("id=\"off-study-BCRITP-001\"") && page.text.contains("Completed the 6-month follow-up on ") && !page.text.contains("id=\"off-study-BCRITP-002\""))
            let api = try await client.api(.get, "/api/v1/today", token: try await client.token(.coordinator))
            let apiRows = try #require(api.json?["participants"]?.array)
            #expect(apiRows.filter { $0["endOfStudy"]?["status"]?.string == "completed" }.map { $0["subjectID"]?.string } == ["BCRITP-001"])
            // The replay clock is handed back after the run: a later write is stamped with the real time.
            let later = try await server.store.createUser(username: "after-demo", displayName: "After", role: .monitor, passwordHash: "$2b$12$x",
                                                          actor: AuditActor(userID: nil, username: "test", source: .cli))
            #expect(abs(later.createdAt.timeIntervalSinceNow) < 60)
            // A second demo into the same database is refused and changes nothing.
            let before = try await server.snapshot()
            await #expect(throws: WorkflowError.self) {
                _ = try await DemoService(runtime: server.services.runtime, clock: DemoClock(Date())).run(participants: 2, seed: 1, today: server.services.runtime.clock.today, now: Date())
            }
            #expect(try await server.snapshot() == before)
        }
    }

    /// A real database — accounts, no participant yet, no synthetic mark — is never claimed by the demo.
    @Test(arguments: TestDatabase.engines)
    func theDemoNeverTouchesARealDatabase(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, _ in
            let before = try await server.snapshot()
            do {
                _ = try await DemoService(runtime: server.services.runtime, clock: DemoClock(Date())).run(participants: 2, seed: 1, today: server.services.runtime.clock.today, now: Date())
                Issue.record("the demo filled a database with accounts and no synthetic mark")
            } catch let e as WorkflowError {
                #expect(e.code == .conflict && e.message.contains("not a demo database"))
            }
            #expect(try await server.snapshot() == before)
            #expect(try await !server.store.isSynthetic())
            await #expect(throws: (any Error).self) { try await server.store.replayClock { Date(timeIntervalSince1970: 0) } }
        }
    }

    /// Same seed, same cohort: the derived subject-level table is identical byte for byte; another seed differs.
    @Test func theDemoIsDeterministicForASeed() async throws {
        let first = Mutex<String>(""), second = Mutex<String>(""), other = Mutex<String>("")
        try await Self.demo(.sqlite, participants: 3, seed: 42) { _, o, _, _ in first.withLock { $0 = OutcomeTables.csv(.subjects, o) + OutcomeTables.csv(.visits, o) } }
        try await Self.demo(.sqlite, participants: 3, seed: 42) { _, o, _, _ in second.withLock { $0 = OutcomeTables.csv(.subjects, o) + OutcomeTables.csv(.visits, o) } }
        try await Self.demo(.sqlite, participants: 3, seed: 43) { _, o, _, _ in other.withLock { $0 = OutcomeTables.csv(.subjects, o) + OutcomeTables.csv(.visits, o) } }
        let a = first.withLock { $0 }, b = second.withLock { $0 }, c = other.withLock { $0 }
        #expect(a.count > 1_000 && a == b)
        #expect(a != c)
    }

    /// The report page shows every plot with its title and axis labels, the KM numbers at risk are the
    /// `km` calculator's on the time-to-event table, and the self-contained file needs no server.
    @Test func theReportShowsEveryPlotAndItsKaplanMeierIsTheCalculators() async throws {
        try await Self.demo(.sqlite, participants: 5, seed: 20_260_315) { server, o, _, client in
            let session = try await client.webSignIn(.statistician, server: server)
            let page = try await client.webGet("/report", session: session)
            #expect(page.status == .ok)
            for id in ["plot-trajectories", "plot-spider", "plot-swimmer", "plot-ae-heatmap", "plot-bleeding", "report-outcomes", "report-baseline", "report-flow"] {
                #expect(page.text.contains("id=\"\(id)\""), "\(id) missing")
            }
            for plot in ["plot-trajectories", "plot-spider", "plot-swimmer", "plot-bleeding"] {
                #expect(page.text.contains("<title id=\"\(plot)-title\">") && page.text.contains("id=\"\(plot)-x-label\""), "\(plot) unlabelled")
            }
            // The time-to-event table through the km calculator gives the report's curve and numbers at risk.
            let tte = OutcomeTables.csv(.tte, o).split(separator: "\r\n").dropFirst().map { $0.split(separator: ",").map(String.init) }.filter { $0[1] == "DOR" }
            if let km = o.durationOfResponse {
                let calc = try KaplanMeierCalculator.compute(.init(subjects: tte.map { .init(id: $0[0], time: Double($0[2])!, event: $0[3] == "0") },
                                                                   timeUnit: "days", atRiskTimes: StudyOutcomes.DurationSummary.atRiskDays))
                #expect(calc.atRisk.map(\.numberAtRisk) == km.atRisk && calc.table.map(\.survival) == km.steps.map(\.survival))
                #expect(calc.medianSurvival.time == km.medianDays)
                for (day, n) in zip(StudyOutcomes.DurationSummary.atRiskDays, km.atRisk) {
                    #expect(page.text.contains("id=\"km-at-risk-\(Int(day))\" x=") && page.text.contains(">\(n)</text>"))
                }
            } else {
                #expect(tte.isEmpty && page.text.contains("id=\"plot-km-empty\""))
            }
            let csv = try await client.webGet("/report/tables/subjects.csv", session: session)
            #expect(csv.status == .ok && csv.text.hasPrefix("USUBJID,"))
            // The downloads are streamed a page of participants at a time (the visits table is over 16 KiB here, so it
            // goes out in several writes): each is byte for byte the table of the whole derivation, synthetic-named.
            for table in OutcomeTables.Table.allCases {
                let download = try await client.webGet("/report/tables/\(table.rawValue).csv", session: session)
                #expect(download.status == .ok && download.text == OutcomeTables.csv(table, o), "\(table)")
                #expect(download.headers[.contentDisposition] == "attachment; filename=\"SYNTHETIC-carta-NCT05315778-\(table.rawValue).csv\"")
                // Rows copied out of the file carry the mark too.
                let lines = download.text.split(separator: "\r\n")
                #expect(lines.count > 1 && lines.dropFirst().allSatisfy { $0.hasSuffix(",Y") }, "\(table)")
            }
            #expect(OutcomeTables.csv(.visits, o).utf8.count > 1 << 14)
            #expect(try await client.webGet("/report/tables/../../etc/passwd", session: session).status != .ok)
            #expect(try await client.webGet("/report/tables/secrets.csv", session: session).status == .notFound)
            // The file `carta report` writes: the same tables and plots, the stylesheet inline, nothing fetched.
            let layout = LayoutModel(studyId: "NCT05315778", studyTitle: "t", user: nil, csrf: "", sections: [], synthetic: true)
            let file = try PageRenderer().renderStandalone(ReportPage.build(o, standalone: true), layout: layout)
            #expect(!file.contains("/static/") && !file.contains("<script") && !file.contains("href=\"/participants") && file.contains("<style>"))
            #expect(file.contains("id=\"synthetic-banner\"") && file.contains("id=\"plot-swimmer\""))
        }
    }

    /// A study larger than the report draws: the study-level figures and the baseline table count everyone (the same
    /// as the whole derivation), the per-participant tables and plots draw the first participants in enrolment order,
    /// with their sources, and the page says which; a study within the limit is the whole derivation.
    @Test func aLargeStudysReportCountsEveryoneAndDrawsTheFirstParticipants() async throws {
        try await Self.demo(.sqlite, participants: 5, seed: 20_260_315) { server, o, _, _ in
            let statistician = try await server.principal(.statistician)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            func studyLevel(_ o: StudyOutcomes) throws -> Data {
                var study = o
                study.participants = []
                return try encoder.encode(study)
            }
            let whole = StudyReport(everyone: o)
            let all = try await server.services.runtime.outcomes.report(by: statistician, drawnAtMost: 5)
            #expect(!all.isExcerpt && all.enrolled == 5 && all.baseline == whole.baseline)
            #expect(try encoder.encode(all.outcomes) == encoder.encode(o))

            let headBefore = try await server.store.auditHead()
            let excerpt = try await server.services.runtime.outcomes.report(by: statistician, drawnAtMost: 2)
            // The streamed pass keeps figures, which is no audited change: built once, consistent.
            #expect(excerpt.dataCut?.firstAuditRecord == headBefore && excerpt.dataCut?.isConsistent == true)
            #expect(excerpt.isExcerpt && excerpt.enrolled == 5 && excerpt.baseline == whole.baseline)
            #expect(whole.baseline.participants == 5 && whole.baseline.ages.count == 5)
            #expect(try studyLevel(excerpt.outcomes) == studyLevel(o))
            #expect(try encoder.encode(excerpt.outcomes.participants) == encoder.encode(Array(o.participants.prefix(2))))
            #expect(excerpt.outcomes.participants.allSatisfy { !$0.sources.isEmpty })

            let page = ReportPage.build(excerpt), full = ReportPage.build(o)
            #expect(page.tablesHTML.contains("id=\"report-excerpt\"") && !full.tablesHTML.contains("id=\"report-excerpt\""))
            #expect(page.tablesHTML.contains("draw the first 2 in enrolment order"))
            /// The element of `html` that starts at `open` and ends at the first `close` after it.
            func element(_ html: String, _ open: String, _ close: String) -> String? {
                guard let start = html.range(of: open), let end = html[start.upperBound...].range(of: close) else { return nil }
                return String(html[start.lowerBound..<end.upperBound])
            }
            for id in ["report-flow", "report-baseline", "report-outcomes"] {
                let table = element(page.tablesHTML, "<table id=\"\(id)\"", "</table>")
                #expect(table != nil && table == element(full.tablesHTML, "<table id=\"\(id)\"", "</table>"), "\(id) counts everyone")
            }
            for id in ["plot-km", "plot-ae-heatmap"] {
                let plot = element(page.plotsHTML, "<svg id=\"\(id)\"", "</figure>")
                #expect(plot != nil && plot == element(full.plotsHTML, "<svg id=\"\(id)\"", "</figure>"), "\(id) counts everyone")
            }
            let rows = page.tablesHTML.components(separatedBy: "<tr id=\"report-row-").count - 1
            #expect(rows == 2)
            for id in ["plot-trajectories", "plot-spider", "plot-swimmer", "plot-bleeding", "plot-steroid"] {
                let plot = try #require(element(page.plotsHTML, "<svg id=\"\(id)\"", "</figure>"))
                #expect(plot.contains("Drawn for the first 2 of 5 enrolled participants (enrolment order)."), "\(id) says what it draws")
                for p in o.participants.dropFirst(2) { #expect(!plot.contains(p.subjectID), "\(id) draws \(p.subjectID)") }
            }
            // Lines of more participants than can be labelled name them in tooltips; the few are labelled at their ends.
            var many = o
            many.participants = Array(repeating: o.participants, count: 5).joined().enumerated().map { i, p in
                var copy = p
                copy.subjectID = "S-\(i)"
                return copy
            }
            let crowded = ReportPage.build(many).plotsHTML
            #expect(!crowded.contains("class=\"plot-label\"") && !crowded.contains("class=\"plot-response\""))
            #expect(crowded.contains("<title>S-24</title></polyline>") && crowded.contains("Too many lines to label"))
            #expect(full.plotsHTML.contains("class=\"plot-label\"") && !full.plotsHTML.contains("Too many lines to label"))
        }
    }

    /// A report states its data cut: the audit record it was built at, on the page. Building one writes no audit
    /// record, so a quiet study's report is consistent; a change saved during a build builds it once more, and changes
    /// saved during every build leave the last build marked, with a warning that names the records.
    @Test func aReportStatesItsDataCutAndIsBuiltAgainWhenDataChangesDuringIt() async throws {
        try await Self.demo(.sqlite, participants: 2, seed: 7) { server, _, _, _ in
            let statistician = try await server.principal(.statistician), store = server.store
            let head = try await store.auditHead()
            let report = try await server.services.runtime.outcomes.report(by: statistician)
            let cut = try #require(report.dataCut)
            #expect(cut.isConsistent && cut.firstAuditRecord == head && cut.lastAuditRecord == head)
            #expect(try await store.auditHead() == head, "building a report writes no audit record")
            let page = ReportPage.build(report)
            #expect(page.dataCut == "Data as of audit record \(head); built \(WebFormat.dateTime(cut.builtAt)).")
            #expect(page.dataCutClass == "muted")
            let html = try PageRenderer().render(page, layout: LayoutModel(studyId: "S", studyTitle: "T", user: nil, csrf: "", sections: [], synthetic: true))
            #expect(html.contains("<p id=\"report-data-cut\" class=\"muted\">Data as of audit record \(head); built "))

            let system = AuditActor(userID: nil, username: "test", source: .cli)
            func saveSomething(_ name: String) async throws {
                _ = try await store.createUser(username: name, displayName: name, role: .monitor, passwordHash: "$2b$12$placeholder", actor: system)
            }
            var builds = 0
            let again = try await OutcomeService.withDataCut(head: { try await store.auditHead() }, now: { Date() }) {
                builds += 1
                let built = try await server.services.runtime.outcomes.report(by: statistician)
                if builds == 1 { try await saveSomething("saved-during-a-build") }
                return built
            }
            let afterOne = try await store.auditHead()
            #expect(builds == 2 && afterOne > head)
            #expect(again.dataCut?.isConsistent == true && again.dataCut?.lastAuditRecord == afterOne)

            builds = 0
            let busy = try await OutcomeService.withDataCut(head: { try await store.auditHead() }, now: { Date() }) {
                builds += 1
                try await saveSomething("busy-\(builds)")
                return report
            }
            let last = try #require(busy.dataCut), headNow = try await store.auditHead()
            #expect(builds == 2 && !last.isConsistent && last.lastAuditRecord == headNow && last.firstAuditRecord > afterOne)
            let warned = ReportPage.build(busy)
            #expect(warned.dataCutClass == "message message--warning")
            #expect(warned.dataCut?.hasPrefix("Warning: changes were saved while this report was built (audit records \(last.firstAuditRecord + 1) to \(last.lastAuditRecord))") == true)
        }
    }

    /// Every derivation states the audit records it read the data at (`StudyOutcomes.DataCut`, in the JSON of `carta derive`
    /// and the API), and says so when a change was saved while it read. The API tags each representation with the head it
    /// was derived at (`ETag`): sent back in `If-None-Match`, an unchanged study answers 304 without a body; a save, another
    /// table or another site's reader gets another tag.
    @Test(arguments: TestDatabase.engines)
    func derivedFiguresStateTheirDataCutAndTheAPITagsThem(engine: DatabaseEngine) async throws {
        try await Self.demo(engine, participants: 2, seed: 7) { server, o, _, client in
            let store = server.store, outcomes = server.services.runtime.outcomes, statistician = try await server.principal(.statistician)
            let head = try await store.auditHead()
            #expect(o.dataCut == StudyOutcomes.DataCut(firstAuditRecord: head, lastAuditRecord: head))
            #expect(o.dataCut?.text == "Data as of audit record \(head).")
            var kept = try await outcomes.stream(by: statistician, includeSources: false) { _ in }
            #expect(kept.dataCut == o.dataCut, "the pass from kept figures states its cut too")
            #expect(try await store.auditHead() == head, "deriving writes no audit record")

            // A change saved while the pass reads: the cut names the records saved during it.
            var saved = 0
            let busy = try await outcomes.stream(by: statistician, pageSize: 1) { _ in
                saved += 1
                if saved == 1 {
                    _ = try await store.createUser(username: "saved-mid-pass", displayName: "Mid", role: .monitor, passwordHash: "$2b$12$placeholder",
                                                   actor: Fixtures.cliActor)
                }
            }
            let moved = try await store.auditHead()
            #expect(moved > head && busy.dataCut == StudyOutcomes.DataCut(firstAuditRecord: head, lastAuditRecord: moved))
            #expect(busy.dataCut?.isConsistent == false
                    && busy.dataCut?.text.hasPrefix("Warning: changes were saved while these figures were derived (audit records \(head + 1) to \(moved))") == true)
            kept = try await outcomes.stream(by: statistician, includeSources: false) { _ in }
            #expect(kept.dataCut == StudyOutcomes.DataCut(firstAuditRecord: moved, lastAuditRecord: moved))

            // The API: the cut in the JSON, the tag in the headers.
            let token = try await client.token(.statistician)
            let signedIn = try await store.auditHead()   // the sign-in is audited too
            let json = try await client.api(.get, "/api/v1/outcomes", token: token)
            let tag = try #require(json.headers[.eTag])
            #expect(json.status == .ok && tag.hasPrefix("W/\"") && tag.count == 36)
            #expect(json.json?["dataCut"]?["firstAuditRecord"]?.number == Double(signedIn) && json.json?["dataCut"]?["lastAuditRecord"]?.number == Double(signedIn))
            for ifNoneMatch in [tag, "\"other\", \(tag)", String(tag.dropFirst(2)), "*"] {
                let again = try await client.api(.get, "/api/v1/outcomes", token: token, headers: [.ifNoneMatch: ifNoneMatch])
                #expect(again.status == .notModified && again.body.readableBytes == 0 && again.headers[.eTag] == tag, "\(ifNoneMatch)")
            }
            let other = try await client.api(.get, "/api/v1/outcomes", token: token, headers: [.ifNoneMatch: "W/\"0123\""])
            #expect(other.status == .ok && other.text == json.text, "another tag: the whole body, the same as before")
            let subjects = try await client.api(.get, "/api/v1/outcomes/tables/subjects", token: token)
            let tableTag = try #require(subjects.headers[.eTag])
            #expect(subjects.status == .ok && tableTag != tag, "each representation has its own tag")
            #expect(try await client.api(.get, "/api/v1/outcomes/tables/subjects", token: token, headers: [.ifNoneMatch: tableTag]).status == .notModified)
            #expect(try await client.api(.get, "/api/v1/outcomes/tables/visits", token: token, headers: [.ifNoneMatch: tableTag]).status == .ok)
            // Without sources: the same figures from the kept ones, every sources list empty, a tag of its own.
            let bare = try await client.api(.get, "/api/v1/outcomes?sources=false", token: token)
            let bareTag = try #require(bare.headers[.eTag])
            #expect(bare.status == .ok && bareTag != tag)
            let withSources = try #require(json.json?["participants"]?.array), withoutSources = try #require(bare.json?["participants"]?.array)
            #expect(withSources.count == 2 && withoutSources.count == 2)
            #expect(withoutSources.allSatisfy { $0["sources"]?.array?.isEmpty == true } && withSources.allSatisfy { $0["sources"]?.array?.isEmpty == false })
            func strip(_ p: JSON) -> JSON { guard case .object(var o) = p else { return p }; o["sources"] = nil; return .object(o) }
            #expect(withSources.map(strip) == withoutSources.map(strip))
            #expect(bare.json?["overallResponse"] == json.json?["overallResponse"] && bare.json?["dataCut"] == json.json?["dataCut"])
            #expect(try await client.api(.get, "/api/v1/outcomes?sources=false", token: token, headers: [.ifNoneMatch: bareTag]).status == .notModified)
            expectErrorShape(try await client.api(.get, "/api/v1/outcomes?sources=maybe", token: token), .unprocessableContent, field: "sources")
            // Refused before any tag is compared: no 304 without signing in.
            #expect(try await client.api(.get, "/api/v1/outcomes", headers: [.ifNoneMatch: tag]).status == .unauthorized)

            // Another site's reader: another tag for the same data.
            let elsewhere = Principal(try await store.createUser(username: "stat-elsewhere", displayName: "Elsewhere", role: .statistician,
                                                                  sites: .only([SiteID("ELSEWHERE")]), passwordHash: "$2b$12$placeholder",
                                                                  actor: Fixtures.cliActor), source: .api)
            let afterAccount = try #require(try await outcomes.entityTag(of: "outcomes.json", by: statistician))
            let theirs = try #require(try await outcomes.entityTag(of: "outcomes.json", by: elsewhere))
            #expect(theirs != afterAccount)
            // A save moves the head: the old tag no longer matches, and the body states the new cut.
            #expect(afterAccount != tag)
            let fresh = try await client.api(.get, "/api/v1/outcomes", token: token, headers: [.ifNoneMatch: tag])
            #expect(fresh.status == .ok && fresh.headers[.eTag] == afterAccount)
            #expect(fresh.json?["dataCut"]?["lastAuditRecord"]?.number == Double(try await store.auditHead()))
        }
    }

    /// Asked again before anything is saved, the report is the same build, and requests at the same time share one;
    /// a save, fewer participants drawn, or another reader's sites each get a build of their own. Each build is told
    /// apart by its time: the clock moves on every reading.
    @Test(arguments: TestDatabase.engines)
    func anUnchangedStudysReportIsTheSameBuild(engine: DatabaseEngine) async throws {
        let ticks = Mutex(0.0)
        try await TestServer.run(engine, instant: { Date(timeIntervalSince1970: 1_800_000_000 + ticks.withLock { $0 += 1; return $0 }) }) { server, _ in
            _ = try await server.register()
            let outcomes = server.services.runtime.outcomes, statistician = try await server.principal(.statistician)
            async let a = outcomes.report(by: statistician)
            async let b = outcomes.report(by: statistician)
            let (first, second) = try await (a, b)
            let built = try #require(first.dataCut?.builtAt)
            #expect(first.outcomes.registered == 1)
            #expect(second.dataCut?.builtAt == built, "requests at the same time share one build")
            #expect(try await outcomes.report(by: statistician).dataCut?.builtAt == built, "asked again, unchanged: the same build")
            #expect(try await outcomes.report(by: statistician, drawnAtMost: 1).dataCut?.builtAt != built, "another drawing is another build")

            // A save (here an account, audited like any change) makes the next report a new build of the new data.
            let elsewhere = try await server.store.createUser(username: "stat-elsewhere", displayName: "Elsewhere", role: .statistician,
                                                             sites: .only([SiteID("ELSEWHERE")]), passwordHash: "$2b$12$placeholder", actor: Fixtures.cliActor)
            let head = try await server.store.auditHead()
            let afterSave = try await outcomes.report(by: statistician)
            #expect(afterSave.dataCut?.builtAt != built && afterSave.dataCut?.lastAuditRecord == head)
            // A reader of another site is never given the all-sites report, though the data are the same.
            let theirs = try await outcomes.report(by: Principal(elsewhere, source: .api))
            #expect(theirs.outcomes.registered == 0 && theirs.dataCut?.builtAt != afterSave.dataCut?.builtAt)
        }
    }
}

/// Issue 8 scope 11: an unknown web address gets Carta's own 404 page; the API keeps its JSON error.
@Suite("Not-found page")
struct NotFoundPageTests {
    @Test func unknownAddressesGetTheAppsOwnPage() async throws {
        try await TestServer.run { server, client in
            let session = try await client.webSignIn(.coordinator, server: server)
            for path in ["/nope", "/participants/BCRITP-001/nothing-here", "/report/tables/subjects.csv/extra"] {
                let signedIn = try await client.webGet(path, session: session)
                #expect(signedIn.status == .notFound, "\(path)")
                #expect(signedIn.text.contains("There is no page at this address.") && signedIn.text.contains("id=\"nav-today\""), "\(path)")
            }
            let anonymous = try await client.webGet("/nope", session: nil)
            #expect(anonymous.status == .notFound && anonymous.text.contains("There is no page at this address.") && !anonymous.text.contains("id=\"nav-today\""))
            let api = try await client.api(.get, "/api/v1/nope", token: try await client.token(.coordinator))
            expectErrorShape(api, .notFound)
        }
    }
}
