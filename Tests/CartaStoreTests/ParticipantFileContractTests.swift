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
}
