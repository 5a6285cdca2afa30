import CartaModel
import Foundation
import Testing
@_spi(Testing) import CartaStore
import CartaTestSupport

/// The sort key of every table, so snapshots compare row by row.
let tableOrder: [String: String] = [
    "schema_migrations": "name", "users": "id", "sessions": "id", "api_tokens": "token_hash",
    "audit_events": "seq", "audit_chain": "id", "audit_checkpoints": "seq", "participants": "id", "participant_identities": "participant_id",
    "item_values": "participant_id, event_oid, form_oid, item_oid, repeat_key", "eligibility_decisions": "id", "locks": "id",
    "queries": "id", "query_messages": "query_id, seq", "sdv_marks": "participant_id, event_oid, form_oid, item_oid, repeat_key",
    "casebook_signatures": "id", "audit_reviews": "id", "audit_redactions": "seq", "alert_acknowledgements": "participant_id, alert_key", "adverse_events": "id",
    "outcome_figures": "participant_id",
]

/// Full contents of every table: used to prove a failed operation left the database exactly as it was.
func snapshot(_ store: CartaStore) async throws -> [String: [[String]]] {
    var result: [String: [[String]]] = [:]
    for table in try await store.tableNames() {
        let order = try #require(tableOrder[table], "no sort key for table \(table)")
        result[table] = try await store.tableContents(table, orderBy: order)
    }
    return result
}

/// Asserts that `body` throws a `StoreError` with `code`, and returns it.
@discardableResult
func expectStoreError(_ code: StoreError.Code, sourceLocation: SourceLocation = #_sourceLocation,
                      _ body: () async throws -> Void) async -> StoreError? {
    do {
        try await body()
        Issue.record("expected StoreError.\(code.rawValue), but nothing was thrown", sourceLocation: sourceLocation)
        return nil
    } catch let error as StoreError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected StoreError.\(code.rawValue), got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// A registered screening participant in study NCT05315778 at site S01.
func registerOne(_ store: CartaStore, _ actor: AuditActor, identity: ParticipantIdentity? = nil) async throws -> Participant {
    try await store.registerParticipant(studyID: "NCT05315778", siteID: "S01", subjectID: Fixtures.bcritpSubjectID,
                                        identity: identity, actor: actor)
}

/// Installs a test-only trigger that makes inserting an audit row with new_value 'BOOM' fail, to force a
/// database error in the middle of a store transaction.
func installFailingAuditTrigger(_ store: CartaStore, _ engine: DatabaseEngine) async throws {
    switch engine {
    case .sqlite:
        try await store.executeRaw("""
            CREATE TRIGGER test_fail BEFORE INSERT ON audit_events WHEN NEW.new_value = 'BOOM'
            BEGIN SELECT RAISE(ABORT, 'forced failure'); END
            """)
    case .postgresql:
        try await store.executeRaw("""
            CREATE FUNCTION test_fail() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.new_value = 'BOOM' THEN RAISE EXCEPTION 'forced failure'; END IF; RETURN NEW; END $$
            """)
        try await store.executeRaw("CREATE TRIGGER test_fail BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION test_fail()")
    }
}

/// Runs `body` on a fresh PostgreSQL database (migrated or not) with the name of a new login role, then removes the
/// database and the role (and whatever the role was granted) whether `body` succeeded or not. Returns without
/// running `body` when PostgreSQL is not configured (`TestDatabase.engines`).
func withApplicationRole(migrated: Bool = true, _ body: (_ owner: CartaStore, _ role: String) async throws -> Void) async throws {
    guard TestDatabase.engines.contains(.postgresql) else { return }
    let role = "carta_app_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(10)
    let test = try await TestDatabase.make(.postgresql, migrated: migrated)
    let adminText = try #require(ProcessInfo.processInfo.environment["CARTA_TEST_POSTGRES_URL"])
    let admin = try await CartaStore.open(try DatabaseURL(parsing: adminText), audit: test.store.auditFiles)
    func removeRole() async {
        try? await admin.executeRaw("DROP OWNED BY \(role)")
        try? await admin.executeRaw("DROP ROLE IF EXISTS \(role)")
        await admin.close()
    }
    do {
        try await body(test.store, String(role))
    } catch {
        await test.tearDown()
        await removeRole()
        throw error
    }
    await test.tearDown()
    await removeRole()
}

/// A store connected to `owner`'s PostgreSQL database as `role` (no password: the test server trusts local roles).
func openAs(_ role: String, like owner: CartaStore) async throws -> CartaStore {
    struct NotPostgreSQL: Error {}
    guard case .postgres(_, let host, let port, _, let database) = owner.url else { throw NotPostgreSQL() }
    return try await CartaStore.open(try DatabaseURL(parsing: "postgres://\(role)@\(host):\(port)/\(database)"), audit: owner.auditFiles)
}
