import CartaCore
import CartaModel
@_spi(Testing) import CartaStore
import CartaTestSupport
import Foundation
import Testing

/// The batched reads behind the pages: one participant's file, every participant's file and the study
/// snapshot agree with the single-purpose reads, identity only when asked, in a fixed number of statements.
/// Source: issue 6 "Done when" and scope 2; DESIGN.md §4 (contract suite on both engines).
@Suite("Participant files")
struct ParticipantFileContractTests {
    @Test(arguments: TestDatabase.engines)
    func fileAgreesWithSingleReads(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { store in
            let (cora, coraActor) = try await Fixtures.user(store, "cora", role: .coordinator)
            _ = cora
            let identity = ParticipantIdentity(fullName: "Ada Lovelace", dateOfBirth: ClinicalDate(iso: "1980-05-17"), hospitalNumber: "H-1")
            let p = try await registerOne(store, coraActor, identity: identity)
            let other = try await registerOne(store, coraActor)
            let saved = try await store.saveItems(participantID: p.id, eventOID: .screening, formOID: "LAB",
                                                  values: [ItemValueInput(itemOID: "HGB", value: MeasuredValue(text: "95", unit: "g/L", standardValue: 95, standardUnit: "g/L", lowerLimitNormal: 115, upperLimitNormal: 150))],
                                                  expectedVersion: 1, reason: nil, actor: coraActor)
            let (ivy, _) = try await Fixtures.user(store, "ivy", role: .investigator)
            let d = try await store.recordEligibilitySignature(participantID: p.id, decision: .notEligible, criteriaSnapshot: "[]",
                                                               signer: ivy.id, signerName: "Dr Ivy", meaning: "m", contentHash: "c0ffee",
                                                               expectedVersion: saved.version, actor: coraActor)

            let before = store.readStatementCount
            let file = try #require(try await store.participantFile(subjectID: p.subjectID, studyID: "NCT05315778",
                                                                    includeIdentity: true, includeHistory: true))
            #expect(store.readStatementCount - before == 3)
            #expect(file.participant == saved)
            #expect(file.identity == identity)
            #expect(file.dateOfBirth == identity.dateOfBirth)
            #expect(file.latestDecision == d)
            #expect(file.values == (try await store.itemValues(participantID: p.id)))
            #expect(file.valueHistory == (try await store.auditTrail(entity: .itemValue, entityID: p.id.rawValue)))

