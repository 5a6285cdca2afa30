import CartaModel
@testable import CartaServer
@_spi(Testing) import CartaStore
import CartaStudy
import CartaTestSupport
import CartaTrial
import Foundation
import Testing

/// Restoring an ODM archive into a new database reproduces the data and the audit records (standards.md
/// R-CP-1: "round-trip ODM re-import reproduces data and audit counts"), on both engines; what cannot be
/// restored is refused with the reason, and nothing is half-written.
@Suite("ODM archive re-import")
struct ODMImportTests {
    /// A second, empty Carta database with an administrator, over the same study and engine.
    static func withTarget<T: Sendable>(_ server: TestServer, _ body: @escaping @Sendable (CartaRuntime, Principal) async throws -> T) async throws -> T {
        try await TestDatabase.with(server.engine) { store in
            let config = ServerConfig(host: "127.0.0.1", port: 0, databaseURL: "sqlite://unused.sqlite", bcryptCost: 4)
            let runtime = CartaRuntime(config: config.trial, store: store, study: server.services.study, instant: { Date() })
            let user = try await store.createUser(username: "restorer", displayName: "Restorer", role: .admin,
                                                  passwordHash: server.services.auth.hash("pw-restorer-0123456789"), actor: Fixtures.cliActor)
            return try await body(runtime, Principal(user, source: .cli))
        }
    }

    /// What must survive the round trip, per subject: the participant record, every value with all its parts,
    /// and every audit record of the values and of the participant record (who, when, what, why).
    struct Snapshot: Equatable {
        var participants: [String]
        var values: [String]
        var audit: [String]
    }

    static func snapshot(_ store: CartaStore, study: String) async throws -> Snapshot {
        var s = Snapshot(participants: [], values: [], audit: [])
        for p in try await store.participants(studyID: StudyID(study)) {
            s.participants.append("\(p.subjectID) #\(p.sequenceNumber) \(p.siteID) \(p.status.rawValue) enrolled \(p.enrolledAt.map(StoreTimestamp.string) ?? "-") \(p.screenFailureReasons)")
            for v in try await store.itemValues(participantID: p.id) {
                let m = v.value
                s.values.append("\(p.subjectID) \(v.address.path) = \(m?.text ?? "nil") \(m?.unit ?? "-") \(m?.standardValue.map { "\($0)" } ?? "-") \(m?.standardUnit ?? "-") [\(m?.lowerLimitNormal.map { "\($0)" } ?? "-"), \(m?.upperLimitNormal.map { "\($0)" } ?? "-")] \(v.updatedBy)")
            }
            for e in try await store.auditTrail(entity: nil, entityID: p.id.rawValue)
            where e.entity == .itemValue || (e.entity == .participant && ["study_id", "subject_id", "site_id", "status", "screen_failure_reasons"].contains(e.field)) {
                s.audit.append("\(p.subjectID) \(e.at) \(e.username) \(e.entity.rawValue) \(e.field): \(e.oldValue ?? "nil") → \(e.newValue ?? "nil") (\(e.reason ?? "-"))")
            }
        }
        return s
    }

