import CartaModel
import Foundation
import Testing
import CartaCore
@_spi(Testing) import CartaStore
import CartaTestSupport

/// The persistence contract: every test runs on SQLite (file) and on real PostgreSQL.
/// Source: DESIGN.md §4 ("Store: one contract suite run on SQLite (file) and on real PostgreSQL"); issue 2 scope 3–6.
@Suite("Store contract")
struct StoreContractTests {
    // Issue 2 scope 3: named forward-only migrations, recorded, idempotent.
    @Test(arguments: TestDatabase.engines)
    func migrationsAreRecordedAndIdempotent(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrated: false) { store in
            #expect(try await store.isEmpty())
            #expect(try await store.pendingMigrations() == Migration.all.map(\.name))
            let first = try await store.migrate()
            #expect(first == Migration.all.map(\.name))
            #expect(try await store.migrate() == [])
            #expect(try await store.pendingMigrations() == [])
            #expect(try await store.isEmpty() == false)
            let applied = try await store.appliedMigrations()
            #expect(applied.map(\.name) == Migration.all.map(\.name))
            for entry in applied { #expect(StoreTimestamp.date(entry.appliedAt) != nil, "applied_at \(entry.appliedAt)") }
            #expect(try await store.tableNames() == ["adverse_events", "alert_acknowledgements", "api_tokens", "audit_chain", "audit_checkpoints", "audit_events", "audit_redactions", "audit_reviews", "casebook_signatures",
                                                     "eligibility_decisions", "item_values", "locks", "outcome_figures",
                                                     "participant_identities", "participants", "queries", "query_messages", "schema_migrations",
                                                     "sdv_marks", "sessions", "users"])
            // A database written by a newer Carta is refused rather than half-understood.
            try await store.executeRaw("INSERT INTO schema_migrations (name, applied_at) VALUES ('9999_future', '2030-01-01T00:00:00.000Z')")
            let error = await expectStoreError(.invalidState) { _ = try await store.migrate() }
            #expect(error?.message.contains("9999_future") == true)
        }
    }

    // Issue 2 scope 5: users, audited without the password hash.
    @Test(arguments: TestDatabase.engines)
    func usersAreCreatedAuditedAndFound(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { store in
            #expect(try await store.userCount() == 0)
            let hash = "$2b$12$abcdefghijklmnopqrstuuSECRETHASHVALUE0123456789abcdefghi"
            let user = try await store.createUser(username: "ines", displayName: "Dr Ines Ortega", role: .investigator,
                                                  passwordHash: hash, actor: Fixtures.cliActor)
            #expect(try await store.userCount() == 1)
            #expect(try await store.user(username: "ines") == user)
            #expect(try await store.user(id: user.id) == user)
            #expect(try await store.user(username: "nobody") == nil)
            let creds = try #require(try await store.credentials(username: "ines"))
            #expect(creds.passwordHash == hash)
            #expect(creds.user.role == .investigator && creds.user.active)
            await expectStoreError(.conflict) {
                _ = try await store.createUser(username: "ines", displayName: "Other", role: .monitor,
                                               passwordHash: hash, actor: Fixtures.cliActor)
            }
            let trail = try await store.auditTrail(entity: .user, entityID: user.id.rawValue)
            #expect(Set(trail.map(\.field)) == ["username", "display_name", "role", "sites", "active", "password"])
            #expect(trail.first { $0.field == "password" }?.newValue == "(set)")
            #expect(!trail.contains { ($0.newValue ?? "").contains("SECRETHASH") })
            #expect(trail.allSatisfy { $0.source == .cli && $0.username == "system" })
        }
    }

    // notes/stack.md pitfall 9: persisted sessions and API tokens, only hashes stored, expiry honoured.
    @Test(arguments: TestDatabase.engines)
    func sessionsAndTokensPersistHashedAndExpire(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { store in
            let (user, _) = try await Fixtures.user(store, "cora", role: .coordinator)
            let token = CartaStore.newToken()
            let now = Date()
            let session = try await store.createSession(token: token, userID: user.id, csrfToken: "csrf-1",
                                                        expiresAt: now.addingTimeInterval(3600))
            #expect(session.id == CartaStore.tokenHash(token) && session.id != token)
            let found = try #require(try await store.session(token: token, now: now))
            #expect(found.userID == user.id && found.csrfToken == "csrf-1")
            #expect(try await store.session(token: token, now: now.addingTimeInterval(3601)) == nil)
            #expect(try await store.session(token: CartaStore.newToken(), now: now) == nil)

            let apiToken = CartaStore.newToken()
            _ = try await store.createAPIToken(token: apiToken, userID: user.id, expiresAt: now.addingTimeInterval(60))
            #expect(try await store.apiToken(token: apiToken, now: now)?.userID == user.id)
            #expect(try await store.apiToken(token: apiToken, now: now.addingTimeInterval(61)) == nil)

            let stored = try await snapshot(store)
            let flat = (stored["sessions"] ?? []) + (stored["api_tokens"] ?? [])
            #expect(!flat.joined().contains { $0.contains(token) || $0.contains(apiToken) }, "raw tokens must never be stored")

            try await store.deleteSession(token: token)
            #expect(try await store.session(token: token, now: now) == nil)
            try await store.deleteAPIToken(token: apiToken)
            #expect(try await store.apiToken(token: apiToken, now: now) == nil)
        }
    }

    // Issue 2 scope 6: sequential pseudonymous subject IDs; duplicates rejected leaving the database unchanged.
    @Test(arguments: TestDatabase.engines)
    func subjectIDsAreSequentialAndDuplicatesRejected(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { store in
            let (_, actor) = try await Fixtures.user(store, "cora", role: .coordinator)
            var ids: [String] = []
            for _ in 1...3 { ids.append(try await registerOne(store, actor).subjectID.rawValue) }
            #expect(ids == ["BCRITP-001", "BCRITP-002", "BCRITP-003"])
            let other = try await store.registerParticipant(studyID: "OTHER", siteID: "S01", subjectID: Fixtures.bcritpSubjectID,
                                                            identity: nil, actor: actor)
            #expect(other.subjectID == "BCRITP-001" && other.sequenceNumber == 1)

            let before = try await snapshot(store)
            let error = await expectStoreError(.conflict) {
                _ = try await store.registerParticipant(studyID: "NCT05315778", siteID: "S01", subjectID: { _ in "BCRITP-002" },
                                                        identity: nil, actor: actor)
            }
            #expect(error?.message.contains("BCRITP-002") == true)
            #expect(try await snapshot(store) == before)
            #expect(try await store.participants(studyID: "NCT05315778").map(\.subjectID.rawValue) == ids)
            #expect(try await store.participant(subjectID: "BCRITP-003", studyID: "NCT05315778")?.sequenceNumber == 3)
        }
    }

    // Issue 2 "Bad input": stale form → conflict naming who saved first; database exactly as before.
    @Test(arguments: TestDatabase.engines)
    func staleVersionIsAConflictAndChangesNothing(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { store in
            let (_, cora) = try await Fixtures.user(store, "cora", role: .coordinator)
            let (_, carl) = try await Fixtures.user(store, "carl", role: .coordinator)
            let p = try await registerOne(store, cora)
            #expect(p.version == 1)
            let saved = try await store.saveItems(participantID: p.id, eventOID: "SCREENING", formOID: "VITALS",
                                                  values: [ItemValueInput(itemOID: "WEIGHT", value: MeasuredValue(text: "70", unit: "kg"))],
                                                  expectedVersion: 1, reason: nil, actor: carl)
            #expect(saved.version == 2 && saved.updatedBy == "carl")
            let before = try await snapshot(store)
            let error = await expectStoreError(.conflict) {
                _ = try await store.saveItems(participantID: p.id, eventOID: "SCREENING", formOID: "VITALS",
                                              values: [ItemValueInput(itemOID: "WEIGHT", value: MeasuredValue(text: "71", unit: "kg"))],
                                              expectedVersion: 1, reason: nil, actor: cora)
            }
            #expect(error?.message.contains("carl") == true)
            #expect(error?.message.contains("reload") == true)
            #expect(try await snapshot(store) == before)
            await expectStoreError(.notFound) {
                _ = try await store.saveItems(participantID: .random(), eventOID: "SCREENING", formOID: "VITALS",
                                              values: [], expectedVersion: 1, reason: nil, actor: cora)
            }
        }
    }

    // Issue 2 scope 4: one audit event per changed field (old → new, units too); unchanged values write nothing.
    @Test(arguments: TestDatabase.engines)
    func auditRecordsEachChangedFieldOnly(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { store in
            let (user, cora) = try await Fixtures.user(store, "cora", role: .coordinator)
            let p = try await registerOne(store, cora)
            let values = [ItemValueInput(itemOID: "WEIGHT", value: MeasuredValue(text: "70", unit: "kg")),
                          ItemValueInput(itemOID: "HEIGHT", value: MeasuredValue(text: "170", unit: "cm"))]
            var v = try await store.saveItems(participantID: p.id, eventOID: "SCR", formOID: "VS", values: values,
                                              expectedVersion: 1, reason: nil, actor: cora)
            var trail = try await store.auditTrail(entity: .itemValue, entityID: p.id.rawValue)
            #expect(Set(trail.map(\.field)) == ["SCR/VS/WEIGHT", "SCR/VS/WEIGHT:unit", "SCR/VS/HEIGHT", "SCR/VS/HEIGHT:unit"])
            #expect(trail.allSatisfy { $0.oldValue == nil && $0.userID == user.id.rawValue && $0.source == .web })

            // Identical save: no audit, no version bump.
            let same = try await store.saveItems(participantID: p.id, eventOID: "SCR", formOID: "VS", values: values,
                                                 expectedVersion: v.version, reason: nil, actor: cora)
            #expect(same.version == v.version)
            #expect(try await store.auditTrail(entity: .itemValue, entityID: p.id.rawValue).count == 4)

            // Unit change only (70 kg → 70 [lb_av]) with a reason: exactly one event.
            v = try await store.saveItems(participantID: p.id, eventOID: "SCR", formOID: "VS",
                                          values: [ItemValueInput(itemOID: "WEIGHT", value: MeasuredValue(text: "70", unit: "[lb_av]")),
                                                   values[1]],
                                          expectedVersion: v.version, reason: "wrong unit", actor: cora)
            trail = try await store.auditTrail(entity: .itemValue, entityID: p.id.rawValue)
            #expect(trail.count == 5)
            let last = try #require(trail.last)
            #expect(last.field == "SCR/VS/WEIGHT:unit" && last.oldValue == "kg" && last.newValue == "[lb_av]")
            #expect(last.reason == "wrong unit")
            #expect(v.version == 3)
        }
    }

    // Issue 2 scope 4: the change and its audit record are one transaction — a failure mid-way leaves neither.
    @Test(arguments: TestDatabase.engines)
    func failureMidTransactionLeavesNeitherChangeNorAudit(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { store in
            let (_, cora) = try await Fixtures.user(store, "cora", role: .coordinator)
            let p = try await registerOne(store, cora)
            // A test-only trigger makes the *second* audit insert fail, after the first value and its audit row are written.
            try await installFailingAuditTrigger(store, engine)
            let before = try await snapshot(store)
            await expectStoreError(.constraint) {
                _ = try await store.saveItems(participantID: p.id, eventOID: "SCR", formOID: "VS",
                                              values: [ItemValueInput(itemOID: "WEIGHT", value: MeasuredValue(text: "70")),
                                                       ItemValueInput(itemOID: "NOTE", value: MeasuredValue(text: "BOOM"))],
                                              expectedVersion: 1, reason: nil, actor: cora)
            }
            #expect(try await snapshot(store) == before)
            #expect(try await store.itemValues(participantID: p.id).isEmpty)
            #expect(try await store.participant(id: p.id)?.version == 1)
            #expect(try await store.verifyAuditChain() == .intact(count: before["audit_events"]?.count ?? -1))
        }
    }

    // Issue 2 scope 3–4: several forms saved with one button are one transaction with one version bump.
    @Test(arguments: TestDatabase.engines)
    func saveFormsIsOneTransaction(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { store in
            let (_, cora) = try await Fixtures.user(store, "cora", role: .coordinator)
            let p = try await registerOne(store, cora)
            let saved = try await store.saveForms(participantID: p.id, eventOID: "SCR", forms: [
                (formOID: "VS", values: [ItemValueInput(itemOID: "WEIGHT", value: MeasuredValue(text: "70", unit: "kg"))]),
                (formOID: "LAB", values: [ItemValueInput(itemOID: "HGB", value: MeasuredValue(text: "120", unit: "g/L"))]),
            ], expectedVersion: 1, reason: nil, actor: cora)
            #expect(saved.version == 2)
            #expect(try await store.itemValues(participantID: p.id).map(\.address.formOID) == ["LAB", "VS"])
            let before = try await snapshot(store)
            // The same item twice in one form is refused before anything is written.
            await expectStoreError(.constraint) {
                _ = try await store.saveForms(participantID: p.id, eventOID: "SCR", forms: [
                    (formOID: "VS", values: [ItemValueInput(itemOID: "WEIGHT", value: MeasuredValue(text: "71")),
                                             ItemValueInput(itemOID: "WEIGHT", value: MeasuredValue(text: "72"))]),
                ], expectedVersion: 2, reason: nil, actor: cora)
            }
            try await installFailingAuditTrigger(store, engine)
            // A database failure in the second form undoes the first form's writes and audit rows too.
            await expectStoreError(.constraint) {
                _ = try await store.saveForms(participantID: p.id, eventOID: "SCR", forms: [
                    (formOID: "VS", values: [ItemValueInput(itemOID: "WEIGHT", value: MeasuredValue(text: "71", unit: "kg"))]),
                    (formOID: "LAB", values: [ItemValueInput(itemOID: "HGB", value: MeasuredValue(text: "121", unit: "g/L")),
                                              ItemValueInput(itemOID: "NOTE", value: MeasuredValue(text: "BOOM"))]),
                ], expectedVersion: 2, reason: "typo", actor: cora)
            }
            #expect(try await snapshot(store) == before)
        }
    }

    // Issue 2 scope 4: the trigger blocks UPDATE/DELETE; verify finds the first altered record after tampering.
    @Test(arguments: TestDatabase.engines)
    func auditChainIsAppendOnlyAndTamperingIsDetected(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { store in
            let (_, cora) = try await Fixtures.user(store, "cora", role: .coordinator)
            let p = try await registerOne(store, cora)
            _ = try await store.saveItems(participantID: p.id, eventOID: "SCR", formOID: "LAB",
                                          values: [ItemValueInput(itemOID: "PLT", value: MeasuredValue(text: "45", unit: "10*9/L"))],
                                          expectedVersion: 1, reason: nil, actor: cora)
            let trail = try await store.auditTrail(entity: nil, entityID: nil)
            #expect(try await store.verifyAuditChain() == .intact(count: trail.count))
            #expect(trail.count >= 10)
            #expect(trail.first?.prevHash == AuditHasher.genesis)
            for (a, b) in zip(trail, trail.dropFirst()) { #expect(b.prevHash == a.hash && a.seq < b.seq) }

            let target = try #require(trail.first { $0.field == "SCR/LAB/PLT" })
            await expectStoreError(.constraint) { try await store.executeRaw("UPDATE audit_events SET new_value = '450' WHERE seq = \(target.seq)") }
            await expectStoreError(.constraint) { try await store.executeRaw("DELETE FROM audit_events WHERE seq = \(target.seq)") }
            if engine == .postgresql {
                await expectStoreError(.constraint) { try await store.executeRaw("TRUNCATE audit_events") }
            }
            #expect(try await store.auditTrail(entity: nil, entityID: nil) == trail)

            // An attacker with DDL rights disables the protection and edits one value: verify names that record.
            switch engine {
            case .sqlite: try await store.executeRaw("DROP TRIGGER audit_events_no_update")
            case .postgresql: try await store.executeRaw("DROP TRIGGER audit_events_append_only ON audit_events")
            }
            try await store.executeRaw("UPDATE audit_events SET new_value = '450' WHERE seq = \(target.seq)")
            guard case .broken(let seq, let reason) = try await store.verifyAuditChain() else {
                Issue.record("tampering not detected"); return
            }
            #expect(seq == target.seq)
            #expect(reason.contains("altered"))
        }
    }

    // Issue 2 scope 4: a forged record inserted directly (trigger does not block INSERT) breaks the chain there.
    @Test(arguments: TestDatabase.engines)
    func forgedInsertedRecordIsDetected(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { store in
            let (_, cora) = try await Fixtures.user(store, "cora", role: .coordinator)
            _ = try await registerOne(store, cora)
            let trail = try await store.auditTrail(entity: nil, entityID: nil)
            let last = try #require(trail.last)
            // Correct link to the last hash but a made-up hash: the content check fails.
            try await store.executeRaw("""
                INSERT INTO audit_events (at, user_id, username, source, entity, entity_id, field, old_value, new_value, reason, prev_hash, hash)
                VALUES ('2026-11-25T10:00:00.000Z', NULL, 'mallory', 'web', 'participant', 'x', 'status', NULL, 'enrolled', NULL, '\(last.hash)', '\(String(repeating: "f", count: 64))')
                """)
            let forged = try #require(try await store.auditTrail(entity: nil, entityID: nil).last)
            #expect(try await store.verifyAuditChain() == .broken(seq: forged.seq, reason: "record \(forged.seq) was altered: its content no longer matches its hash"))
            // A further row, even one with a self-consistent hash, cannot repair the chain: the first break is reported.
            _ = try await registerOne(store, cora)
            guard case .broken(let seq, _) = try await store.verifyAuditChain() else { Issue.record("not detected"); return }
            #expect(seq == forged.seq)
        }
    }

    // Issue 2 scope 6: a wrong link (row removed or re-linked) is reported as a broken link.
    @Test(arguments: TestDatabase.engines)
    func brokenLinkIsDetected(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { store in
            let (_, cora) = try await Fixtures.user(store, "cora", role: .coordinator)
            _ = try await registerOne(store, cora)
            let trail = try await store.auditTrail(entity: nil, entityID: nil)
            let victim = trail[3]
            switch engine {
            case .sqlite: try await store.executeRaw("DROP TRIGGER audit_events_no_delete")
            case .postgresql: try await store.executeRaw("DROP TRIGGER audit_events_append_only ON audit_events")
            }
            try await store.executeRaw("DELETE FROM audit_events WHERE seq = \(victim.seq)")
            guard case .broken(let seq, let reason) = try await store.verifyAuditChain() else { Issue.record("not detected"); return }
            #expect(seq == trail[4].seq)
            #expect(reason.contains("does not link"))
        }
    }

    // Issue 2 scope 6: enrolment stops at the target (5): the 6th is refused and nothing changes.
    @Test(arguments: TestDatabase.engines)
    func sixthEnrolmentIsRefused(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { store in
            let (_, cora) = try await Fixtures.user(store, "cora", role: .coordinator)
            let (ines, inesActor) = try await Fixtures.user(store, "ines", role: .investigator)
            var enrolled: [Participant] = []
            for i in 1...6 {
                let p = try await registerOne(store, cora)
                _ = try await store.recordEligibilitySignature(
                    participantID: p.id, decision: .eligible, criteriaSnapshot: #"{"I1":"met"}"#, signer: ines.id,
                    signerName: ines.displayName, meaning: "I confirm the eligibility assessment", contentHash: "c0ffee",
                    expectedVersion: p.version, actor: inesActor)
                if i < 6 {
                    enrolled.append(try await store.enrol(participantID: p.id, expectedVersion: p.version, maxEnrolled: 5, actor: cora))
                } else {
                    let before = try await snapshot(store)
                    let error = await expectStoreError(.enrolmentFull) {
                        _ = try await store.enrol(participantID: p.id, expectedVersion: p.version, maxEnrolled: 5, actor: cora)
                    }
                    #expect(error?.message.contains("5") == true)
                    #expect(try await snapshot(store) == before)
                    #expect(try await store.participant(id: p.id)?.status == .screening)
                    // Without a cap (the study file allows more) the same participant can be enrolled.
                    _ = try await store.enrol(participantID: p.id, expectedVersion: p.version, maxEnrolled: nil, actor: cora)
                }
            }
            #expect(enrolled.allSatisfy { $0.status == .enrolled && $0.enrolledAt != nil && $0.version == 2 })
            #expect(try await store.participants(studyID: "NCT05315778").filter { $0.status == .enrolled }.count == 6)
            let statusTrail = try await store.auditTrail(entity: .participant, entityID: enrolled[0].id.rawValue)
                .filter { $0.field == "status" }
            #expect(statusTrail.map(\.newValue) == ["screening", "enrolled"])
            #expect(statusTrail.last?.oldValue == "screening")
        }
    }

    // Issue 2 scope 6: enrolment needs a signed *eligible* decision made on the current data.
    @Test(arguments: TestDatabase.engines)
    func enrolmentNeedsACurrentSignedEligibleDecision(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { store in
            let (_, cora) = try await Fixtures.user(store, "cora", role: .coordinator)
            let (ines, inesActor) = try await Fixtures.user(store, "ines", role: .investigator)
            var p = try await registerOne(store, cora)
            await expectStoreError(.invalidState) {
                _ = try await store.enrol(participantID: p.id, expectedVersion: p.version, maxEnrolled: 5, actor: cora)
            }
            func sign(_ kind: EligibilityDecisionKind, _ version: Int) async throws -> EligibilityDecision {
                try await store.recordEligibilitySignature(
                    participantID: p.id, decision: kind, criteriaSnapshot: "{}", signer: ines.id, signerName: ines.displayName,
                    meaning: "I confirm the eligibility assessment", contentHash: "c0ffee", expectedVersion: version, actor: inesActor)
            }
            _ = try await sign(.notEligible, p.version)
            await expectStoreError(.invalidState) {
                _ = try await store.enrol(participantID: p.id, expectedVersion: p.version, maxEnrolled: 5, actor: cora)
            }
            let d = try await sign(.eligible, p.version)
            let latest = try #require(try await store.latestEligibilityDecision(participantID: p.id))
            #expect(latest == d)
            #expect(latest.signerName == "Ines" && latest.meaning == "I confirm the eligibility assessment")
            // Data changes after signing make the signature stale.
            p = try await store.saveItems(participantID: p.id, eventOID: "SCR", formOID: "LAB",
                                          values: [ItemValueInput(itemOID: "HGB", value: MeasuredValue(text: "95", unit: "g/L"))],
                                          expectedVersion: p.version, reason: nil, actor: cora)
            let error = await expectStoreError(.invalidState) {
                _ = try await store.enrol(participantID: p.id, expectedVersion: p.version, maxEnrolled: 5, actor: cora)
            }
            #expect(error?.message.contains("sign again") == true)
            await expectStoreError(.conflict) { _ = try await sign(.eligible, p.version - 1) }
            _ = try await sign(.eligible, p.version)
            let enrolled = try await store.enrol(participantID: p.id, expectedVersion: p.version, maxEnrolled: 5, actor: cora)
            #expect(enrolled.status == .enrolled)
            let decisionAudit = try await store.auditTrail(entity: .eligibilityDecision, entityID: d.id)
            #expect(decisionAudit.contains { $0.field == "decision" && $0.newValue == "eligible" && $0.username == "ines" })
        }
    }

    // Issue 2 scope 6: screen failures keep their reasons; no enrolment afterwards.
    @Test(arguments: TestDatabase.engines)
    func screenFailureKeepsReasons(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { store in
            let (_, cora) = try await Fixtures.user(store, "cora", role: .coordinator)
            let p = try await registerOne(store, cora)
            await expectStoreError(.constraint) {
                _ = try await store.screenFail(participantID: p.id, reasons: ["  "], expectedVersion: p.version, actor: cora)
            }
            let reasons = ["E3: ANC 0.4 × 10⁹/L < 0.5", "withdrew consent"]
            let failed = try await store.screenFail(participantID: p.id, reasons: reasons, expectedVersion: p.version, actor: cora)
            #expect(failed.status == .screenFailed && failed.screenFailureReasons == reasons)
            let reloaded = try #require(try await store.participant(id: p.id))
            #expect(reloaded == failed)
            await expectStoreError(.invalidState) {
                _ = try await store.enrol(participantID: p.id, expectedVersion: reloaded.version, maxEnrolled: 5, actor: cora)
            }
            let audit = try await store.auditTrail(entity: .participant, entityID: p.id.rawValue)
            #expect(audit.contains { $0.field == "status" && $0.oldValue == "screening" && $0.newValue == "screen_failed" })
            #expect(audit.contains { $0.field == "screen_failure_reasons" && ($0.newValue ?? "").contains("withdrew consent") })
        }
    }

    // Issue 2 scope 6: identifying details live only in participant_identities, read only through identity(of:).
    @Test(arguments: TestDatabase.engines)
    func identityIsKeptInASeparateTable(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { store in
            let (_, cora) = try await Fixtures.user(store, "cora", role: .coordinator)
            let identity = ParticipantIdentity(fullName: "Zofia Quintana-Ybarra", dateOfBirth: ClinicalDate(iso: "1961-04-09"),
                                               hospitalNumber: "MRN-778812")
            let p = try await registerOne(store, cora, identity: identity)
            let q = try await registerOne(store, cora)
            #expect(try await store.identity(of: p.id) == identity)
            #expect(try await store.identity(of: q.id) == nil)
            let tables = try await snapshot(store)
            // Not even the identity table holds them in plaintext: they are sealed at rest (R-PR-1).
            for (table, rows) in tables {
                let text = rows.joined().joined(separator: "|")
                #expect(!text.contains("Quintana") && !text.contains("MRN-778812") && !text.contains("1961-04-09"), "identity readable in \(table)")
            }
            #expect(tables["participant_identities"]?.first?.contains { $0.hasPrefix("full_name=enc1:") } == true)
            #expect(tables["participant_identities"]?.count == 1)
            let audit = try await store.auditTrail(entity: .participantIdentity, entityID: p.id.rawValue)
            #expect(audit.map(\.newValue) == ["(recorded)", "(recorded)", "(recorded)"])
        }
    }

    // Issue 2 scope 3; spec/clinical.md §10.3: lab values keep the entered value and unit, the SI value and unit,
    // and the lab's reference range.
    @Test(arguments: TestDatabase.engines)
    func labValuesKeepEnteredStandardAndRange(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { store in
            let (_, cora) = try await Fixtures.user(store, "cora", role: .coordinator)
            let p = try await registerOne(store, cora)
            let inputs = [
                ItemValueInput(itemOID: "PLT", value: MeasuredValue(text: "45", unit: "10*3/uL", standardValue: 45, standardUnit: "10*9/L",
                               lowerLimitNormal: 150, upperLimitNormal: 400)),
                ItemValueInput(itemOID: "CREAT", value: MeasuredValue(text: "1.10", unit: "mg/dL", standardValue: 97.24, standardUnit: "umol/L",
                               lowerLimitNormal: 0.6, upperLimitNormal: 1.2)),
                ItemValueInput(itemOID: "CMT", repeatKey: "2", value: MeasuredValue(text: "hemolysed sample; repeat drawn")),
            ]
            _ = try await store.saveItems(participantID: p.id, eventOID: "SCREENING", formOID: "LAB", values: inputs,
                                          expectedVersion: 1, reason: nil, actor: cora)
            let stored = try await store.itemValues(participantID: p.id)
            #expect(stored.count == 3)
            for input in inputs {
                let v = try #require(stored.first { $0.address.itemOID == input.itemOID && $0.address.repeatKey == input.repeatKey })
                #expect(v.address.eventOID == "SCREENING" && v.address.formOID == "LAB")
                // The measured value travels whole: as entered, standardised and the reference range.
                #expect(v.value == input.value)
                #expect(v.updatedBy == "cora")
            }
            #expect(stored.first { $0.address.itemOID == "CREAT" }?.value?.text == "1.10", "as-entered text keeps trailing zero")
            let fields = try await store.auditTrail(entity: .itemValue, entityID: p.id.rawValue).map(\.field)
            #expect(fields.contains("SCREENING/LAB/CMT[2]"))
            #expect(fields.contains("SCREENING/LAB/PLT:uln"))
        }
    }

    // Issue 2 scope 4: concurrent writers keep the chain linear and subject numbers unique.
    @Test(arguments: TestDatabase.engines)
    func concurrentWritersKeepChainLinear(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { store in
            let (_, cora) = try await Fixtures.user(store, "cora", role: .coordinator)
            let subjects = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<12 { group.addTask { try await registerOne(store, cora).subjectID.rawValue } }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(subjects.sorted() == (1...12).map { Fixtures.bcritpSubjectID($0).rawValue })
            let count = try await store.auditTrail(entity: nil, entityID: nil).count
            #expect(try await store.verifyAuditChain() == .intact(count: count))
        }
    }

    // Two stores on one database stand for two server processes: each serialises its own writers
    // in-process, so only the database lock (advisory lock / BEGIN IMMEDIATE) keeps them apart.
    @Test(arguments: TestDatabase.engines)
    func twoProcessesKeepChainLinear(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { store in
            let (_, cora) = try await Fixtures.user(store, "cora", role: .coordinator)
            let other = try await CartaStore.open(store.url, audit: store.auditFiles)
            let subjects: [String]
            do {
                subjects = try await withThrowingTaskGroup(of: String.self) { group in
                    for i in 0..<12 {
                        let s = i.isMultiple(of: 2) ? store : other
                        group.addTask { try await registerOne(s, cora).subjectID.rawValue }
                    }
                    return try await group.reduce(into: [String]()) { $0.append($1) }
                }
            } catch {
                await other.close()
                throw error
            }
            await other.close()
            #expect(subjects.sorted() == (1...12).map { Fixtures.bcritpSubjectID($0).rawValue })
            let count = try await store.auditTrail(entity: nil, entityID: nil).count
            #expect(try await store.verifyAuditChain() == .intact(count: count))
        }
    }
}

