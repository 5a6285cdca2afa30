import CartaModel
import Foundation
import Testing
@_spi(Testing) import CartaStore
import CartaTestSupport

/// Replaying the audit trail against the data finds every change made without an audit record.
/// Source: issue 7 scope 8 ("replays the audit trail against the current data, reporting any value, status,
/// role or decision that differs from its last audited value"); hole "a data row changed directly in the
/// database without an audit record"; 21 CFR 11.10(e).
@Suite("Audit replay against the data")
struct AuditReplayTests {
    /// Every writer, once: users, registration with identity, values with units and limits, a signature,
    /// an enrolment, a screen failure, a changed value.
    func fullHistory(_ store: CartaStore) async throws -> (Participant, Participant, User, EligibilityDecision) {
        let (_, cora) = try await Fixtures.user(store, "cora", role: .coordinator)
        let (ines, inesActor) = try await Fixtures.user(store, "ines", role: .investigator)
        let p = try await registerOne(store, cora, identity: ParticipantIdentity(fullName: "Ada Lovelace", dateOfBirth: nil, hospitalNumber: "H1"))
        var v = try await store.saveItems(participantID: p.id, eventOID: "SCR", formOID: "LAB", values: [
            ItemValueInput(itemOID: "PLT", value: MeasuredValue(text: "45", unit: "10*9/L", standardValue: 45, standardUnit: "10*9/L",
                                                                lowerLimitNormal: 150, upperLimitNormal: 400)),
            ItemValueInput(itemOID: "NOTE", value: MeasuredValue(text: "fasting")),
        ], expectedVersion: 1, reason: nil, actor: cora).version
        v = try await store.saveItems(participantID: p.id, eventOID: "SCR", formOID: "LAB", values: [
            ItemValueInput(itemOID: "PLT", value: MeasuredValue(text: "47", unit: "10*9/L", standardValue: 47, standardUnit: "10*9/L",
                                                                lowerLimitNormal: 150, upperLimitNormal: 400)),
        ], expectedVersion: v, reason: "lab re-run", actor: cora).version
        let d = try await store.recordEligibilitySignature(
            participantID: p.id, decision: .eligible, criteriaSnapshot: #"{"I1":"met"}"#, signer: ines.id,
            signerName: ines.displayName, meaning: "I confirm the eligibility assessment", contentHash: "c0ffee",
            expectedVersion: v, actor: inesActor)
        let enrolled = try await store.enrol(participantID: p.id, expectedVersion: v, maxEnrolled: 5, actor: cora)
        let q = try await registerOne(store, cora)
        let failed = try await store.screenFail(participantID: q.id, reasons: ["E3 not met"], expectedVersion: q.version, actor: cora)
        return (enrolled, failed, ines, d)
    }

    @Test(arguments: TestDatabase.engines)
    func dataWrittenByTheStoreMatchesItsTrail(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { store in
            _ = try await fullHistory(store)
            #expect(try await store.replayAuditTrail() == [])
            let report = try await store.verifyAudit(full: true, replay: true)
            #expect(report.isIntact && report.differences == [])
        }
    }

