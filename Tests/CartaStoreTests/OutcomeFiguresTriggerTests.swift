import CartaCore
import CartaModel
import Foundation
import Testing
@_spi(Testing) import CartaStore
import CartaTestSupport

/// The triggers of migration `0020_outcome_figures`: every insert, update and delete of a row a participant's
/// outcome figures are derived from (participant, identity, item values, adverse events) forgets that
/// participant's kept figures — both participants when a row moves between them — however it is written (here
/// plain SQL, no service, no audit record), and nobody else's. On PostgreSQL an application role granted before
/// the migration still saves data and keeps figures after it, without a re-grant.
@Suite("Kept outcome figures: triggers")
struct OutcomeFiguresTriggerTests {
    @Test(arguments: TestDatabase.engines)
    func everyWriteToAParticipantsSourcesForgetsTheirFiguresOnly(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { store in
            let (_, cora) = try await Fixtures.user(store, "cora", role: .coordinator)
            let a = try await registerOne(store, cora, identity: ParticipantIdentity(fullName: "A", dateOfBirth: ClinicalDate(iso: "1980-01-01"), hospitalNumber: "1"))
            let b = try await registerOne(store, cora)
            let c = try await registerOne(store, cora)
            let (A, B, C) = (a.id.rawValue, b.id.rawValue, c.id.rawValue)
            let everyone: Set<String> = [A, B, C]
            func kept() async throws -> Set<String> {
                Set(try await store.tableContents("outcome_figures", orderBy: "participant_id").compactMap { row in
                    row.first { $0.hasPrefix("participant_id=") }.map { String($0.dropFirst("participant_id=".count)) }
                })
            }
            let stamp = "'2026-12-07T00:00:00.000Z'"
            let writes: [(sql: String, left: Set<String>)] = [
                ("INSERT INTO item_values (participant_id, event_oid, form_oid, item_oid, repeat_key, value_text, updated_at, updated_by) VALUES ('\(A)', 'SCREENING', 'LAB', 'PLT', '', '45', \(stamp), 'x')", [B, C]),
                ("UPDATE item_values SET value_text = '46' WHERE participant_id = '\(A)'", [B, C]),
                ("UPDATE item_values SET participant_id = '\(B)' WHERE participant_id = '\(A)'", [C]),
                ("DELETE FROM item_values WHERE participant_id = '\(B)'", [A, C]),
                ("""
                 INSERT INTO adverse_events (id, participant_id, number, meddra_code, term, grade, onset, serious_criteria, causality_ld, causality_cart,
                 causality_itp, action, version, updated_by, updated_at) VALUES ('ae1', '\(A)', 1, '10011693', 'Cytokine release syndrome', 1, '2026-01-02', '',
                 'unrelated', 'related', 'unrelated', 'none', 1, 'x', \(stamp))
                 """, [B, C]),
                ("UPDATE adverse_events SET grade = 2 WHERE participant_id = '\(A)'", [B, C]),
                ("DELETE FROM adverse_events WHERE participant_id = '\(A)'", [B, C]),
                ("UPDATE participant_identities SET hospital_number = hospital_number WHERE participant_id = '\(A)'", [B, C]),
                ("DELETE FROM participant_identities WHERE participant_id = '\(A)'", [B, C]),
                ("INSERT INTO participant_identities (participant_id) VALUES ('\(A)')", [B, C]),
                ("UPDATE participants SET updated_by = 'x' WHERE id = '\(B)'", [A, C]),
                ("DELETE FROM participants WHERE id = '\(C)'", [A, B]),
            ]
            for (sql, left) in writes {
                let present = try await store.tableContents("participants", orderBy: "id").compactMap { $0.first { $0.hasPrefix("id=") }.map { String($0.dropFirst(3)) } }
                let figures = present.map { (ParticipantID(rawValue: $0), Data([1, 2, 3])) }
                #expect(try await store.storeOutcomeFigures(figures, key: "k", readAt: try await store.auditHead()))
                #expect(try await kept() == everyone.intersection(present))
                try await store.executeRaw(sql)
                #expect(try await kept() == left, "\(sql)")
            }
            // Kept bytes come back as stored, under their key only.
            _ = try await store.storeOutcomeFigures([(a.id, Data([7, 0, 255]))], key: "k", readAt: try await store.auditHead())
            let page = try await store.outcomeFiguresPage(studyID: "NCT05315778", sites: nil, afterSequence: 0, limit: 10, key: "k")
            #expect(page.participants.map(\.id) == [a.id, b.id] && page.figures[a.id] == Data([7, 0, 255]))
            #expect(try await store.outcomeFiguresPage(studyID: "NCT05315778", sites: nil, afterSequence: 0, limit: 10, key: "other").figures.isEmpty)
        }
    }

    @Test func anApplicationRoleGrantedBeforeTheMigrationKeepsWorking() async throws {
        try await withApplicationRole(migrated: false) { owner, role in
            _ = try await owner.migrate(through: "0019_item_values_clustered")
            let (_, cora) = try await Fixtures.user(owner, "cora", role: .coordinator)
            _ = try await owner.grantApplicationRole(role, password: nil)
            #expect(try await owner.migrate() == ["0020_outcome_figures", "0021_audit_data_head"])
            let app = try await openAs(role, like: owner)
            do {
                let p = try await registerOne(app, cora)
                #expect(try await app.storeOutcomeFigures([(p.id, Data([1]))], key: "k", readAt: try await app.auditHead()))
                // A save as the application role forgets the figures through the trigger (run with the owner's rights).
                _ = try await app.saveItems(participantID: p.id, eventOID: "SCR", formOID: "LAB",
                                            values: [ItemValueInput(itemOID: "PLT", value: MeasuredValue(text: "45", unit: "10*9/L"))],
                                            expectedVersion: 1, reason: nil, actor: cora)
                #expect(try await app.outcomeFiguresCount(key: "k") == 0)
                #expect(try await app.storeOutcomeFigures([(p.id, Data([2]))], key: "k", readAt: try await app.auditHead()))
                #expect(try await app.outcomeFiguresPage(studyID: "NCT05315778", sites: nil, afterSequence: 0, limit: 5, key: "k").figures[p.id] == Data([2]))
            } catch {
                await app.close()
                throw error
            }
            await app.close()
        }
    }
}
