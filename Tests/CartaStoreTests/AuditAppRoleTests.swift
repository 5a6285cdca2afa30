import CartaModel
import Foundation
import Testing
@_spi(Testing) import CartaStore
import CartaTestSupport

/// On PostgreSQL the application runs under a login role that does not own the audit table: it can append
/// and read audit records and do its normal work, but cannot update, delete, truncate, or switch off the
/// append-only triggers. Source: issue 7 scope 8 and its hole ("the application's own role owns the audit
/// table and can disable its trigger"); PostgreSQL 15 §5.7; 21 CFR 11.10(d), 11.10(e).
@Suite("PostgreSQL application role")
struct AuditAppRoleTests {
    @Test func applicationRoleCannotRewriteTheAuditTrail() async throws {
        try await withApplicationRole { owner, role in
            let (_, cora) = try await Fixtures.user(owner, "cora", role: .coordinator)
            let granted = try await owner.grantApplicationRole(role, password: nil)
            #expect(granted.contains("audit_events: SELECT, INSERT"), "\(granted)")
            #expect(granted.contains("participants: SELECT, INSERT, UPDATE, DELETE"), "\(granted)")
            // Granting again is harmless (run after each migration that adds a table).
            _ = try await owner.grantApplicationRole(role, password: nil)

            let app = try await openAs(role, like: owner)
            #expect(try await owner.canBypassAuditProtection(), "the owner (here a superuser) can disable the triggers")
            do {
                #expect(try await app.canBypassAuditProtection() == false)
                // Normal work as the application role: register, save, verify (which records a checkpoint).
                let p = try await registerOne(app, cora)
                _ = try await app.saveItems(participantID: p.id, eventOID: "SCR", formOID: "LAB",
                                            values: [ItemValueInput(itemOID: "PLT", value: MeasuredValue(text: "45", unit: "10*9/L"))],
                                            expectedVersion: 1, reason: nil, actor: cora)
                let report = try await app.verifyAudit(full: false, replay: true)
                #expect(report.isIntact, "\(report)")
                #expect(try await app.verifyAudit(full: false, replay: false).checkedCount == 0, "the checkpoint was recorded")

                let refused = [
                    "UPDATE audit_events SET new_value = 'x' WHERE seq = 1",
                    "DELETE FROM audit_events WHERE seq = 1",
                    "TRUNCATE audit_events",
                    "ALTER TABLE audit_events DISABLE TRIGGER ALL",
                    "DROP TRIGGER audit_events_append_only ON audit_events",
                    "UPDATE audit_chain SET keyed_from_seq = 1000000",
                    "DELETE FROM audit_checkpoints",
                    "INSERT INTO schema_migrations (name, applied_at) VALUES ('x', 'y')",
                ]
                for sql in refused {
                    do {
                        try await app.executeRaw(sql)
                        Issue.record("the application role could run: \(sql)")
                    } catch let error as StoreError {
                        #expect(error.message.contains("permission denied") || error.message.contains("must be owner"),
                                "\(sql): \(error.message)")
                    }
                }
                #expect(try await app.verifyAuditChain() == .intact(count: try await app.auditCount()))
            } catch {
                await app.close()
                throw error
            }
            await app.close()
        }
    }

    @Test func sqliteHasNoApplicationRole() async throws {
        try await TestDatabase.with(.sqlite) { store in
            let error = await expectStoreError(.invalidConfiguration) { _ = try await store.grantApplicationRole("carta_app", password: nil) }
            #expect(error?.message.contains("--role") == true)
            let bypass = try await store.canBypassAuditProtection()
            #expect(bypass == false)
        }
    }

    @Test(arguments: TestDatabase.engines)
    func roleNamesAreIdentifiersOnly(engine: DatabaseEngine) async throws {
        guard engine == .postgresql else { return }
        try await TestDatabase.with(engine) { store in
            let error = await expectStoreError(.constraint) { _ = try await store.grantApplicationRole("app; DROP TABLE users", password: nil) }
            #expect(error?.message.contains("--role") == true)
        }
    }
}
