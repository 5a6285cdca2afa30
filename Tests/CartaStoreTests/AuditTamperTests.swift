import CartaModel
import Foundation
import Testing
@_spi(Testing) import CartaStore
import CartaTestSupport

/// Tampering that a plain (keyless) SHA-256 chain cannot show, each by someone who can write the database
/// but cannot read the audit key or the head witness outside it. Written against the store API that
/// existed before the keyed chain, so each test failed there (the chain verified "intact").
/// Source: issue 7 scope 8 and its holes ("does not notice the newest audit records being deleted";
/// "a keyless hash chain lets anyone who can write the file recompute every later hash or append a forged
/// row with a valid hash"); 21 CFR 11.10(e).
@Suite("Audit tampering without the key")
struct AuditTamperTests {
    @Test(arguments: TestDatabase.engines)
    func deletingTheNewestRecordsIsDetected(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { store in
            let trail = try await auditedHistory(store)
            try await disableAuditTriggers(store, engine)
            let keep = trail[trail.count - 4]
            try await store.executeRaw("DELETE FROM audit_events WHERE seq > \(keep.seq)")
            guard case .broken(let seq, let reason) = try await store.verifyAuditChain() else {
                Issue.record("truncation at the end not detected"); return
            }
            #expect(seq == trail.last?.seq)
            #expect(reason.contains("newest audit records were deleted"), "\(reason)")
            #expect(reason.contains("ends at record \(keep.seq)"), "\(reason)")
        }
    }

    /// A record deleted before the last verified checkpoint: the default (incremental) check does not re-hash those
    /// records, but their count must still be the checkpoint's (it said "intact" with the old count).
    @Test(arguments: TestDatabase.engines)
    func deletingARecordBeforeTheCheckpointIsDetectedWithoutAFullCheck(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { store in
            let trail = try await auditedHistory(store)
            let first = try await store.verifyAudit(full: false, replay: false)
            #expect(first.isIntact)
            #expect(try await store.verifyAudit(full: false, replay: false).checkedAfter == trail.last?.seq, "a checkpoint was kept")
            try await disableAuditTriggers(store, engine)
            try await store.executeRaw("DELETE FROM audit_events WHERE seq = \(trail[2].seq)")
            let report = try await store.verifyAudit(full: false, replay: false)
            guard case .broken(_, let reason) = report.chain else { Issue.record("deletion before the checkpoint not detected"); return }
            #expect(reason.contains("1 audit record was deleted from the \(trail.count) records verified up to record \(trail.last?.seq ?? 0)"), "\(reason)")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func rewriteWithRecomputedHashesIsDetected(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { store in
            let trail = try await auditedHistory(store)
            try await disableAuditTriggers(store, engine)
            // Change one value and recompute every later hash the way a keyless chain is computed.
            let k = try #require(trail.firstIndex { $0.field == "SCR/LAB/PLT" })
            var prev = trail[k].prevHash
            for i in k..<trail.count {
                var event = trail[i]
                if i == k { event.newValue = "450" }
                let hash = AuditHasher.hash(of: event, prevHash: prev)
                try await store.executeRaw("UPDATE audit_events SET new_value = \(sqlText(event.newValue)), prev_hash = '\(prev)', hash = '\(hash)' WHERE seq = \(event.seq)")
                prev = hash
            }
            guard case .broken(let seq, let reason) = try await store.verifyAuditChain() else {
                Issue.record("rewrite with recomputed hashes not detected"); return
            }
            #expect(seq == trail[k].seq)
            #expect(reason.contains("altered"), "\(reason)")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func forgedAppendedRowWithAValidPlainHashIsDetected(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { store in
            let trail = try await auditedHistory(store)
            let last = try #require(trail.last)
            let forged = AuditEvent(seq: 0, at: "2026-11-25T10:00:00.000Z", userID: nil, username: "mallory", source: .web,
                                    entity: .participant, entityID: last.entityID, field: "status", oldValue: "screening",
                                    newValue: "enrolled", reason: nil, prevHash: last.hash, hash: "")
            let hash = AuditHasher.hash(of: forged, prevHash: last.hash)
            try await store.executeRaw("""
                INSERT INTO audit_events (at, user_id, username, source, entity, entity_id, field, old_value, new_value, reason, prev_hash, hash)
                VALUES ('\(forged.at)', NULL, 'mallory', 'web', 'participant', '\(last.entityID)', 'status', 'screening', 'enrolled', NULL, '\(last.hash)', '\(hash)')
                """)
            let inserted = try #require(try await store.auditTrail(entity: nil, entityID: nil).last)
            #expect(inserted.seq > last.seq && inserted.hash == hash)
            guard case .broken(let seq, let reason) = try await store.verifyAuditChain() else {
                Issue.record("forged appended row not detected"); return
            }
            #expect(seq == inserted.seq)
            #expect(reason.contains("altered"), "\(reason)")
        }
    }
}

/// A user, a participant and two saves of a lab value: a dozen or so audit records.
func auditedHistory(_ store: CartaStore) async throws -> [AuditEvent] {
    let (_, cora) = try await Fixtures.user(store, "cora", role: .coordinator)
    let p = try await registerOne(store, cora)
    let saved = try await store.saveItems(participantID: p.id, eventOID: "SCR", formOID: "LAB",
                                          values: [ItemValueInput(itemOID: "PLT", value: MeasuredValue(text: "45", unit: "10*9/L"))],
                                          expectedVersion: 1, reason: nil, actor: cora)
    _ = try await store.saveItems(participantID: p.id, eventOID: "SCR", formOID: "LAB",
                                  values: [ItemValueInput(itemOID: "PLT", value: MeasuredValue(text: "47", unit: "10*9/L"))],
                                  expectedVersion: saved.version, reason: "lab re-run", actor: cora)
    let trail = try await store.auditTrail(entity: nil, entityID: nil)
    #expect(try await store.verifyAuditChain() == .intact(count: trail.count))
    return trail
}

/// Drops the append-only triggers of `audit_events`, as an attacker with DDL rights on the database could.
func disableAuditTriggers(_ store: CartaStore, _ engine: DatabaseEngine) async throws {
    switch engine {
    case .sqlite:
        try await store.executeRaw("DROP TRIGGER audit_events_no_update")
        try await store.executeRaw("DROP TRIGGER audit_events_no_delete")
    case .postgresql:
        try await store.executeRaw("DROP TRIGGER audit_events_append_only ON audit_events")
    }
}

/// A test-controlled value as an SQL literal.
func sqlText(_ value: String?) -> String {
    value.map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" } ?? "NULL"
}