            let bare = try #require(try await store.participantFile(subjectID: p.subjectID, studyID: "NCT05315778",
                                                                    includeIdentity: false, includeHistory: false))
            #expect(bare.identity == nil, "identity only when the caller may read it")
            #expect(bare.dateOfBirth == identity.dateOfBirth, "the age criterion needs the date of birth")
            #expect(bare.valueHistory.isEmpty)
            #expect(try await store.participantFile(subjectID: "BCRITP-999", studyID: "NCT05315778",
                                                    includeIdentity: false, includeHistory: false) == nil)

            let start = store.readStatementCount
            let all = try await store.participantFiles(studyID: "NCT05315778")
            #expect(store.readStatementCount - start == 2)
            #expect(all.map(\.participant.subjectID) == [p.subjectID, other.subjectID])
            #expect(all[0].values == file.values && all[0].latestDecision == d && all[0].identity == nil)
            #expect(all[1].values.isEmpty && all[1].latestDecision == nil)

            let snapshot = try await store.studySnapshot(studyID: "NCT05315778")
            #expect(snapshot.participants == all)
            #expect(snapshot.participant(p.subjectID)?.values.count == 1)
        }
    }

    /// The whole-study pass reads a page at a time (on SQLite through the C API, `SQLiteRawConnection`): every page
    /// holds exactly the values of the whole read, without their change stamps, and honours the site filter.
    /// Source: issue 9 scope 4.
    @Test(arguments: TestDatabase.engines)
    func pagesHoldTheWholeReadsValues(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { store in
            let (_, actor) = try await Fixtures.user(store, "cora", role: .coordinator)
            var registered: [Participant] = []
            for n in 0..<5 {
                var p = try await store.registerParticipant(studyID: "NCT05315778", siteID: n == 3 ? "S02" : "S01",
                                                            subjectID: Fixtures.bcritpSubjectID, identity: nil, actor: actor)
                guard n != 4 else { registered.append(p); continue }  // the last one has no values at all
                p = try await store.saveItems(participantID: p.id, eventOID: .screening, formOID: "LAB", values: [
                    ItemValueInput(itemOID: "HGB", value: MeasuredValue(text: "9\(n)", unit: "g/L", standardValue: Double(90 + n), standardUnit: "g/L",
                                                                        lowerLimitNormal: 115, upperLimitNormal: 150)),
                    ItemValueInput(itemOID: "NOTE", value: MeasuredValue(text: "é \(n) — ünïcode")),
                    ItemValueInput(itemOID: "EMPTY", value: MeasuredValue(text: "")),
                ], expectedVersion: p.version, reason: nil, actor: actor)
                // A cleared value stays a row without a value.
                p = try await store.saveItems(participantID: p.id, eventOID: "D1", formOID: "F_VITALS",
                                              values: [ItemValueInput(itemOID: "TEMP", value: MeasuredValue(text: "38.\(n)", unit: "Cel", standardValue: 38, standardUnit: "Cel"))],
                                              expectedVersion: p.version, reason: nil, actor: actor)
                p = try await store.saveItems(participantID: p.id, eventOID: "D1", formOID: "F_VITALS", values: [ItemValueInput(itemOID: "TEMP", value: nil)],
                                              expectedVersion: p.version, reason: "entered in error", actor: actor)
                registered.append(p)
            }
            func bare(_ v: ItemValue) -> ItemValue { var v = v; v.updatedAt = Date(timeIntervalSince1970: 0); v.updatedBy = ""; return v }
            func key(_ v: ItemValue) -> String { "\(v.address.eventOID)/\(v.address.formOID)/\(v.address.itemOID)/\(v.address.repeatKey)" }
            let whole = try await store.participantFiles(studyID: "NCT05315778")
            #expect(whole.reduce(0) { $0 + $1.values.count } == 16)
            for sites in [nil, [SiteID("S01")], [SiteID("S02")], []] as [[SiteID]?] {
                var paged: [ParticipantFile] = []
                var after = 0
                while true {
                    let before = store.readStatementCount
                    let page = try await store.participantFiles(studyID: "NCT05315778", sites: sites, afterSequence: after, limit: 2)
                    guard let last = page.last else { break }
                    // On SQLite the values come straight from SQLite's C API: one statement through SQLKit, not two.
                    #expect(store.readStatementCount - before == (engine == .sqlite ? 1 : 2))
                    #expect(page.count <= 2)
                    paged += page; after = last.participant.sequenceNumber
                }
                let expected = whole.filter { sites?.contains($0.participant.siteID) ?? true }
                #expect(paged.map(\.participant) == expected.map(\.participant), "sites \(String(describing: sites))")
                for (a, b) in zip(paged, expected) {
                    #expect(a.values.sorted { key($0) < key($1) } == b.values.map(bare).sorted { key($0) < key($1) })
                }
            }
            #expect(registered.count == 5)
        }
    }

    /// A page of 64 participants or more is read in two halves on SQLite (two connections at once): the page still holds
    /// exactly each participant's own values, with or without a site filter that leaves gaps in the sequence numbers.
    /// Source: issue 9 scope 4.
    @Test(arguments: TestDatabase.engines)
    func aLargePageReadInHalvesHoldsEachParticipantsValues(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { store in
            let (_, actor) = try await Fixtures.user(store, "cora", role: .coordinator)
            for n in 0..<90 {
                let p = try await store.registerParticipant(studyID: "NCT05315778", siteID: n % 4 == 0 ? "S02" : "S01",
                                                            subjectID: Fixtures.bcritpSubjectID, identity: nil, actor: actor)
                _ = try await store.saveItems(participantID: p.id, eventOID: .screening, formOID: "LAB", values: [
                    ItemValueInput(itemOID: "HGB", value: MeasuredValue(text: "\(100 + n)", unit: "g/L", standardValue: Double(100 + n), standardUnit: "g/L")),
                    ItemValueInput(itemOID: "NOTE", value: MeasuredValue(text: "participant \(n)")),
                ], expectedVersion: p.version, reason: nil, actor: actor)
            }
            func bare(_ v: ItemValue) -> ItemValue { var v = v; v.updatedAt = Date(timeIntervalSince1970: 0); v.updatedBy = ""; return v }
            func key(_ v: ItemValue) -> String { "\(v.address.eventOID)/\(v.address.formOID)/\(v.address.itemOID)/\(v.address.repeatKey)" }
            let whole = try await store.participantFiles(studyID: "NCT05315778")
            #expect(try await store.participantCount(studyID: "NCT05315778", sites: nil) == 90)
            #expect(try await store.participantCount(studyID: "NCT05315778", sites: [SiteID("S01")]) == 67)
            #expect(try await store.participantCount(studyID: "NCT05315778", sites: []) == 0)
            #expect(try await store.participantCount(studyID: "NCT00000000", sites: nil) == 0)
            for sites in [nil, [SiteID("S01")]] as [[SiteID]?] {
                let page = try await store.participantFiles(studyID: "NCT05315778", sites: sites, afterSequence: 0, limit: 100)
                let expected = whole.filter { sites?.contains($0.participant.siteID) ?? true }
                #expect(page.count == (sites == nil ? 90 : 67))  // both at least 64: read in halves
                #expect(page.map(\.participant) == expected.map(\.participant))
                for (a, b) in zip(page, expected) {
                    #expect(a.values.count == 2 && a.values.sorted { key($0) < key($1) } == b.values.map(bare).sorted { key($0) < key($1) })
                }
            }
        }
    }
}
