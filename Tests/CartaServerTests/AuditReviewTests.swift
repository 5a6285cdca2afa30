import CartaModel
@testable import CartaServer
@_spi(Testing) import CartaStore
import CartaStudy
import CartaTestSupport
import CartaTrial
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Audit review: filters, site scope, readable labels and the CSV export.
/// Source: issue 7 scope 8 ("an audit view with filters (participant, form, field, user, date range) …
/// export with readable labels") and scope 1 (users see only their sites); standards.md R-AT-4, R-AT-5.
@Suite("Audit review")
struct AuditReviewTests {
    @Test(arguments: TestDatabase.engines)
    func siteBoundReviewersSeeOnlyTheirSitesRecords(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine, study: try SiteScopeTests.twoSiteStudy()) { server, client in
            let suzhou = try await SiteScopeTests.user(server, "cora-sz", .coordinator, .only(["SUZHOU"]))
            let wuxi = try await SiteScopeTests.user(server, "mona-wx", .monitor, .only(["WUXI"]))
            _ = try await SiteScopeTests.user(server, "dana", .dataManager, .all)
            let a = try await server.services.screening.register(fullName: "Ada Lovelace", dateOfBirth: "1980-05-17",
                                                                 hospitalNumber: "H-1", siteID: nil, by: suzhou)
            let b = try await server.services.screening.register(fullName: "Grace Hopper", dateOfBirth: "1970-12-09",
                                                                 hospitalNumber: "H-2", siteID: "WUXI", by: try await server.principal(.coordinator))
            #expect(wuxi.user.sites == .only(["WUXI"]))
            let monitor = try await client.token(username: "mona-wx", password: SiteScopeTests.password)
            let r = try await client.api(.get, "/api/v1/audit", token: monitor)
            #expect(r.status == .ok, "\(r.text)")
            let events = try #require(r.json?["events"]?.array)
            // Only the WUXI participant's records, and the monitor's own sign-in (as a study-wide reader sees their own).
            let own = events.filter { ["authentication", "user"].contains($0["entity"]?.string ?? "") }
            #expect(own.contains { $0["entity"]?.string == "authentication" }
                    && own.allSatisfy { [wuxi.user.username, wuxi.user.id.rawValue].contains($0["entityID"]?.string ?? "") }, "\(own)")
            #expect(!events.isEmpty && events.filter { !["authentication", "user"].contains($0["entity"]?.string ?? "") }.allSatisfy { $0["entityID"]?.string == b.id.rawValue },
                    "only the WUXI participant's records")
            #expect(!r.text.contains(a.id.rawValue) && !r.text.contains("cora-sz") && !r.text.contains(suzhou.user.id.rawValue))
            let session = try await client.webSignIn(username: "mona-wx", password: SiteScopeTests.password, server: server)
            let page = try await client.webGet("/audit", session: session)
            #expect(page.status == .ok && page.text.contains(b.subjectID.rawValue) && !page.text.contains(a.subjectID.rawValue))
            let csv = try await client.webGet("/audit.csv", session: session)
            #expect(csv.status == .ok && csv.text.contains(b.subjectID.rawValue) && !csv.text.contains(a.subjectID.rawValue))
            // A study-wide reviewer sees both, and the account records.
            let manager = try await client.token(username: "dana", password: SiteScopeTests.password)
            let all = try await client.api(.get, "/api/v1/audit?limit=500", token: manager)
            #expect(all.text.contains(a.id.rawValue) && all.text.contains(b.id.rawValue) && all.text.contains("\"entity\":\"user\""))
        }
    }

    /// A participant's trail (the casebook's audit section, `?subject=`) and a site-bound reader's trail hold every kind of
    /// record about the participant — eligibility decision, query, source verification, adverse event, casebook signature,
    /// casebook lock — not only the values: those kinds carry their own ids, and were left out.
    @Test(arguments: TestDatabase.engines)
    func aParticipantsTrailHoldsEveryKindOfRecordAboutThem(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine, study: try SiteScopeTests.twoSiteStudy()) { server, client in
            let runtime = server.services.runtime
            let monitor = try await server.principal(.monitor)
            let p = try await server.enrol(try await server.signedEligibleParticipant())
            let other = try await server.enrol(try await server.signedEligibleParticipant("Grace Hopper"))
            _ = try await runtime.adverseEvents.record(AdverseEventData.serious(), subjectID: p.subjectID, by: try await server.principal(.coordinator))
            for q in [p, other] { _ = try await runtime.queries.raise(subjectID: q.subjectID, itemOID: "PLT", text: "Lab sheet says 25?", by: monitor) }
            _ = try await runtime.sourceVerification.verify(subjectID: p.subjectID, formOID: "F_LAB_HEM", by: monitor)
            let current = try await runtime.screening.file(p.subjectID, by: monitor).participant
            _ = try await runtime.casebook.sign(subjectID: p.subjectID, password: Caller.investigator.password, expectedVersion: current.version,
                                                acknowledgesBinding: true, by: try await server.principal(.investigator))
            _ = try await runtime.locks.lock(.participant, subjectID: p.subjectID, formOID: nil, reason: "Casebook complete",
                                             password: Caller.dataManager.password, by: try await server.principal(.dataManager))
            let everyKind: Set<AuditEntity> = [.participant, .itemValue, .eligibilityDecision, .query, .sourceVerification, .adverseEvent, .casebookSignature, .lock]
            // Typed in lower case, as people do: the same participant.
            let filter = try await runtime.audit.filter(AuditReview.Criteria(subjectID: p.subjectID.rawValue.lowercased()), by: monitor)
            let trail = try await server.store.auditSearch(filter, after: 0, limit: 5_000).events
            #expect(everyKind.isSubset(of: Set(trail.map(\.entity))), "\(Set(trail.map(\.entity)))")
            let otherQuery = try #require(try await server.store.queries(participantID: other.id).first)
            #expect(!trail.contains { $0.entityID == other.id.rawValue || $0.entityID == otherQuery.id }, "nothing about the other participant")
            // The query inbox and the participant's pages find the participant typed in any case too.
            var byLowerCase = QueryFilter()
            byLowerCase.subjectID = SubjectID(p.subjectID.rawValue.lowercased())
            #expect(try await runtime.queries.inbox(byLowerCase, by: monitor).map(\.subjectID) == [p.subjectID])
            let session = try await client.webSignIn(.monitor, server: server)
            // A page asked for in another case is redirected to the study's spelling; the API answers in it.
            let lower = p.subjectID.rawValue.lowercased()
            let typed = try await client.webGet("/participants/\(lower)/casebook?print=1", session: session)
            #expect(typed.status == .permanentRedirect && typed.headers[.location] == "/participants/\(p.subjectID)/casebook?print=1", "\(typed.status)")
            let visit = try await client.webGet("/participants/\(lower)/visits/d0", session: session)
            #expect(visit.status == .permanentRedirect && visit.headers[.location] == "/participants/\(p.subjectID)/visits/D0", "\(visit.status)")
            let page = try await client.webGet("/participants/\(p.subjectID)", session: session)
            #expect(page.status == .ok && page.text.contains(p.subjectID.rawValue))
            let api = try await client.api(.get, "/api/v1/participants/\(lower)/queries", token: try await client.token(.monitor))
            #expect(api.status == .ok && api.text.contains("\"\(p.subjectID)\"") && !api.text.contains(lower), "\(api.text.prefix(300))")
            // A query is acted on only from its own participant's address: the other participant's, posted here, is not found.
            let stray = try await client.webPost("/participants/\(p.subjectID)/queries/\(otherQuery.id)", session: session,
                                                 fields: [("action", "close"), ("text", "Closed from the wrong page")])
            let strayTarget = try await server.store.query(id: otherQuery.id)
            #expect(stray.status == .notFound && strayTarget?.status == .open, "\(stray.status)")
            // A filter the list does not know is refused by name, not ignored (the whole trail came back).
            let monitorToken = try await client.token(.monitor)
            let misnamed = try await client.api(.get, "/api/v1/audit?subject=\(p.subjectID)", token: monitorToken)
            #expect(misnamed.status == .unprocessableContent && misnamed.json?["error"]?["field"] == "subject", "\(misnamed.text)")
            let misnamedInbox = try await client.api(.get, "/api/v1/queries?subjectID=\(p.subjectID)", token: monitorToken)
            #expect(misnamedInbox.status == .unprocessableContent && misnamedInbox.json?["error"]?["field"] == "subjectID", "\(misnamedInbox.text)")
            // Each record of the trail names the participant's subject ID, the kinds with their own ids too.
            let csv = try await client.webGet("/audit.csv?subject=\(p.subjectID)", session: session)
            let rows = csv.text.split(separator: "\r\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            #expect(rows.count == trail.count && rows.allSatisfy { $0.count > 5 && $0[4] == p.subjectID.rawValue },
                    "\(rows.filter { $0.count > 5 && $0[4] != p.subjectID.rawValue }.map { $0[5] })")
            // A monitor bound to the participant's site reads the same kinds there, and nothing about another site's participant.
            let siteBound = try await SiteScopeTests.user(server, "mona-sz", .monitor, .only([p.siteID]))
            let wuxi = try await SiteScopeTests.user(server, "mona-wx", .monitor, .only(["WUXI"]))
            let atSite = try await server.store.auditSearch(try await runtime.audit.filter(AuditReview.Criteria(), by: siteBound), after: 0, limit: 5_000).events
            #expect(everyKind.isSubset(of: Set(atSite.map(\.entity))), "\(Set(atSite.map(\.entity)))")
            let elsewhere = try await server.store.auditSearch(try await runtime.audit.filter(AuditReview.Criteria(), by: wuxi), after: 0, limit: 5_000).events
            #expect(!elsewhere.contains { [p.id.rawValue, other.id.rawValue].contains($0.entityID) || $0.entity == .query || $0.entity == .lock }, "\(elsewhere.map(\.entity))")
        }
    }

    /// The replay of the trail against the data covers adverse events and standing locks: an event's grade changed, an
    /// event added or removed, or a lock removed in the database without an audit record is reported (they passed).
    @Test(arguments: TestDatabase.engines)
    func theReplayCoversAdverseEventsAndLocks(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, _ in
            let runtime = server.services.runtime, store = server.store
            let p = try await server.enrol(try await server.signedEligibleParticipant())
            _ = try await runtime.adverseEvents.record(AdverseEventData.serious(), subjectID: p.subjectID, by: try await server.principal(.coordinator))
            let lock = try await runtime.locks.lock(.participant, subjectID: p.subjectID, formOID: nil, reason: "Casebook complete",
                                                    password: Caller.dataManager.password, by: try await server.principal(.dataManager))
            #expect(try await store.replayAuditTrail().isEmpty)
            try await store.executeRaw("UPDATE adverse_events SET grade = 5 WHERE participant_id = '\(p.id.rawValue)'")
            let graded = try await store.replayAuditTrail()
            #expect(graded.map { "\($0.entity.rawValue) \($0.field) \($0.audited ?? "-")>\($0.stored ?? "-")" } == ["adverse_event AE-1.grade 3>5"], "\(graded)")
            try await store.executeRaw("DELETE FROM adverse_events WHERE participant_id = '\(p.id.rawValue)'")
            let removed = try await store.replayAuditTrail()
            #expect(removed.count > 5 && removed.allSatisfy { $0.entity == .adverseEvent && $0.stored == nil && $0.label == p.subjectID.rawValue }, "\(removed)")
            try await store.executeRaw("DELETE FROM locks WHERE id = '\(lock.id)'")
            let unlocked = try await store.replayAuditTrail().filter { $0.entity == .lock }
            #expect(unlocked.map { "\($0.entityID) \($0.field) \($0.stored ?? "-")" } == ["\(lock.id) locked -"], "\(unlocked)")
        }
    }

    /// Casebook signatures and alert acknowledgements too: a signature's content hash rewritten (so it would cover other
    /// data) and an acknowledgement deleted (the alert listed again) or forged (an alert hidden) are reported.
    @Test(arguments: TestDatabase.engines)
    func theReplayCoversSignaturesAndAcknowledgements(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, _ in
            let runtime = server.services.runtime, store = server.store
            let p = try await server.infusedParticipant(platelets: "12")
            let signature = try await runtime.casebook.sign(subjectID: p.subjectID, password: Caller.investigator.password,
                                                            expectedVersion: try await runtime.screening.file(p.subjectID, by: try await server.principal(.investigator)).participant.version,
                                                            acknowledgesBinding: true, by: try await server.principal(.investigator))
            let coordinator = try await server.principal(.coordinator)
            let alert = try #require(try await runtime.today.alerts(of: try await runtime.screening.file(p.subjectID, by: coordinator)).first { !$0.key.hasPrefix("sae:") })
            _ = try await runtime.today.acknowledge(subjectID: p.subjectID, key: alert.key, note: nil, by: coordinator)
            #expect(try await store.replayAuditTrail().isEmpty)
            try await store.executeRaw("UPDATE casebook_signatures SET content_sha256 = '00' WHERE id = '\(signature.id)'")
            try await store.executeRaw("DELETE FROM alert_acknowledgements WHERE participant_id = '\(p.id.rawValue)'")
            try await store.executeRaw("""
                INSERT INTO alert_acknowledgements (participant_id, alert_key, alert_text, acknowledged_by, acknowledged_at)
                VALUES ('\(p.id.rawValue)', 'platelets:D9:3', 'forged', 'nobody', '2026-01-01T00:00:00.000Z')
                """)
            let found = try await store.replayAuditTrail().map { "\($0.entity.rawValue) \($0.field) \($0.stored ?? "-")" }.sorted()
            #expect(found == ["alert \(alert.key) -", "alert platelets:D9:3 acknowledged: forged", "casebook_signature content_sha256 00"], "\(found)")
        }
    }

    /// Other accounts' sign-ins, failed passwords and account changes are for those who review access: a study-wide
    /// coordinator, monitor or data manager reading the trail sees only their own (web page, CSV and API); the auditor
    /// and the administrator see everyone's.
    @Test(arguments: TestDatabase.engines)
    func otherAccountsSignInsAreForThoseWhoReviewAccess(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            let readers = [try await SiteScopeTests.user(server, "cora-all", .coordinator, .all),
                           try await SiteScopeTests.user(server, "mona-all", .monitor, .all)]
            _ = try await SiteScopeTests.user(server, "audrey", .auditor, .all)
            let victim = try await SiteScopeTests.user(server, "vera", .investigator, .all)
            _ = try await server.services.runtime.accounts.signIn(username: "vera", password: "not her password", source: .web)
            _ = try await server.services.runtime.accounts.signIn(username: "vera", password: SiteScopeTests.password, source: .web)
            let p = try await server.services.screening.register(fullName: "Ada Lovelace", dateOfBirth: "1980-05-17",
                                                                 hospitalNumber: "H-1", siteID: nil, by: readers[0])
            for reader in readers {
                let name = reader.user.username
                let token = try await client.token(username: name, password: SiteScopeTests.password)
                let r = try await client.api(.get, "/api/v1/audit?limit=500", token: token)
                let events = try #require(r.json?["events"]?.array, "\(r.text)")
                let accountRecords = events.filter { ["authentication", "user"].contains($0["entity"]?.string ?? "") }
                #expect(accountRecords.contains { $0["entity"]?.string == "authentication" }, "\(name) sees their own sign-in")
                #expect(accountRecords.allSatisfy { [name, reader.user.id.rawValue].contains($0["entityID"]?.string ?? "") }, "\(name): \(accountRecords)")
                #expect(!r.text.contains("sign_in_failed") && !r.text.contains(victim.user.id.rawValue), "\(name)")
                #expect(r.text.contains(p.id.rawValue), "\(name) still reads the study data")
                let session = try await client.webSignIn(username: name, password: SiteScopeTests.password, server: server)
                let page = try await client.webGet("/audit?user=vera", session: session)
                #expect(page.status == .ok && page.text.contains("No events"), "\(name)")
                let csv = try await client.webGet("/audit.csv", session: session)
                #expect(csv.status == .ok && !csv.text.contains("sign_in_failed") && !csv.text.contains("vera"), "\(name)")
            }
            for (name, password) in [("audrey", SiteScopeTests.password), (Caller.admin.rawValue, Caller.admin.password)] {
                let token = try await client.token(username: name, password: password)
                let r = try await client.api(.get, "/api/v1/audit?limit=500", token: token)
                #expect(r.text.contains("sign_in_failed") && r.text.contains(victim.user.id.rawValue), "\(name) reviews every account's records")
            }
        }
    }

    /// The trail's CSV streams a page of 1,000 records at a time: a trail longer than a page comes whole, each record
    /// once and in order, and matches the trail in the store.
    @Test func aLongTrailsCSVComesWholeAcrossPages() async throws {
        try await DemoReportTests.demo(.sqlite, participants: 2, seed: 7) { server, o, _, client in
            let session = try await client.webSignIn(.dataManager, server: server)
            let csv = try await client.webGet("/audit.csv", session: session)
            #expect(csv.status == .ok && csv.headers[.contentType] == "text/csv; charset=utf-8")
            let lines = csv.text.components(separatedBy: "\r\n")
            #expect(lines.first.map { $0 + "\r\n" } == AuditCSV.header && lines.last == "")
            let seqs = lines.dropFirst().compactMap { Int($0.prefix { $0 != "," }) }
            #expect(seqs.count > 1_000, "more than one page: \(seqs.count)")
            #expect(zip(seqs, seqs.dropFirst()).allSatisfy { $0 < $1 }, "each record once, in order")
            let stored = try await server.store.auditSearch(AuditFilter(), after: 0, limit: 100_000).events.map(\.seq)
            #expect(Set(seqs).isSubset(of: Set(stored)) && seqs.last == stored.filter { $0 <= seqs.last ?? 0 }.last)
            for p in o.participants { #expect(csv.text.contains(p.subjectID), "\(p.subjectID)") }
        }
    }

    @Test func filtersLabelsAndCSV() async throws {
        try await TestServer.run { server, client in
            let p = try await server.enterEligibleData(try await server.register().subjectID)
            let coordinator = try await server.principal(.coordinator)
            _ = try await server.services.screening.saveForms(
                subjectID: p.subjectID, forms: ["F_VITALS": ["WEIGHT": RawEntry(value: "69", unit: "kg",
                    reason: ChangeReason(code: .other, text: "=HYPERLINK(\"http://evil.example\",\"x\")"))]],
                expectedVersion: p.version, by: coordinator)
            let token = try await client.token(.monitor)
            let weight = try await client.api(.get, "/api/v1/audit?subjectID=\(p.subjectID)&form=F_VITALS&item=WEIGHT", token: token)
            let fields = try #require(weight.json?["events"]?.array).compactMap { $0["field"]?.string }
            #expect(!fields.isEmpty && fields.allSatisfy { $0.hasPrefix("SCREENING/F_VITALS/WEIGHT") }, "\(fields)")
            let byUser = try await client.api(.get, "/api/v1/audit?user=investigator", token: token)
            #expect(try #require(byUser.json?["events"]?.array).allSatisfy { $0["username"] == "investigator" })
            let future = try await client.api(.get, "/api/v1/audit?from=2999-01-01", token: token)
            #expect(future.json?["events"]?.array?.isEmpty == true)
            expectErrorShape(try await client.api(.get, "/api/v1/audit?from=2026-02-30", token: token), .unprocessableContent, field: "from")
            expectErrorShape(try await client.api(.get, "/api/v1/audit?form=F_NOPE", token: token), .unprocessableContent, field: "form")

            let session = try await client.webSignIn(.monitor, server: server)
            let page = try await client.webGet("/audit?subject=\(p.subjectID)&form=F_VITALS&item=WEIGHT", session: session)
            #expect(page.status == .ok)
            #expect(page.text.contains("Performance status and vital signs › Body weight"), "readable label")
            #expect(page.text.contains("Other (say what) — =HYPERLINK"), "the reason is spelled out")
            #expect(page.text.contains(#"href="/audit.csv?subject=\#(p.subjectID)&amp;form=F_VITALS&amp;item=WEIGHT""#))
            let refused = try await client.webGet("/audit?from=yesterday", session: session)
            #expect(refused.status == .unprocessableContent && refused.text.contains("audit-filter-error"))
            for page in ["0", "x", "99999999999"] {
                let badPage = try await client.webGet("/audit?page=\(page)", session: session)
                #expect(badPage.status == .unprocessableContent && badPage.text.contains("page must be a whole number from 1"), "page=\(page)")
            }
            // A page past the last shows the last, with its true range and no link onwards.
            let first = try await client.webGet("/audit?subject=\(p.subjectID)", session: session)
            let total = try #require(first.text.firstMatch(of: /Events 1–\d+ of (\d+)/).flatMap { Int($0.1) }, "\(first.text)")
            let lastPage = (total + 99) / 100
            let past = try await client.webGet("/audit?subject=\(p.subjectID)&page=99", session: session)
            #expect(past.status == .ok && past.text.contains("Events \((lastPage - 1) * 100 + 1)–\(total) of \(total)")
                    && !past.text.contains("page=\(lastPage + 1)"), "\(past.text.firstMatch(of: /Events[^<]*/)?.0 ?? "")")

            let csv = try await client.webGet("/audit.csv?subject=\(p.subjectID)&form=F_VITALS&item=WEIGHT", session: session)
            #expect(csv.status == .ok && csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            let lines = csv.text.split(separator: "\r\n").map(String.init)
            #expect(lines.first == String(AuditCSVHeader.text.dropLast()))
            let change = try #require(lines.first { $0.contains(",69,") })
            #expect(change.contains("Performance status and vital signs › Body weight,SCREENING/F_VITALS/WEIGHT,70,69,other,"))
            #expect(change.hasSuffix(#",other,"Other (say what) — =HYPERLINK(""http://evil.example"",""x"")","#),
                    "quoted per RFC 4180, then an empty redaction cell: \(change)")
            // Cells a spreadsheet would run as formulas are neutralised (OWASP CSV injection).
            #expect(AuditCSV.cell("=1+1") == "'=1+1" && AuditCSV.cell("@SUM(A1)") == "'@SUM(A1)" && AuditCSV.cell("-2") == "'-2")
            #expect(AuditCSV.cell("=A1,B1") == "\"'=A1,B1\"" && AuditCSV.cell("120") == "120")
        }
    }
}

/// The CSV header as the server writes it (kept here so the test fails if the columns change unnoticed).
enum AuditCSVHeader {
    static let text = "seq,time_utc,user,source,subject_id,entity,entity_id,field,field_path,old_value,new_value,reason_code,reason,redaction\r\n"
}