    @Test(arguments: TestDatabase.engines)
    func aRestoredArchiveReproducesTheDataAndTheAuditRecords(engine: DatabaseEngine) async throws {
        try await TestServer.run(engine) { server, _ in
            // An infused participant (screening, product chain, lymphodepletion, Day 0 count), a correction with a
            // reason, a cleared value; a screen failure; a participant still in screening.
            var p = try await server.infusedParticipant("Ada Lovelace")
            let coordinator = try await server.principal(.coordinator), investigator = try await server.principal(.investigator)
            func visit(_ forms: [String: [String: ScreeningService.RawEntry]]) async throws {
                p = try await server.services.runtime.conduct.saveVisitForms(subjectID: p.subjectID, visitID: "D0", forms: forms,
                                                                             expectedVersion: p.version, by: coordinator).participant
            }
            try await visit(["F_LAB_HEM": ["PLT": .init(value: "42", unit: "10*9/L", lowerLimitNormal: "150", upperLimitNormal: "410",
                                                        reason: ChangeReason(code: .transcriptionError, text: "the lab report says 42")),
                                           "WBC": .init(value: "3.2", unit: "10*9/L", lowerLimitNormal: "3.5", upperLimitNormal: "9.5")]])
            try await visit(["F_LAB_HEM": ["WBC": .init(value: "", reason: ChangeReason(code: .other, text: "sample of another day"))]])
            let failed = try await server.enterEligibleData(try await server.register("Grace Hopper").subjectID)
            _ = try await server.services.screening.screenFail(subjectID: failed.subjectID, reasons: ["E3: platelet count above the limit"],
                                                               expectedVersion: failed.version, by: investigator)
            _ = try await server.register("Alan Turing")
            let dataManager = try await server.principal(.dataManager)
            let xml = try await server.services.runtime.exports.odmArchive(by: dataManager)
            #expect(try ODMExportTests.validate(xml).ok, "the archive is valid ODM 1.3.2")
            let before = try await Self.snapshot(server.store, study: server.services.study.id)
            #expect(before.participants.count == 3 && before.values.count > 100 && before.audit.count > before.values.count)
            #expect(before.values.contains { $0.contains(" D0/F_LAB_HEM/PLT = 42 ") }, "post-infusion values are part of the round trip")

            try await Self.withTarget(server) { target, restorer in
                // Only an administrator restores.
                var coordinatorAccount = restorer.user
                coordinatorAccount.role = .coordinator
                await #expect(throws: WorkflowError.self) { _ = try await target.imports.importArchive(xml: xml, by: Principal(coordinatorAccount, source: .cli)) }
                let summary = try await target.imports.importArchive(xml: xml, by: restorer)
                #expect(summary.participants == 3 && summary.signaturesNotRestored >= 1 && !summary.synthetic)
                let after = try await Self.snapshot(target.store, study: server.services.study.id)
                #expect(after.participants == before.participants)
                #expect(after.values == before.values, "\(zip(after.values, before.values).first { $0 != $1 }.map { "\($0) ≠ \($1)" } ?? "counts \(after.values.count) vs \(before.values.count)")")
                #expect(after.audit == before.audit, "\(zip(after.audit, before.audit).first { $0 != $1 }.map { "\($0) ≠ \($1)" } ?? "counts \(after.audit.count) vs \(before.audit.count)")")
                // The restored trail is intact, replays to the data, says where it came from and who imported it.
                let integrity = try await target.store.verifyAudit(full: true, replay: true)
                #expect(integrity.isIntact && integrity.differences?.isEmpty == true, "\(integrity)")
                let trail = try await target.store.auditTrail(entity: .itemValue, entityID: nil)
                #expect(!trail.isEmpty && trail.allSatisfy { $0.source == .import && $0.userID == nil })
                let imported = try #require(try await target.store.auditTrail(entity: .database, entityID: "archive_import").last)
                #expect(imported.username == "restorer" && imported.newValue?.contains(summary.sha256) == true)
                // Exported again, the restored database gives the same changes with the same records.
                let checker = try await target.store.createUser(username: "checker", displayName: "Checker", role: .dataManager,
                                                                passwordHash: server.services.auth.hash("pw-checker-0123456789"), actor: Fixtures.cliActor)
                let again = try ODMArchiveContent(xml: try await target.exports.odmArchive(by: Principal(checker, source: .api)))
                let first = try ODMArchiveContent(xml: xml)
                func changes(_ c: ODMArchiveContent) -> [String] {
                    c.subjects.flatMap { s in s.changes.map { "\(s.subjectKey) \($0.event)/\($0.form)/\($0.item)=\($0.value ?? "nil") \($0.unit ?? "") \($0.record.username) \($0.record.at) \($0.record.reason ?? "")" } }
                }
                #expect(changes(again) == changes(first))
                // A second restore into the same database is refused and writes nothing.
                let count = try await target.store.auditCount()
                await #expect(throws: WorkflowError.self) { _ = try await target.imports.importArchive(xml: xml, by: restorer) }
                #expect(try await target.store.auditCount() == count)
                #expect(try await target.store.participantCount() == 3)
            }
        }
    }

