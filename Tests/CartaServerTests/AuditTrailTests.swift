import CartaTrial
import CartaModel
import CartaServer
@_spi(Testing) import CartaStore
import CartaTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Disables the append-only protection on a test database, as an attacker with DDL rights could.
func dropAuditProtection(_ store: CartaStore, _ engine: DatabaseEngine) async throws {
    switch engine {
    case .sqlite:
        try await store.executeRaw("DROP TRIGGER audit_events_no_update")
    case .postgresql:
        try await store.executeRaw("DROP TRIGGER audit_events_append_only ON audit_events")
    }
}

/// The audit trail seen through the API and the CLI.
/// Source: issue 2 §4 (who, when, what, why, source; hash chain; `carta audit verify` reports the
/// first broken link, exit 1; tested by tampering with a row directly in SQL).
@Suite("Audit trail")
struct AuditTrailTests {
    @Test(arguments: TestDatabase.engines)
    func everyChangeIsAuditedAndTamperingIsReported(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            let coordinator = try await client.token(.coordinator)
            let monitor = try await client.token(.monitor)
            let start = try await server.store.auditTrail(entity: nil, entityID: nil).count
            let p = try await server.signedEligibleParticipant()
            let afterSetup = try await server.store.auditTrail(entity: nil, entityID: nil)
            #expect(afterSetup.count > start)
            let r = try await client.api(.put, "/api/v1/participants/\(p.subjectID)/forms/F_VITALS", token: coordinator,
                                         json: ScreeningData.formBody(version: p.version, items: ["ECOG": Entry(value: "2")], reason: "new_information: re-assessed"))
            #expect(r.status == .ok)

            // Read through the API (a monitor may read the audit trail).
            let trail = try await client.api(.get, "/api/v1/audit", token: monitor)
            let events = try #require(trail.json?["events"]?.array)
            // One event for the value as entered, one for its standardised form (`…:standard`).
            let added = events.dropFirst(afterSetup.count)
            #expect(added.map { $0["field"] } == ["SCREENING/F_VITALS/ECOG", "SCREENING/F_VITALS/ECOG:standard"])
            let last = try #require(added.first)
            #expect(last["field"] == "SCREENING/F_VITALS/ECOG")
            #expect(last["oldValue"] == "1" && last["newValue"] == "2")
            #expect(last["reason"] == "new_information: re-assessed")
            #expect(last["source"] == "api")
            #expect(last["username"] == "coordinator")
            #expect(last["at"]?.string?.hasSuffix("Z") == true)
            // Identity values never enter the (pseudonymous) audit trail.
            #expect(!trail.text.contains("Lovelace") && !trail.text.contains("1980-05-17"))
            // Participant, identity, items, signature: every kind of change is there.
            let entities = Set(events.compactMap { $0["entity"]?.string })
            #expect(entities.isSuperset(of: ["user", "participant", "participant_identity", "item_value", "eligibility_decision"]))

            let intact = try await client.api(.get, "/api/v1/audit/verify", token: monitor)
            #expect(intact.json == ["intact": true, "count": .number(Double(events.count))])

            // Tamper with one value directly in SQL: verify names that record.
            let target = try #require(try await server.store.auditTrail(entity: nil, entityID: nil).first { $0.field.hasSuffix("/HGB") })
            try await dropAuditProtection(server.store, engine)
            try await server.store.executeRaw("UPDATE audit_events SET new_value = '150' WHERE seq = \(target.seq)")
            let broken = try await client.api(.get, "/api/v1/audit/verify", token: monitor)
            #expect(broken.status == .ok)
            #expect(broken.json?["intact"] == false)
            #expect(broken.json?["brokenAtSeq"]?.int == target.seq)
            #expect(broken.json?["reason"]?.string?.contains("altered") == true)
            let healthz = try await client.execute(uri: "/healthz", method: .get)
            #expect(healthz.status == .ok)
        }
    }

    // Issue 2 §4: `carta audit verify` recomputes the chain and reports the first broken link (exit 1);
    // `carta migrate` is idempotent — both on SQLite and PostgreSQL.
    @Test(arguments: TestDatabase.engines)
    func cliVerifyReportsTheFirstBrokenSeq(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrated: false) { store in
            let url: String
            switch store.url {
            case .sqlite(let path): url = "sqlite://" + path
            case .postgres(let text, _, _, _, _): url = text
            }
            let migrated = try CLI.run(["migrate", "--db", url])
            #expect(migrated.status == 0, "\(migrated.stderr)")
            #expect(migrated.stdout.contains("Applied \(Migration.all.count) migrations"))
            #expect(try CLI.run(["migrate", "--db", url]).stdout.contains("up to date"))
            let (_, cora) = try await Fixtures.user(store, "cora", role: .coordinator)
            for _ in 1...3 {
                _ = try await store.registerParticipant(studyID: "NCT05315778", siteID: "S01", subjectID: Fixtures.bcritpSubjectID,
                                                        identity: nil, actor: cora)
            }
            let trail = try await store.auditTrail(entity: nil, entityID: nil)
            let intact = try CLI.run(["audit", "verify", "--db", url])
            #expect(intact.status == 0)
            #expect(intact.stdout.contains("\(trail.count) records"), "\(intact.stdout)")

            let first = trail[trail.count / 2], later = trail[trail.count - 2]
            try await dropAuditProtection(store, engine)
            try await store.executeRaw("UPDATE audit_events SET new_value = 'enrolled' WHERE seq = \(later.seq)")
            try await store.executeRaw("UPDATE audit_events SET username = 'mallory' WHERE seq = \(first.seq)")

            let broken = try CLI.run(["audit", "verify", "--db", url])
            #expect(broken.status == 1)
            #expect(broken.stdout.isEmpty)
            #expect(broken.stderr.contains("broken at record \(first.seq):"), "\(broken.stderr)")
            #expect(!broken.stderr.contains("record \(later.seq):"))
        }
    }
}

/// A row rewritten with a name the application does not know is a broken link, reported by seq,
/// not a decoding failure that hides where the tampering is. Source: issue 2 scope 4; 21 CFR 11.10(e).
@Suite struct AuditTamperedEntityTests {
    @Test(arguments: TestDatabase.engines)
    func unknownEntityIsABrokenLink(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { store in
            let (_, cora) = try await Fixtures.user(store, "cora", role: .coordinator)
            _ = try await store.registerParticipant(studyID: "NCT05315778", siteID: "S01", subjectID: Fixtures.bcritpSubjectID,
                                                    identity: nil, actor: cora)
            let target = try #require(try await store.auditTrail(entity: .participant, entityID: nil).first)
            try await dropAuditProtection(store, engine)
            try await store.executeRaw("UPDATE audit_events SET entity = 'mystery' WHERE seq = \(target.seq)")
            guard case .broken(let seq, _) = try await store.verifyAuditChain() else {
                Issue.record("tampering not reported"); return
            }
            #expect(seq == target.seq)
        }
    }
}