/// Migration 0006 over a database an older Carta filled: users keep their ids, hashes and sessions,
/// gain access to every site, and the new roles become storable.
/// Source: issue 7 scope 1; SQLite "ALTER TABLE" §7 (table rebuild with foreign keys).
@Suite struct RolesMigrationTests {
    @Test(arguments: TestDatabase.engines)
    func existingUsersSessionsAndSignaturesSurvive(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrated: false) { store in
            _ = try await store.migrate(through: "0005_eligibility_decisions")
            try await store.executeRaw("""
                INSERT INTO users (id, username, display_name, role, password_hash, active, created_at)
                VALUES ('u-1', 'ines', 'Dr Ines', 'investigator', '$2b$04$hash', TRUE, '2026-01-01T00:00:00.000Z')
                """)
            try await store.executeRaw("""
                INSERT INTO sessions (id, user_id, csrf_token, created_at, expires_at)
                VALUES ('s-1', 'u-1', 'csrf', '2026-01-01T00:00:00.000Z', '2999-01-01T00:00:00.000Z')
                """)
            let before = try await store.tableContents("sessions", orderBy: "id")
            #expect(try await store.migrate().first == "0006_roles_sites_signatures")
            // SQLite reader connections that read the old table keep its column list; a real upgrade
            // runs `carta migrate` in its own process, so read through a newly opened store as the server would.
            let reader = engine == .sqlite ? try await CartaStore.open(store.url) : store
            let ines = try #require(try await reader.user(username: "ines"))
            #expect(ines.id == "u-1" && ines.role == .investigator && ines.sites == .all)
            // The session survives unchanged; migration 0008 adds when it was last used (= created).
            let after = try await reader.tableContents("sessions", orderBy: "id")
            #expect(after.map { $0.filter { !$0.hasPrefix("last_seen_at=") } } == before)
            #expect(after.first?.contains("last_seen_at=2026-01-01T00:00:00.000Z") == true)
            let sam = try await store.createUser(username: "sam", displayName: "Sam", role: .sponsorViewer, sites: .only(["SUZHOU"]),
                                                 passwordHash: "$2b$04$hash", actor: Fixtures.cliActor)
            #expect(try await reader.user(id: sam.id)?.sites == .only(["SUZHOU"]))
            if engine == .sqlite { await reader.close() }
            // The check still refuses what is not a role; the session's reference is still enforced.
            await #expect(throws: (any Error).self) {
                try await store.executeRaw("UPDATE users SET role = 'superuser' WHERE id = 'u-1'")
            }
            await #expect(throws: (any Error).self) {
                try await store.executeRaw("""
                    INSERT INTO sessions (id, user_id, csrf_token, created_at, expires_at)
                    VALUES ('s-2', 'nobody', 'csrf', '2026-01-01T00:00:00.000Z', '2999-01-01T00:00:00.000Z')
                    """)
            }
        }
    }
}