    @Test func whatCannotBeRestoredIsRefusedAndNothingIsWritten() async throws {
        try await TestServer.run { server, _ in
            var p = try await server.signedEligibleParticipant("Ada Lovelace")
            let coordinator = try await server.principal(.coordinator), dataManager = try await server.principal(.dataManager)
            p = try await server.services.screening.saveForms(
                subjectID: p.subjectID, forms: ["F_VITALS": ["ECOG": .init(value: "0", reason: ChangeReason(code: .other, text: "Ada's husband Bill said so"))]],
                expectedVersion: p.version, by: coordinator).participant
            let xml = try await server.services.runtime.exports.odmArchive(by: dataManager)
            let limited = try await server.services.runtime.exports.odmArchive(by: dataManager, mode: .limited, dataUseAgreement: "DUA-1")
            // The leak is redacted: the archive now withholds ECOG's current value.
            let leak = try #require(try await server.store.auditTrail(entity: .itemValue, entityID: p.id.rawValue).last { $0.reason?.contains("Bill") == true })
            _ = try await server.services.runtime.audit.redact(seq: leak.seq, justification: "Relative's name typed into a reason",
                                                               password: Caller.dataManager.password, code: nil, by: dataManager, accounts: server.services.auth)
            let redacted = try await server.services.runtime.exports.odmArchive(by: dataManager)
            let subject = p.subjectID

            try await Self.withTarget(server) { target, restorer in
                func refusal(_ text: String) async -> String {
                    do { _ = try await target.imports.importArchive(xml: text, by: restorer); return "imported" } catch { return "\(error)" }
                }
                #expect(await refusal(limited).contains("not a transactional archive"))
                #expect(await refusal(xml.replacingOccurrences(of: "StudyOID=\"NCT05315778\"", with: "StudyOID=\"NCT00000001\"")).contains("study NCT00000001"))
                #expect(await refusal(xml.replacingOccurrences(of: "?>\n<ODM", with: "?>\n<!DOCTYPE ODM [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<ODM")).contains("document type declaration"))
                // Cut at a line end, so the file ends after a whole element (a cut inside a tag is refused as that tag).
                let middle = xml.index(xml.startIndex, offsetBy: xml.count / 2)
                let half = await refusal(String(xml[..<(xml[..<middle].lastIndex(of: "\n") ?? middle)]))
                #expect(half.contains("not closed"), "\(half)")
                // A value the study file does not accept (platelets beyond the hard limit) names the subject, the item and the rule.
                let plt = try #require(xml.range(of: "ItemOID=\"PLT\" TransactionType=\"Insert\" Value=\""))
                let valueEnd = try #require(xml[plt.upperBound...].firstIndex(of: "\""))
                let tampered = xml.replacingCharacters(in: plt.upperBound..<valueEnd, with: "99999")
                let message = await refusal(tampered)
                #expect(message.contains("\(subject) SCREENING/F_LAB_HEM/PLT") && message.contains("accepted range"), "\(message)")
                #expect(await refusal(redacted).contains("redacted"))
                #expect(try await target.store.participantCount() == 0)
                #expect(try await target.store.auditTrail(entity: .itemValue, entityID: nil).isEmpty)
                // A locked database refuses the import too (issue 7 scope 7: "refuses writes from every path … import").
                let manager = try await target.store.createUser(username: "dana", displayName: "Dana", role: .dataManager,
                                                                passwordHash: server.services.auth.hash("pw-dana-0123456789"), actor: Fixtures.cliActor)
                let lock = try await target.locks.lock(.database, subjectID: nil, formOID: nil, reason: "migration check",
                                                       password: "pw-dana-0123456789", by: Principal(manager, source: .cli))
                #expect(await refusal(xml).contains("locked"))
                #expect(try await target.store.participantCount() == 0)
                _ = try await target.locks.unlock(id: lock.id, reason: "check done", password: "pw-dana-0123456789", by: Principal(manager, source: .cli))
                // The untampered archive restores.
                #expect(try await target.imports.importArchive(xml: xml, by: restorer).participants == 1)
            }
        }
    }

