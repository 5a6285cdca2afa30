import CartaModel
import CartaServer
@_spi(Testing) import CartaStore
import CartaTestSupport
import CartaTrial
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A locked form, casebook or database refuses writes from every path (service, API, web, CLI);
/// locking and unlocking are signed, audited and carry a reason.
/// Source: issue 7 scope 7 and its test ("locked-record writes refused on every path"); standards.md R-DT-2.
@Suite("Data locks")
struct LockTests {
    @Test(arguments: TestDatabase.engines)
    func lockedRecordsRefuseWritesOnEveryPath(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, client in
            let p = try await server.enterEligibleData(try await server.register().subjectID)
            let dm = try await client.token(.dataManager)
            // Signed: a wrong password locks nothing and is audited as a failed signature.
            expectErrorShape(try await client.api(.post, "/api/v1/locks", token: dm, json: [
                "scope": "participant", "subjectID": .string(p.subjectID.rawValue), "reason": "SDV done", "password": "not the password 1"]),
                .unprocessableContent, field: "password")
            #expect(try await server.authenticationEvents().contains("data-manager signature_password_failed"))
            let locked = try await client.api(.post, "/api/v1/locks", token: dm, json: [
                "scope": "participant", "subjectID": .string(p.subjectID.rawValue), "reason": "SDV done",
                "password": .string(Caller.dataManager.password)])
            #expect(locked.status == .created, "\(locked.text)")
            let lockID = try #require(locked.json?["id"]?.string)
            expectErrorShape(try await client.api(.post, "/api/v1/locks", token: dm, json: [
                "scope": "participant", "subjectID": .string(p.subjectID.rawValue), "reason": "again",
                "password": .string(Caller.dataManager.password)]), .conflict)

            let coordinator = try await client.token(.coordinator)
            let investigator = try await client.token(.investigator)
            let session = try await client.webSignIn(.coordinator, server: server)
            let before = try await server.snapshot(ignoringAuthentication: true)
            // API
            let put = try await client.api(.put, "/api/v1/participants/\(p.subjectID)/forms/F_VITALS", token: coordinator,
                                           json: ScreeningData.formBody(version: p.version, items: ["ECOG": Entry(value: "2")], reason: "new_information"))
            expectErrorShape(put, .conflict, code: "invalid_state")
            #expect(put.text.contains("casebook is locked") && put.text.contains("SDV done"), "\(put.text)")
            expectErrorShape(try await client.api(.post, "/api/v1/participants/\(p.subjectID)/eligibility/signature", token: investigator,
                                                  json: ["password": .string(Caller.investigator.password), "decision": "eligible",
                                                         "version": .number(Double(p.version)), "acknowledgeBinding": true]), .conflict, code: "invalid_state")
            // Web
            let web = try await client.webPost("/participants/\(p.subjectID)/screening", session: session,
                                               fields: [("item.ECOG", "2"), ("reason.ECOG", "new_information"), ("version", "\(p.version)")])
            #expect(web.status == .conflict && web.text.contains("casebook is locked"), "\(web.status)")
            let page = try await client.webGet("/participants/\(p.subjectID)", session: session)
            #expect(page.text.contains(#"id="screening-locked""#) && page.text.contains("SDV done") && !page.text.contains(#"id="save-screening""#),
                    "a locked casebook is shown locked and offers no save")
            // Application layer (what the CLI and any import call)
            await #expect(throws: WorkflowError.self) {
                _ = try await server.services.screening.saveForms(subjectID: p.subjectID, forms: ["F_VITALS": ["ECOG": RawEntry(value: "2")]],
                                                                  expectedVersion: p.version, reason: ChangeReason(code: .newInformation),
                                                                  by: try await server.principal(.coordinator))
            }
            #expect(try await server.snapshot(ignoringAuthentication: true) == before, "a locked casebook changed")
            // Another participant is not affected by a casebook lock.
            _ = try await server.register("Grace Hopper")

            // Unlock with a reason; writes work again; both events audited with their reasons.
            let unlocked = try await client.api(.post, "/api/v1/locks/\(lockID)/unlock", token: dm,
                                                json: ["reason": "late lab result", "password": .string(Caller.dataManager.password)])
            #expect(unlocked.status == .ok, "\(unlocked.text)")
            let again = try await client.api(.put, "/api/v1/participants/\(p.subjectID)/forms/F_VITALS", token: coordinator,
                                             json: ScreeningData.formBody(version: p.version, items: ["ECOG": Entry(value: "2")], reason: "new_information"))
            #expect(again.status == .ok, "\(again.text)")
            let trail = try await server.store.auditTrail(entity: .lock, entityID: lockID)
            #expect(trail.map { "\($0.oldValue == nil ? "locked" : "unlocked") (\($0.reason ?? ""))" } == ["locked (SDV done)", "unlocked (late lab result)"])
        }
    }

    @Test(arguments: TestDatabase.engines)
    func formAndDatabaseLocks(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, _ in
            let p = try await server.enterEligibleData(try await server.register().subjectID)
            let locks = server.services.runtime.locks
            let dm = try await server.principal(.dataManager)
            let coordinator = try await server.principal(.coordinator)
            let form = try await locks.lock(.form, subjectID: p.subjectID, formOID: "F_VITALS", reason: "vitals verified",
                                            password: Caller.dataManager.password, by: dm)
            do {
                _ = try await server.services.screening.saveForms(subjectID: p.subjectID, forms: ["F_VITALS": ["ECOG": RawEntry(value: "2")]],
                                                                  expectedVersion: p.version, reason: ChangeReason(code: .newInformation), by: coordinator)
                Issue.record("a locked form was changed")
            } catch let e as WorkflowError {
                #expect(e.code == .invalidState && e.message.contains("form F_VITALS"), "\(e)")
            }
            // Another form of the same participant stays open, also when the page posts the locked form unchanged beside it.
            let unchanged = try #require(try await server.store.itemValues(participantID: p.id).first { $0.address.itemOID == "ECOG" }?.value?.text)
            let saved = try await server.services.screening.saveForms(subjectID: p.subjectID,
                                                                      forms: ["F_LAB_HEM": ["PLT": RawEntry(value: "25", unit: "10*9/L")],
                                                                              "F_VITALS": ["ECOG": RawEntry(value: unchanged)]],
                                                                      expectedVersion: p.version, reason: ChangeReason(code: .newInformation), by: coordinator)
            _ = try await locks.unlock(id: form.id, reason: "correction", password: Caller.dataManager.password, by: dm)

            // A participant or form named with a wider scope is refused (it froze every site instead of one casebook), nothing locked.
            for (scope, subject, formOID, field) in [(DataLock.Scope.database, Optional(p.subjectID), String?.none, "subjectID"),
                                                     (.database, nil, Optional("F_VITALS"), "formOID"), (.participant, p.subjectID, "F_VITALS", "formOID")] {
                await #expect { _ = try await locks.lock(scope, subjectID: subject, formOID: formOID, reason: "r", password: Caller.dataManager.password, by: dm) }
                    throws: { ($0 as? WorkflowError)?.fields.first?.field == field }
            }
            #expect(try await locks.locks(by: dm).isEmpty)
            // Database lock: registration and every write stop; only a data manager with every site may place it.
            _ = try await locks.lock(.database, subjectID: nil, formOID: nil, reason: "interim analysis", password: Caller.dataManager.password, by: dm)
            await #expect(throws: WorkflowError.self) { _ = try await server.register("Mary Somerville") }
            await #expect(throws: WorkflowError.self) {
                _ = try await server.services.screening.enrol(subjectID: p.subjectID, expectedVersion: saved.participant.version, by: coordinator)
            }
            await #expect(throws: WorkflowError(.forbidden, Permission.lockData.refusal)) {
                _ = try await locks.lock(.database, subjectID: nil, formOID: nil, reason: "x", password: Caller.coordinator.password, by: coordinator)
            }
            #expect(try await locks.locks(by: coordinator).map(\.scope) == [.database])
        }
    }
}