/// The store refuses to change a saved value without a reason, whatever path calls it; the first
/// entry needs none; each value keeps its own reason in the audit trail.
/// Source: issue 7 scope 3; standards.md R-RC-1.
@Suite struct ReasonForChangeStoreTests {
    @Test(arguments: TestDatabase.engines)
    func savedValuesChangeOnlyWithAReason(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { store in
            let (_, cora) = try await Fixtures.user(store, "cora", role: .coordinator)
            let p = try await store.registerParticipant(studyID: "NCT05315778", siteID: "SUZHOU", subjectID: { _ in "BCRITP-001" },
                                                        identity: nil, actor: cora)
            func weight(_ kg: String, reason: String? = nil) -> [ItemValueInput] {
                [ItemValueInput(itemOID: "WEIGHT", value: MeasuredValue(text: kg, unit: "kg"), reason: reason)]
            }
            let first = try await store.saveItems(participantID: p.id, eventOID: .screening, formOID: "VITALS", values: weight("70"),
                                                  expectedVersion: p.version, reason: nil, actor: cora)
            let before = try await store.tableContents("item_values", orderBy: "item_oid")
            let error = await expectStoreError(.constraint) {
                _ = try await store.saveItems(participantID: p.id, eventOID: .screening, formOID: "VITALS", values: weight("69"),
                                              expectedVersion: first.version, reason: nil, actor: cora)
            }
            #expect(error?.message.contains("reason for change") == true, "\(String(describing: error))")
            #expect(try await store.tableContents("item_values", orderBy: "item_oid") == before)
            _ = try await store.saveItems(participantID: p.id, eventOID: .screening, formOID: "VITALS",
                                          values: weight("69", reason: "transcription_error: scale misread"),
                                          expectedVersion: first.version, reason: "new_information", actor: cora)
            let trail = try await store.auditTrail(entity: .itemValue, entityID: p.id.rawValue)
            let change = try #require(trail.last { $0.field == "SCREENING/VITALS/WEIGHT" })
            #expect(change.oldValue == "70" && change.newValue == "69" && change.reason == "transcription_error: scale misread")
            #expect(trail.first { $0.field == "SCREENING/VITALS/WEIGHT" }?.reason == nil, "a first entry has no reason")
        }
    }
}