    /// The command line: a demo database exported by a data manager (`carta export odm`) and restored by an
    /// administrator (`carta import odm`) into a new database, which is marked synthetic like its source.
    @Test func theCommandLineRestoresAnArchiveAndKeepsTheSyntheticMark() async throws {
        let (source, sourceDir) = try CLI.tempSQLite(), (target, targetDir) = try CLI.tempSQLite()
        defer { try? FileManager.default.removeItem(at: sourceDir); try? FileManager.default.removeItem(at: targetDir) }
        let demo = try await CLI.runAsync(["demo", "--participants", "1", "--db", source])
        #expect(demo.status == 0, "\(demo.stderr)")
        let dmPassword = "data manager password 1\n", adminPassword = "administrator password 1\n"
        #expect(try await CLI.runAsync(["user", "add", "dm", "--role", "data-manager", "--all-sites", "--db", source], stdin: dmPassword).status == 0)
        let file = sourceDir.appendingPathComponent("archive.xml").path
        let export = try await CLI.runAsync(["export", "odm", "--db", source, "--user", "dm", "--out", file], stdin: dmPassword)
        #expect(export.status == 0, "\(export.stderr)")
        // Written under a temporary name and linked into place: only the archive is left, readable by its owner alone,
        // and its size is the one reported.
        let written = try FileManager.default.attributesOfItem(atPath: file)
        #expect((written[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(export.stdout.contains("(\((written[.size] as? NSNumber)?.intValue ?? -1) bytes)"), "\(export.stdout)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: sourceDir.path).filter { $0.contains("partial") || $0.hasPrefix("carta-odm-") }.isEmpty)
        // An existing file is never overwritten; a folder that does not exist is named.
        let twice = try await CLI.runAsync(["export", "odm", "--db", source, "--user", "dm", "--out", file], stdin: dmPassword)
        let afterTwice = try FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber
        #expect(twice.status != 0 && twice.stderr.contains("exists") && afterTwice == (written[.size] as? NSNumber))
        let nowhere = try await CLI.runAsync(["export", "odm", "--db", source, "--user", "dm", "--out", sourceDir.path + "/no-such-folder/a.xml"], stdin: dmPassword)
        #expect(nowhere.status != 0 && nowhere.stderr.contains("no-such-folder"), "\(nowhere.stderr)")
        #expect(try await CLI.runAsync(["migrate", "--db", target]).status == 0)
        #expect(try await CLI.runAsync(["user", "add", "root", "--role", "admin", "--all-sites", "--db", target], stdin: adminPassword).status == 0)
        let refused = try await CLI.runAsync(["import", "odm", "--db", target, "--user", "dm", "--in", file], stdin: dmPassword)
        #expect(refused.status != 0)
        let restored = try await CLI.runAsync(["import", "odm", "--db", target, "--user", "root", "--in", file], stdin: adminPassword)
        #expect(restored.status == 0 && restored.stdout.contains("restored: ODM archive") && restored.stdout.contains("1 participant(s)")
                && restored.stdout.contains("synthetic demonstration data"), "\(restored.stdout)\(restored.stderr)")
        let store = try await CartaStore.open(try DatabaseURL(parsing: target))
        #expect(try await store.isSynthetic())
        #expect(try await store.participantCount() == 1)
        #expect(try await store.verifyAudit(full: true, replay: true).isIntact)
        await store.close()
        let again = try await CLI.runAsync(["import", "odm", "--db", target, "--user", "root", "--in", file], stdin: adminPassword)
        #expect(again.status != 0 && again.stderr.contains("already holds 1 participant"), "\(again.stderr)")
    }
}
