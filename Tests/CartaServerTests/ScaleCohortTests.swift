import CartaCore
import CartaModel
@_spi(Testing) import CartaStore
import CartaStudy
import CartaTestSupport
import CartaTrial
import Foundation
import Synchronization
import Testing

/// `carta demo --scale`: the synthetic scale cohort loaded in bulk (issue 9 scope 3 and "Performance"). It holds
/// the demo's courses checked by the same entry checks, is audited per participant (registration records and one
/// load record with the digest of the values) so the chain verifies and the audit replay still finds a value changed
/// behind the audit trail, is deterministic for a seed, derives like typed data, and is refused outside a database
/// marked synthetic. On SQLite the load switches triggers off on its own connection only, and only while the
/// outcome-figure forgetters are the sole INSERT triggers.
@Suite("Synthetic scale cohort")
struct ScaleCohortTests {
    static let system = AuditActor(userID: nil, username: "test", source: .cli)

    /// A scale cohort of `count` participants in a fresh test server's database (marked synthetic first: the test
    /// server has accounts, as a demo database would once made).
    static func scale(_ engine: DatabaseEngine, count: Int, seed: UInt64,
                      _ body: @escaping @Sendable (TestServer, DemoService.ScaleSummary) async throws -> Void) async throws {
        try await TestServer.run(engine) { server, _ in
            try await server.store.markSynthetic(detail: "test", actor: system, at: Date())
            let runtime = server.services.runtime
            let progress = Mutex<[Int]>([])
            let summary = try await DemoService(runtime: runtime, clock: DemoClock(Date()))
                .runScale(participants: count, seed: seed, today: runtime.clock.today, now: Date(), batchSize: 5) { done, total in
                    #expect(total == count)
                    progress.withLock { $0.append(done) }
                }
            // Batches of 5: progress after each, ending at the total.
            #expect(progress.withLock { $0 } == Array(stride(from: 5, to: count, by: 5)) + [count])
            try await body(server, summary)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func theScaleCohortIsCheckedAuditedAndDerived(engine: DatabaseEngine) async throws {
        try await Self.scale(engine, count: 12, seed: 11) { server, summary in
            let store = server.store
            #expect(summary.participants == 12 && summary.accounts.count == 6)
            #expect(summary.values > 12 * 300 && summary.labValues > 12 * 40 && summary.labValues < summary.values)
            let study = StudyID(server.services.runtime.study.id)
            let participants = try await store.participants(studyID: study)
            #expect(participants.count == 12 && participants.allSatisfy { $0.status == .enrolled })
            #expect(participants.map(\.sequenceNumber) == Array(1...12))
            #expect(participants.map(\.subjectID.rawValue) == (1...12).map { server.services.runtime.study.subjectID(sequence: $0) })
            // IDs are made in order (values append to the table clustered by participant).
            #expect(participants.map(\.id.rawValue) == participants.map(\.id.rawValue).sorted())
            var total = 0
            for p in participants {
                let values = try await store.itemValues(participantID: p.id)
                total += values.count
                // Standardised by the entry checks: the platelet count in its standard unit with the lab's limits.
                let platelets = values.filter { $0.address.itemOID.rawValue == "PLT" }
                #expect(platelets.count > 5)
                #expect(platelets.allSatisfy { $0.value?.standardUnit == "10*9/L" && $0.value?.standardValue != nil && $0.value?.upperLimitNormal == 350 })
                // Registration records and one load record naming the digest of exactly these values.
                let trail = try await store.auditTrail(entity: .participant, entityID: p.id.rawValue)
                #expect(trail.map(\.field) == ["study_id", "subject_id", "site_id", "status", CartaStore.syntheticLoadField])
                let digest = SyntheticParticipant.digest(of: values.compactMap { v in v.value.map { SyntheticValue(address: v.address, value: $0) } })
                #expect(trail.last?.newValue == "\(values.count) values, SHA-256 \(digest)")
                #expect(try await store.auditTrail(entity: .participantIdentity, entityID: p.id.rawValue).count == 3)
            }
            #expect(total == summary.values)
            // A few participants read by id (those a pass finds changed) hold exactly what the page read gives them.
            let page = try await store.participantFilePage(studyID: study, sites: nil, afterSequence: 0, limit: 12).files
            let picked = [participants[1], participants[5], participants[11]].map(\.id)
            let byID = try await store.participantFiles(studyID: study, ids: picked).files
            #expect(byID.map(\.participant.id) == picked)
            for file in byID {
                let paged = try #require(page.first { $0.participant.id == file.participant.id })
                #expect(file.values.count > 300 && file.values.map { "\($0)" }.sorted() == paged.values.map { "\($0)" }.sorted())
                #expect("\(file.participant)" == "\(paged.participant)")
            }
            let report = try await store.verifyAudit(full: true, replay: true)
            #expect(report.isIntact, "\(report)")
            // Derived like typed data: everyone treated, responses and CRS from the daily assessments.
            let outcomes = try await server.services.runtime.outcomes.derive(by: try await server.principal(.statistician))
            #expect(outcomes.enrolled == 12 && outcomes.treated == 12)
            #expect(outcomes.overallResponse != nil && outcomes.participants.allSatisfy { $0.problems.isEmpty }, "\(outcomes.participants.map(\.problems))")
            // Triggers fire again on the store's own connections after a load: a change forgets that participant's kept figures.
            let key = try #require(server.services.runtime.outcomes.figuresKey())
            _ = try await server.services.runtime.outcomes.stream(by: try await server.principal(.statistician), includeSources: false) { _ in }
            #expect(try await store.outcomeFiguresCount(key: key) == 12)
            try await store.executeRaw("UPDATE item_values SET updated_by = 'someone' WHERE participant_id = '\(participants[0].id.rawValue)'")
            #expect(try await store.outcomeFiguresCount(key: key) == 11)
        }
    }

    /// A loaded value changed behind the audit trail is found by the replay (the load digest no longer matches); a
    /// change through the services is audited as usual and leaves the load digest intact.
    @Test(arguments: TestDatabase.engines)
    func theReplayFindsALoadedValueChangedWithoutAnAuditRecord(engine: DatabaseEngine) async throws {
        try await Self.scale(engine, count: 5, seed: 3) { server, _ in
            let store = server.store
            let p = try #require(try await store.participants(studyID: StudyID(server.services.runtime.study.id)).first)
            // Through the services: an audited change with its reason.
            let coordinator = try await server.principal(.coordinator)
            let file = try await server.services.runtime.screening.file(p.subjectID, by: coordinator)
            _ = try await server.services.runtime.conduct.saveVisitForms(
                subjectID: p.subjectID, visitID: "M1", forms: ["F_LAB_HEM": ["PLT": .init(value: "77", unit: "10*9/L")]],
                expectedVersion: file.participant.version, reason: ChangeReason(code: .transcriptionError, text: "Report re-read"), by: coordinator)
            let afterSave = try await store.verifyAudit(full: true, replay: true)
            #expect(afterSave.isIntact, "\(afterSave)")
            // Behind the audit trail: a loaded value nobody changed through Carta.
            try await store.executeRaw("UPDATE item_values SET value_text = '999' WHERE participant_id = '\(p.id.rawValue)' AND item_oid = 'HGB' AND event_oid = 'D1'")
            let differences = try await store.replayAuditTrail()
            #expect(differences.map(\.field) == [CartaStore.syntheticLoadField], "\(differences)")
            #expect(differences.first?.entityID == p.id.rawValue && differences.first?.label == p.subjectID.rawValue)
            // Compared a page of participants at a time, whatever the page size: the same difference.
            for participantsPerPage in [1, 2, 4] {
                #expect(try await store.replayAuditTrail(participantsPerPage: participantsPerPage) == differences)
            }
        }
    }

    @Test func theScaleCohortIsDeterministicForASeed() async throws {
        @Sendable func values(_ seed: UInt64) async throws -> [String] {
            let out = Mutex<[String]>([])
            try await Self.scale(.sqlite, count: 5, seed: seed) { server, _ in
                var lines: [String] = []
                for p in try await server.store.participants(studyID: StudyID(server.services.runtime.study.id)) {
                    for v in try await server.store.itemValues(participantID: p.id) {
                        lines.append("\(p.subjectID) \(v.address.path) \(v.value?.text ?? "") \(v.value?.unit ?? "") \(v.value?.standardValue.map { "\($0)" } ?? "")")
                    }
                    lines.append(try await server.store.auditTrail(entity: .participant, entityID: p.id.rawValue).last?.newValue ?? "")
                }
                out.withLock { $0 = lines }
            }
            return out.withLock { $0 }
        }
        let a = try await values(42), b = try await values(42), c = try await values(43)
        #expect(a.count > 1_000 && a == b)
        #expect(a != c)
    }

    /// Refused, with nothing written: a database not marked synthetic, and a batch clashing with a loaded subject.
    @Test(arguments: TestDatabase.engines)
    func theLoadIsRefusedOutsideASyntheticDatabaseAndOnAClash(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, _ in
            let store = server.store
            let study = StudyID(server.services.runtime.study.id)
            func participant(_ n: Int) throws -> SyntheticParticipant {
                try SyntheticParticipant(subjectID: SubjectID("SYN-\(n)"), sequenceNumber: n, siteID: SiteID("SUZHOU"),
                                         identity: ParticipantIdentity(fullName: "Synthetic \(n)", dateOfBirth: nil, hospitalNumber: nil),
                                         enrolledAt: Date(), values: [SyntheticValue(address: ItemAddress(eventOID: EventOID("D1"), formOID: FormOID("F_LAB_HEM"),
                                                                                                        itemOID: ItemOID("PLT")),
                                                                                     value: MeasuredValue(text: "20", unit: "10*9/L", standardValue: 20, standardUnit: "10*9/L"))])
            }
            let before = try await server.snapshot()
            do {
                _ = try await store.loadSynthetic(studyID: study, [try participant(1)], reason: "test", actor: Self.system, at: Date())
                Issue.record("a database not marked synthetic was loaded")
            } catch let e as StoreError {
                #expect(e.code == .conflict && e.message.contains("not marked as holding synthetic data"), "\(e)")
            }
            #expect(try await server.snapshot() == before)
            try await store.markSynthetic(detail: "test", actor: Self.system, at: Date())
            #expect(try await store.loadSynthetic(studyID: study, [try participant(1)], reason: "test", actor: Self.system, at: Date()) == 1)
            let loaded = try await server.snapshot()
            // The second participant of this batch clashes with the first one loaded: the whole batch is refused.
            await #expect(throws: StoreError.self) {
                _ = try await store.loadSynthetic(studyID: study, [try participant(2), try participant(1)], reason: "test", actor: Self.system, at: Date())
            }
            #expect(try await server.snapshot() == loaded)
            // A value given twice for one participant is refused when the participant is made.
            #expect(throws: StoreError.self) {
                let v = SyntheticValue(address: ItemAddress(eventOID: EventOID("D1"), formOID: FormOID("F_VISIT"), itemOID: ItemOID("VISIT_DATE")),
                                       value: MeasuredValue(text: "2026-01-01"))
                _ = try SyntheticParticipant(subjectID: SubjectID("SYN-9"), sequenceNumber: 9, siteID: SiteID("SUZHOU"),
                                             identity: ParticipantIdentity(fullName: nil, dateOfBirth: nil, hospitalNumber: nil), enrolledAt: Date(), values: [v, v])
            }
        }
    }

    /// With an INSERT trigger the load does not know (a later migration's, here one counting rows), triggers stay on
    /// for the load: that trigger fires for every row.
    @Test func anUnknownInsertTriggerKeepsTriggersFiring() async throws {
        try await TestServer.run(.sqlite) { server, _ in
            let store = server.store
            try await store.markSynthetic(detail: "test", actor: Self.system, at: Date())
            try await store.executeRaw("CREATE TABLE inserted_values (n INTEGER)")
            try await store.executeRaw("CREATE TRIGGER item_values_counted AFTER INSERT ON item_values BEGIN INSERT INTO inserted_values VALUES (1); END")
            let address = { (item: String) in ItemAddress(eventOID: EventOID("D1"), formOID: FormOID("F_LAB_HEM"), itemOID: ItemOID(item)) }
            let p = try SyntheticParticipant(subjectID: SubjectID("SYN-1"), sequenceNumber: 1, siteID: SiteID("SUZHOU"),
                                             identity: ParticipantIdentity(fullName: "Synthetic", dateOfBirth: nil, hospitalNumber: nil), enrolledAt: Date(),
                                             values: ["PLT", "ANC", "HGB"].map { SyntheticValue(address: address($0), value: MeasuredValue(text: "1", unit: "10*9/L")) })
            #expect(try await store.loadSynthetic(studyID: StudyID(server.services.runtime.study.id), [p], reason: "test", actor: Self.system, at: Date()) == 3)
            #expect(try await store.tableContents("inserted_values", orderBy: "n").count == 3)
        }
    }
}