    @Test(arguments: TestDatabase.engines)
    func changesWithoutAnAuditRecordAreReportedByRecordFieldAndValues(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { store in
            let (p, q, ines, d) = try await fullHistory(store)
            let pid = p.id.rawValue
            try await store.executeRaw("UPDATE participants SET status = 'screening', site_id = 'S02' WHERE id = '\(pid)'")
            try await store.executeRaw("UPDATE item_values SET value_text = '450', unit_entered = '10*3/uL' WHERE participant_id = '\(pid)' AND item_oid = 'PLT'")
            try await store.executeRaw("UPDATE item_values SET upper_limit_normal = 450 WHERE participant_id = '\(pid)' AND item_oid = 'PLT'")
            try await store.executeRaw("DELETE FROM item_values WHERE participant_id = '\(pid)' AND item_oid = 'NOTE'")
            try await store.executeRaw("UPDATE users SET role = 'admin', active = \(engine == .sqlite ? "0" : "false") WHERE id = '\(ines.id.rawValue)'")
            try await store.executeRaw("UPDATE eligibility_decisions SET decision = 'not_eligible' WHERE id = '\(d.id)'")
            try await store.executeRaw("DELETE FROM participant_identities WHERE participant_id = '\(pid)'")
            try await store.executeRaw("""
                INSERT INTO participants (id, study_id, subject_id, sequence_number, site_id, status, version, created_at, updated_at, updated_by)
                VALUES ('ghost', 'NCT05315778', 'BCRITP-099', 99, 'S01', 'enrolled', 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 'mallory')
                """)
            try await store.executeRaw("""
                INSERT INTO item_values (participant_id, event_oid, form_oid, item_oid, repeat_key, value_text, updated_at, updated_by)
                VALUES ('ghost', 'SCR', 'LAB', 'PLT', '', '12', '2026-01-01T00:00:00.000Z', 'mallory')
                """)
            let found = try await store.replayAuditTrail()
            func diff(_ entity: AuditEntity, _ id: String, _ field: String) -> AuditDataDifference? {
                found.first { $0.entity == entity && $0.entityID == id && $0.field == field }
            }
            let subject = p.subjectID.rawValue
            #expect(diff(.participant, pid, "status").map { [$0.label, $0.audited, $0.stored] } == [subject, "enrolled", "screening"])
            #expect(diff(.participant, pid, "site_id").map { [$0.audited, $0.stored] } == ["S01", "S02"])
            #expect(diff(.itemValue, pid, "SCR/LAB/PLT").map { [$0.label, $0.audited, $0.stored] } == [subject, "47", "450"])
            #expect(diff(.itemValue, pid, "SCR/LAB/PLT:unit").map { [$0.audited, $0.stored] } == ["10*9/L", "10*3/uL"])
            #expect(diff(.itemValue, pid, "SCR/LAB/PLT:uln").map { [$0.audited, $0.stored] } == ["400.0", "450.0"])
            #expect(diff(.itemValue, pid, "SCR/LAB/NOTE").map { [$0.audited, $0.stored] } == ["fasting", nil])
            #expect(diff(.user, ines.id.rawValue, "role").map { [$0.label, $0.audited, $0.stored] } == ["ines", "investigator", "admin"])
            #expect(diff(.user, ines.id.rawValue, "active").map { [$0.audited, $0.stored] } == ["true", "false"])
            #expect(diff(.eligibilityDecision, d.id, "decision").map { [$0.label, $0.audited, $0.stored] } == ["\(subject) decision \(d.id.prefix(8))", "eligible", "not_eligible"])
            #expect(diff(.participantIdentity, pid, "full_name").map { [$0.audited, $0.stored] } == ["(recorded)", nil])
            #expect(diff(.participant, "ghost", "status").map { [$0.audited, $0.stored] } == [nil, "enrolled"])
            #expect(diff(.participant, "ghost", "status")?.auditedSeq == nil)
            #expect(diff(.participant, "ghost", "status")?.description.contains("never audited") == true)
            #expect(diff(.itemValue, "ghost", "SCR/LAB/PLT").map { [$0.label, $0.audited, $0.stored] } == ["BCRITP-099", nil, "12"])
            #expect(!found.contains { $0.entityID == q.id.rawValue }, "the untouched participant has no difference")
            #expect(found.count == 16, "\(found.map(\.description).joined(separator: "\n"))")
            // Participants' fields, identities and item values are compared a page of participants at a time: any page
            // size finds the same.
            for participantsPerPage in [1, 2] {
                #expect(try await store.replayAuditTrail(participantsPerPage: participantsPerPage) == found)
            }
            // The chain itself is intact: the data, not the trail, was changed.
            let report = try await store.verifyAudit(full: true, replay: true)
            #expect(report.chain == .intact(count: try await store.auditCount()))
            #expect(!report.isIntact && report.differences == found)
        }
    }
}