/// Identifying details sealed at rest: a database written before sealing is sealed when migrated, and a copy
/// opened with another key file cannot read them.
/// Source: standards.md R-PR-1 ("identifiers in a separate, encrypted store"); GDPR Art. 32(1)(a).
@Suite("Sealed identities")
struct SealedIdentityTests {
    @Test(arguments: TestDatabase.engines)
    func plaintextIdentitiesAreSealedWhenMigrated(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrated: false) { store in
            _ = try await store.migrate(through: "0014_form_signatures")
            let (_, cora) = try await Fixtures.user(store, "cora", role: .coordinator)
            let p = try await registerOne(store, cora, identity: ParticipantIdentity(fullName: "x", dateOfBirth: nil, hospitalNumber: "y"))
            // As an older Carta left it: plaintext values.
            try await store.executeRaw("UPDATE participant_identities SET full_name = 'Plain Person', hospital_number = 'HN-1', date_of_birth = '1970-01-02' WHERE participant_id = '\(p.id.rawValue)'")
            #expect(try await store.migrate() == ["0015_sealed_identities", "0016_alert_acknowledgements", "0017_adverse_events", "0018_visit_signatures",
                                                       "0019_item_values_clustered", "0020_outcome_figures", "0021_audit_data_head"])
            let row = try await store.tableContents("participant_identities", orderBy: "participant_id").joined().joined(separator: "|")
            #expect(!row.contains("Plain Person") && !row.contains("HN-1") && !row.contains("1970-01-02"), "\(row)")
            #expect(try await store.identity(of: p.id) == ParticipantIdentity(fullName: "Plain Person", dateOfBirth: ClinicalDate(iso: "1970-01-02"),
                                                                              hospitalNumber: "HN-1"))
        }
    }

    @Test func aCopyWithAnotherKeyFileCannotReadThem() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("carta-sealed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = try DatabaseURL(parsing: "sqlite://" + dir.appendingPathComponent("c.sqlite").path)
        let store = try await CartaStore.open(url)
        _ = try await store.migrate()
        let (_, cora) = try await Fixtures.user(store, "cora", role: .coordinator)
        let p = try await registerOne(store, cora, identity: ParticipantIdentity(fullName: "Zofia Q", dateOfBirth: ClinicalDate(iso: "1961-04-09"), hospitalNumber: "MRN-1"))
        await store.close()
        try TestDatabase.writeAuditKey(at: dir.appendingPathComponent("other.key").path)
        let copy = try await CartaStore.open(url, audit: AuditFiles(keyFile: dir.appendingPathComponent("other.key").path,
                                                                   witnessFile: dir.appendingPathComponent("other.head").path))
        let error = await #expect(throws: StoreError.self) { _ = try await copy.identity(of: p.id) }
        #expect(error?.message.contains("another key file") == true, "\(String(describing: error))")
        await copy.close()
    }
}
