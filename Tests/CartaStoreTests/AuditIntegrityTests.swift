import CartaModel
import Foundation
import Testing
@_spi(Testing) import CartaStore
import CartaTestSupport

/// The key and head witness kept outside the database, records written before the keyed chain, and
/// verification cached per checkpoint. Source: issue 7 scope 8; 21 CFR 11.10(e); docs/audit-integrity.md.
@Suite("Audit integrity: key, witness, checkpoints")
struct AuditIntegrityTests {
    @Test(arguments: TestDatabase.engines)
    func keyAndWitnessLiveOutsideTheDatabase(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { store in
            let trail = try await auditedHistory(store)
            let key = try #require(store.auditFiles.keyFile), witness = try #require(store.auditFiles.witnessFile)
            let mode = try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? Int
            #expect(mode == 0o600)
            // The witness names the newest committed record.
            let text = try String(contentsOfFile: witness, encoding: .utf8)
            let last = try #require(trail.last)
            #expect(text.contains("\"seq\":\(last.seq)"), "\(text)")
            #expect(text.contains(last.hash))
        }
    }

    // DESIGN.md §4: a missing or unsafe setting is refused by name, before any record is written.
    @Test func keyFileMustBePrivateAndPostgreSQLMustNameOne() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("carta-key-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = dir.appendingPathComponent("k").path
        try Data((String(repeating: "ab", count: 32) + "\n").utf8).write(to: URL(fileURLWithPath: key))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: key)
        let lax = await expectStoreError(.invalidConfiguration) {
            let store = try await CartaStore.open(.sqlite(path: dir.appendingPathComponent("db.sqlite").path), audit: AuditFiles(keyFile: key))
            await store.close()
        }
        #expect(lax?.message.contains("chmod 600") == true && lax?.message.contains("--audit-key") == true)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key)
        let store = try await CartaStore.open(.sqlite(path: dir.appendingPathComponent("db.sqlite").path), audit: AuditFiles(keyFile: key))
        await store.close()
        if let text = ProcessInfo.processInfo.environment["CARTA_TEST_POSTGRES_URL"], TestDatabase.engines.contains(.postgresql) {
            let missing = await expectStoreError(.invalidConfiguration) {
                let store = try await CartaStore.open(try DatabaseURL(parsing: text))
                await store.close()
            }
            #expect(missing?.message.contains("CARTA_AUDIT_KEY_FILE") == true)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func missingOrForgedWitnessIsReported(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { store in
            let trail = try await auditedHistory(store)
            let path = try #require(store.auditFiles.witnessFile)
            let original = try Data(contentsOf: URL(fileURLWithPath: path))
            try FileManager.default.removeItem(atPath: path)
            guard case .broken(_, let missing) = try await store.verifyAuditChain() else { Issue.record("missing witness not reported"); return }
            #expect(missing.contains("is missing"), "\(missing)")
            // A witness moved back to an earlier head without the key: its MAC does not match.
            let earlier = trail[2], last = try #require(trail.last)
            let forged = String(decoding: original, as: UTF8.self)
                .replacingOccurrences(of: "\"seq\":\(last.seq)", with: "\"seq\":\(earlier.seq)")
                .replacingOccurrences(of: last.hash, with: earlier.hash)
            try Data(forged.utf8).write(to: URL(fileURLWithPath: path))
            guard case .broken(_, let altered) = try await store.verifyAuditChain() else { Issue.record("forged witness not reported"); return }
            #expect(altered.contains("does not match the audit key"), "\(altered)")
            try original.write(to: URL(fileURLWithPath: path))
            #expect(try await store.verifyAuditChain() == .intact(count: trail.count))
        }
    }

    @Test(arguments: TestDatabase.engines)
    func anotherKeyIsRefused(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { store in
            let trail = try await auditedHistory(store)
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("carta-otherkey-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            try TestDatabase.writeAuditKey(at: dir.appendingPathComponent("k").path)
            let other = try await CartaStore.open(store.url, audit: AuditFiles(keyFile: dir.appendingPathComponent("k").path,
                                                                              witnessFile: store.auditFiles.witnessFile))
            let result = try await other.verifyAuditChain()
            await other.close()
            guard case .broken(let seq, let reason) = result else { Issue.record("wrong key not noticed"); return }
            #expect(seq == trail.last?.seq, "the witness is checked first: \(reason)")
            #expect(reason.contains("does not match the audit key"))
        }
    }

    /// A key file that does not exist, for a database whose records are sealed with a key (a mistyped `--audit-key`,
    /// a key left behind in a move): the open is refused by name, no key is created and nothing is written, so the
    /// next open with the right key finds the chain intact.
    @Test(arguments: TestDatabase.engines)
    func aMissingKeyFileForAnAuditedDatabaseIsRefused(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { store in
            let trail = try await auditedHistory(store)
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("carta-nokey-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let missing = dir.appendingPathComponent("typo.key").path
            let refused = await expectStoreError(.invalidConfiguration) {
                let other = try await CartaStore.open(store.url, audit: AuditFiles(keyFile: missing, witnessFile: dir.appendingPathComponent("h").path))
                await other.close()
            }
            #expect(refused?.message.contains(missing) == true && refused?.message.contains("--audit-key") == true, "\(String(describing: refused))")
            #expect(refused?.message.contains("\(trail.count) audit records") == true, "\(String(describing: refused))")
            #expect(!FileManager.default.fileExists(atPath: missing), "no key was created")
            #expect(try await store.auditCount() == trail.count)
            #expect(try await store.verifyAuditChain() == .intact(count: trail.count))
        }
    }

    @Test(arguments: TestDatabase.engines)
    func movingTheKeyedStartInTheDatabaseIsDetected(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { store in
            let trail = try await auditedHistory(store)
            // Claim every record is "legacy" (plain SHA-256), which anyone could recompute.
            switch engine {
            case .sqlite: try await store.executeRaw("DROP TRIGGER audit_chain_no_update")
            case .postgresql: try await store.executeRaw("DROP TRIGGER audit_chain_append_only ON audit_chain")
            }
            try await store.executeRaw("UPDATE audit_chain SET keyed_from_seq = 1000000")
            guard case .broken(_, let reason) = try await store.verifyAuditChain() else { Issue.record("not detected"); return }
            #expect(reason.contains("keyed chain's start was changed"), "\(reason)")
            #expect(trail.count > 0)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func recordsWrittenBeforeTheKeyedChainStayVerifiableAndProtected(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrated: false) { store in
            _ = try await store.migrate(upTo: "0005_eligibility_decisions")
            for i in 1...3 { try await store.appendLegacyAuditRecord(entity: .user, entityID: "legacy-\(i)", field: "note", newValue: "v\(i)") }
            // Replace the witness an anchor would write: the migration to the keyed chain writes it.
            _ = try await store.migrate()
            let (_, cora) = try await Fixtures.user(store, "cora", role: .coordinator)
            _ = try await registerOne(store, cora)
            let trail = try await store.auditTrail(entity: nil, entityID: nil)
            #expect(try await store.verifyAuditChain() == .intact(count: trail.count))
            // Rewriting the legacy part with recomputed plain hashes breaks the first keyed record's link.
            try await disableAuditTriggers(store, engine)
            var prev = AuditHasher.genesis
            for event in trail.prefix(3) {
                var e = event
                e.newValue = "forged"
                let hash = AuditHasher.hash(of: e, prevHash: prev)
                try await store.executeRaw("UPDATE audit_events SET new_value = 'forged', prev_hash = '\(prev)', hash = '\(hash)' WHERE seq = \(e.seq)")
                prev = hash
            }
            guard case .broken(let seq, let reason) = try await store.verifyAuditChain() else { Issue.record("not detected"); return }
            #expect(seq == trail[3].seq)
            #expect(reason.contains("does not link"), "\(reason)")
        }
    }

    @Test(arguments: TestDatabase.engines)
    func verificationStartsAtTheLastVerifiedCheckpoint(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { store in
            let trail = try await auditedHistory(store) // verified in full once: a checkpoint at its head
            let head = try #require(trail.last)
            _ = try await Fixtures.user(store, "ines", role: .investigator)
            let now = try await store.auditTrail(entity: nil, entityID: nil)
            let first = try await store.verifyAudit(full: false, replay: false)
            #expect(first.chain == .intact(count: now.count))
            #expect(first.checkedAfter == head.seq)
            #expect(first.checkedCount == now.count - trail.count)
            let newest = try #require(now.last)
            let again = try await store.verifyAudit(full: false, replay: false)
            #expect(again.checkedAfter == newest.seq && again.checkedCount == 0)
            #expect(again.chain == .intact(count: now.count))

            // A checkpoint inserted without the key is ignored: verification starts at the last genuine one.
            try await store.executeRaw("INSERT INTO audit_checkpoints (seq, hash, record_count, verified_at, mac) VALUES (\(Int32.max), 'x', 1, '2026-01-01T00:00:00.000Z', 'f00d')")
            #expect(try await store.verifyAudit(full: false, replay: false).checkedAfter == newest.seq)

            // The record a checkpoint names is checked every time; earlier records only by a full check.
            try await disableAuditTriggers(store, engine)
            let early = now[1]
            try await store.executeRaw("UPDATE audit_events SET new_value = 'forged' WHERE seq = \(early.seq)")
            #expect(try await store.verifyAudit(full: false, replay: false).chain == .intact(count: now.count))
            guard case .broken(let seq, _) = try await store.verifyAudit(full: true, replay: false).chain else {
                Issue.record("full check missed the edit"); return
            }
            #expect(seq == early.seq)
            try await store.executeRaw("UPDATE audit_events SET hash = 'changed' WHERE seq = \(newest.seq)")
            guard case .broken(let cp, let reason) = try await store.verifyAudit(full: false, replay: false).chain else {
                Issue.record("checkpoint record change missed"); return
            }
            #expect(cp == now.last?.seq && reason.contains("after it was verified"), "\(reason)")
        }
    }

    /// The chain is walked a page of records at a time in one snapshot: whatever the page size — one record, a few, a
    /// page ending exactly at the head — an intact trail gives the same count, and an altered or removed record is
    /// reported at the same place, in the middle of a page or on its edge.
    @Test(arguments: TestDatabase.engines)
    func theChainIsWalkedAPageAtATime(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { store in
            let trail = try await auditedHistory(store)
            #expect(trail.count >= 6, "a trail long enough to span pages")
            let sizes = [1, 2, 3, trail.count, trail.count + 1]
            for size in sizes {
                let report = try await store.verifyAudit(full: true, replay: false, recordsPerPage: size)
                #expect(report.chain == .intact(count: trail.count) && report.checkedCount == trail.count, "page size \(size)")
            }
            try await disableAuditTriggers(store, engine)
            let altered = trail[trail.count / 2]
            try await store.executeRaw("UPDATE audit_events SET new_value = 'forged' WHERE seq = \(altered.seq)")
            for size in sizes {
                let report = try await store.verifyAudit(full: true, replay: false, recordsPerPage: size)
                guard case .broken(let seq, let reason) = report.chain else { Issue.record("page size \(size): altered record missed"); continue }
                #expect(seq == altered.seq && reason.contains("was altered"), "page size \(size): \(reason)")
                #expect(report.checkedCount == trail.count / 2 + 1, "page size \(size): stops at the first break")
            }
            try await store.executeRaw("UPDATE audit_events SET new_value = \(sqlText(altered.newValue)) WHERE seq = \(altered.seq)")
            let removed = trail[2]
            try await store.executeRaw("DELETE FROM audit_events WHERE seq = \(removed.seq)")
            for size in sizes {
                guard case .broken(let seq, let reason) = try await store.verifyAudit(full: true, replay: false, recordsPerPage: size).chain else {
                    Issue.record("page size \(size): removed record missed"); continue
                }
                #expect(seq == trail[3].seq && reason.contains("does not link"), "page size \(size): \(reason)")
            }
        }
    }
}
