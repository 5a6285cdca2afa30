import CartaTrial
import CartaModel
import CartaServer
@_spi(Testing) import CartaStore
import CartaStudy
import Foundation
import Testing

/// The `carta` command line, run as the built binary.
/// Source: DESIGN.md §3 (commands; exit 0 success, 1 invalid input, 2 usage) and issue 2 §2, §5, §6.
@Suite("Command line")
struct CLITests {
    // Issue 2 §2: `carta study show` prints the built-in file; `study validate` accepts it.
    @Test func studyShowPrintsTheBuiltInFile() throws {
        let r = try CLI.run(["study", "show"])
        #expect(r.status == 0)
        #expect(r.stdout == (try BuiltInStudy.yamlText()))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("carta-study-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("study.yaml")
        try r.stdout.write(to: file, atomically: true, encoding: .utf8)
        let valid = try CLI.run(["study", "validate", file.path])
        #expect(valid.status == 0, "\(valid.stderr)")
        #expect(valid.stdout.contains("valid"))
    }

    // Issue 2 §2: every problem with its path in the file, exit 1.
    @Test func studyValidateListsEveryProblemWithItsPath() throws {
        var text = try BuiltInStudy.yamlText()
        let rule = #"compare: {item: HGB, op: "<", value: 100, unit: g/L}"#
        let ecog = "hardRange: {min: 0, max: 5}"
        try #require(text.contains(rule) && text.contains(ecog))
        text = text.replacingOccurrences(of: rule, with: rule.replacingOccurrences(of: "HGB", with: "HGBX"))
        text.replaceSubrange(text.range(of: ecog)!, with: "hardRange: {min: 5, max: 0}")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("carta-study-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("broken.yaml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let r = try CLI.run(["study", "validate", file.path])
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains(#"eligibility.exclusion[6].rule.any[0].compare.item: unknown item "HGBX""#), "\(r.stderr)")
        #expect(r.stderr.contains("forms[1].items[0].hardRange: min 5 is greater than max 0"), "\(r.stderr)")
        let malformed = dir.appendingPathComponent("malformed.yaml")
        try "study: [unclosed\n  id: x".write(to: malformed, atomically: true, encoding: .utf8)
        let m = try CLI.run(["study", "validate", malformed.path])
        #expect(m.status == 1)
        #expect(!m.stderr.isEmpty)
        let usage = try CLI.run(["study", "validate"])
        #expect(usage.status == 2)
    }

    // Issue 2 §3: `carta migrate` applies named migrations once; a second run changes nothing.
    @Test func migrateIsIdempotent() async throws {
        let (url, dir) = try CLI.tempSQLite()
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = try CLI.run(["migrate", "--db", url])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("Applied \(Migration.all.count) migrations"), "\(first.stdout)")
        let second = try CLI.run(["migrate", "--db", url])
        #expect(second.status == 0)
        #expect(second.stdout.contains("up to date"), "\(second.stdout)")
        let viaEnv = try CLI.run(["migrate"], environment: ["CARTA_DATABASE_URL": url])
        #expect(viaEnv.stdout.contains("up to date"), "\(viaEnv.stdout)")
        let store = try await CartaStore.open(try DatabaseURL(parsing: url))
        #expect(try await store.pendingMigrations().isEmpty)
        await store.close()
        let badURL = try CLI.run(["migrate", "--db", "mysql://nope"])
        #expect(badURL.status == 1, "\(badURL.stderr)")
        // A mistyped --db is said as such by every command that does not create a database, and nothing is created.
        let typo = dir.appendingPathComponent("typo.sqlite").path
        for command in [["audit", "verify"], ["derive", "--user", "x"], ["export", "odm", "--user", "x", "--out", dir.appendingPathComponent("a.xml").path],
                        ["participant", "list", "--user", "x"], ["today", "--user", "x"]] {
            let r = try CLI.run(command + ["--db", "sqlite://" + typo], stdin: "password\n")
            #expect(r.status == 1 && r.stderr.contains("[not_found] no database at \(typo): check --db"), "\(command): \(r.stderr)")
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("typo") }
        #expect(left.isEmpty, "no database, audit key or head file was created: \(left)")
    }

    // Issue 2 §5: `carta user add NAME --role ROLE` reads the password from stdin.
    @Test func userAddReadsThePasswordFromStdin() async throws {
        let (url, dir) = try CLI.tempSQLite()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.run(["user", "add", "ines", "--role", "investigator", "--display-name", "Dr Ines Ortega", "--site", "SUZHOU", "--db", url],
                            stdin: "correct horse battery\n")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stdout.contains("correct horse"))
        let short = try CLI.run(["user", "add", "bob", "--role", "monitor", "--all-sites", "--db", url], stdin: "short\n")
        #expect(short.status == 1)
        #expect(short.stderr.contains("12 characters"))
        let none = try CLI.run(["user", "add", "bob", "--role", "monitor", "--all-sites", "--db", url], stdin: "")
        #expect(none.status == 1)
        let role = try CLI.run(["user", "add", "bob", "--role", "superuser", "--all-sites", "--db", url], stdin: "long enough password\n")
        #expect(role.status == 2, "\(role.stderr)")
        // Issue 7 scope 1: every account states its sites, and they must be the study's.
        let noSites = try CLI.run(["user", "add", "bob", "--role", "monitor", "--db", url], stdin: "long enough password\n")
        #expect(noSites.status == 2 && noSites.stderr.contains("--all-sites"), "\(noSites.stderr)")
        let unknownSite = try CLI.run(["user", "add", "bob", "--role", "monitor", "--site", "NOWHERE", "--db", url],
                                      stdin: "long enough password\n")
        #expect(unknownSite.status == 1 && unknownSite.stderr.contains("[invalid_input] sites: unknown site NOWHERE"), "\(unknownSite.stderr)")
        let duplicate = try CLI.run(["user", "add", "ines", "--role", "monitor", "--all-sites", "--db", url], stdin: "another password 1\n")
        #expect(duplicate.status == 1)

        let store = try await CartaStore.open(try DatabaseURL(parsing: url))
        let auth = AccountService(store: store, bcryptCost: 4, lifetime: 60, clock: SiteClock(timeZone: .gmt, instant: { Date() }))
        let user = try #require(try await auth.verify(username: "ines", password: "correct horse battery"))
        #expect(user.role == .investigator && user.displayName == "Dr Ines Ortega" && user.sites == .only(["SUZHOU"]))
        #expect(try await auth.verify(username: "ines", password: "wrong password") == nil)
        #expect(try await store.user(username: "bob") == nil)
        let trail = try await store.auditTrail(entity: .user, entityID: user.id.rawValue)
        #expect(trail.allSatisfy { $0.source == .cli })
        #expect(!trail.contains { ($0.newValue ?? "").contains("correct horse") })
        await store.close()
    }

    // Issue 2 §6–7: the screening flow from the command line, audited with source `cli`.
    @Test func participantFlowEndToEnd() async throws {
        let (url, dir) = try CLI.tempSQLite()
        defer { try? FileManager.default.removeItem(at: dir) }
        let coordinatorPassword = "coordinator pass 1\n", investigatorPassword = "investigator pass 1\n"
        #expect(try CLI.run(["migrate", "--db", url]).status == 0)
        #expect(try CLI.run(["user", "add", "cora", "--role", "coordinator", "--site", "SUZHOU", "--db", url], stdin: coordinatorPassword).status == 0)
        #expect(try CLI.run(["user", "add", "ines", "--role", "investigator", "--site", "SUZHOU", "--db", url], stdin: investigatorPassword).status == 0)

        // Issue 7: identifying details come on stdin after the password, never as arguments (process list).
        let registered = try CLI.run(["participant", "register", "--db", url, "--user", "cora"],
                                     stdin: coordinatorPassword + "Ada Lovelace\n1980-05-17\nH-1\n")
        #expect(registered.status == 0, "\(registered.stderr)")
        #expect(registered.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "BCRITP-001")
        let oldSpelling = try CLI.run(["participant", "register", "--db", url, "--user", "cora", "--full-name", "Ada Lovelace"],
                                      stdin: coordinatorPassword)
        #expect(oldSpelling.status == 2, "\(oldSpelling.stderr)")
        let registerHelp = try CLI.run(["participant", "register", "--help"])
        #expect(!registerHelp.stdout.contains("--full-name") && !registerHelp.stdout.contains("--hospital-number"))

        let wrongPassword = try CLI.run(["participant", "register", "--db", url, "--user", "cora"],
                                        stdin: "not the password\nX\n1980-05-17\nH-2\n")
        #expect(wrongPassword.status == 1)

        // The coordinator enters the measured data; the investigator answers the attestations (issue 7).
        let study = try StudyLoader.builtIn()
        var assignments: [String] = [], attestations: [String] = []
        for (form, items) in ScreeningData.eligible.sorted(by: { $0.key < $1.key }) where study.form(form)?.entry == .investigator {
            attestations += items.sorted(by: { $0.key < $1.key }).map { "\($0.key)=\($0.value.value)" }
        }
        for (form, items) in ScreeningData.eligible.sorted(by: { $0.key < $1.key }) where study.form(form)?.entry != .investigator {
            for (oid, e) in items.sorted(by: { $0.key < $1.key }) {
                let value = oid == "HGB" ? "95" : e.value
                assignments.append(e.unit.map { "\(oid)=\(value)@\($0)" } ?? "\(oid)=\(value)")
                if let lln = e.lln { assignments.append("\(oid).lln=\(lln)") }
                if let uln = e.uln { assignments.append("\(oid).uln=\(uln)") }
            }
        }
        let set = try CLI.run(["participant", "set", "BCRITP-001"] + assignments + ["--db", url, "--user", "cora"], stdin: coordinatorPassword)
        #expect(set.status == 0, "\(set.stderr)")
        let coordinatorAttests = try CLI.run(["participant", "set", "BCRITP-001"] + attestations + ["--db", url, "--user", "cora"],
                                             stdin: coordinatorPassword)
        #expect(coordinatorAttests.status == 1 && coordinatorAttests.stderr.contains("[forbidden]"), "\(coordinatorAttests.stderr)")
        let attested = try CLI.run(["participant", "set", "BCRITP-001"] + attestations + ["--db", url, "--user", "ines"], stdin: investigatorPassword)
        #expect(attested.status == 0, "\(attested.stderr)")
        let badValue = try CLI.run(["participant", "set", "BCRITP-001", "HGB=300@g/L", "--db", url, "--user", "cora"], stdin: coordinatorPassword)
        #expect(badValue.status == 1)
        #expect(badValue.stderr.contains("item.HGB"), "\(badValue.stderr)")
        // A value names the laboratory that measured it (OID.laboratory=ID); one the site does not keep is refused by name.
        let unknownLab = try CLI.run(["participant", "set", "BCRITP-001", "HGB=96@g/L", "HGB.laboratory=NOWHERE", "--db", url, "--user", "cora"],
                                     stdin: coordinatorPassword)
        #expect(unknownLab.status == 1 && unknownLab.stderr.contains("laboratory.F_LAB_HEM")
                && unknownLab.stderr.contains("\"NOWHERE\" is not one of the site's laboratories"), "\(unknownLab.stderr)")

        let anonymous = try CLI.run(["participant", "eligibility", "BCRITP-001", "--db", url])
        #expect(anonymous.status == 1 && anonymous.stderr.contains("--user is required"), "\(anonymous.stderr)")
        let failing = try CLI.run(["participant", "eligibility", "BCRITP-001", "--db", url, "--user", "cora"], stdin: coordinatorPassword)
        #expect(failing.status == 0)
        let e7 = failing.stdout.split(separator: "\n").first { $0.hasPrefix("E7\t") }.map(String.init) ?? ""
        #expect(e7.contains("not_met") && e7.contains("95") && e7.contains("100"), "\(failing.stdout)")

        let corrected = try CLI.run(["participant", "set", "BCRITP-001", "HGB=120@g/L", "--reason", "transcription_error:lab report says 120",
                                     "--db", url, "--user", "cora"], stdin: coordinatorPassword)
        #expect(corrected.status == 0, "\(corrected.stderr)")
        let coordinatorSigns = try CLI.run(["participant", "sign", "BCRITP-001", "--db", url, "--user", "cora"], stdin: coordinatorPassword)
        #expect(coordinatorSigns.status == 1)
        #expect(coordinatorSigns.stderr.contains("investigator"), "\(coordinatorSigns.stderr)")
        // 21 CFR 11.100(c): the first signature needs the acknowledgement that it is legally binding.
        let unacknowledged = try CLI.run(["participant", "sign", "BCRITP-001", "--db", url, "--user", "ines"], stdin: investigatorPassword)
        #expect(unacknowledged.status == 1 && unacknowledged.stderr.contains("[invalid_input] acknowledgeBinding"), "\(unacknowledged.stderr)")
        let signed = try CLI.run(["participant", "sign", "BCRITP-001", "--acknowledge-binding", "--db", url, "--user", "ines"],
                                 stdin: investigatorPassword)
        #expect(signed.status == 0, "\(signed.stderr)")
        let enrolled = try CLI.run(["participant", "enrol", "BCRITP-001", "--db", url, "--user", "cora"], stdin: coordinatorPassword)
        #expect(enrolled.status == 0, "\(enrolled.stderr)")
        #expect(enrolled.stdout.contains("enrolled"))
        let list = try CLI.run(["participant", "list", "--db", url, "--user", "ines"], stdin: investigatorPassword)
        #expect(list.stdout.hasPrefix("BCRITP-001\tenrolled"), "\(list.stdout)")

        // Issue 8: visit data after enrolment, in the order of events; the calendar.
        let siteToday = ConductData.siteToday.description
        let tooEarly = try CLI.run(["participant", "set", "BCRITP-001", "--visit", "LD1", "LD_DATE=\(siteToday)", "--db", url, "--user", "cora"],
                                   stdin: coordinatorPassword)
        #expect(tooEarly.status == 1 && tooEarly.stderr.contains("[out_of_order]") && tooEarly.stderr.contains("not released"), "\(tooEarly.stderr)")
        let apheresis = try CLI.run(["participant", "set", "BCRITP-001", "--visit", "APH", "APH_DATE=\(siteToday)", "APH_VOLUME=180@mL",
                                     "APH_CD3_YIELD=4.2@10*9", "--db", url, "--user", "cora"], stdin: coordinatorPassword)
        #expect(apheresis.status == 0, "\(apheresis.stderr)")
        let wrongForm = try CLI.run(["participant", "set", "BCRITP-001", "--visit", "APH", "HGB=120@g/L", "--db", url, "--user", "cora"],
                                    stdin: coordinatorPassword)
        #expect(wrongForm.status == 1 && wrongForm.stderr.contains("no item with this OID on the forms of APH (F_APHERESIS)"), "\(wrongForm.stderr)")
        let calendar = try CLI.run(["participant", "calendar", "BCRITP-001", "--db", url, "--user", "cora"], stdin: coordinatorPassword)
        #expect(calendar.status == 0, "\(calendar.stderr)")
        #expect(calendar.stdout.hasPrefix("day0\t2026-12-15\tprovisional"), "\(calendar.stdout)")
        #expect(calendar.stdout.contains("M1\t2027-01-12\t2027-01-09..2027-01-15\t"), "\(calendar.stdout)")
        // The lymphodepletion dose calculation: by the coordinator, never verified by the same person, verified by the investigator.
        let doses = try CLI.run(["participant", "doses", "BCRITP-001", "--db", url, "--user", "cora"], stdin: coordinatorPassword)
        #expect(doses.status == 0 && doses.stdout.contains("fludarabine\t") && doses.stdout.contains("verified by\tnot yet"), "\(doses.stdout) \(doses.stderr)")
        let selfVerified = try CLI.run(["participant", "doses", "BCRITP-001", "--verify", "--db", url, "--user", "cora"], stdin: coordinatorPassword)
        #expect(selfVerified.status == 1 && selfVerified.stderr.contains("a second person verifies them"), "\(selfVerified.stderr)")
        let verified = try CLI.run(["participant", "doses", "BCRITP-001", "--verify", "--db", url, "--user", "ines"], stdin: investigatorPassword)
        #expect(verified.status == 0 && verified.stdout.contains("verified by\tines"), "\(verified.stdout) \(verified.stderr)")
        let today = try CLI.run(["today", "--db", url, "--user", "cora"], stdin: coordinatorPassword)
        #expect(today.status == 0, "\(today.stderr)")
        #expect(today.stdout.contains("BCRITP-001\tday ") && today.stdout.contains("(provisional)") && today.stdout.contains("  waiting\tProduct release"),
                "\(today.stdout)")
        let noAlert = try CLI.run(["today", "acknowledge", "BCRITP-001", "platelets:SCR:1", "--db", url, "--user", "cora"], stdin: coordinatorPassword)
        #expect(noAlert.status == 1 && noAlert.stderr.contains("[not_found]"), "\(noAlert.stderr)")

        let store = try await CartaStore.open(try DatabaseURL(parsing: url))
        let p = try #require(try await store.participant(subjectID: "BCRITP-001", studyID: "NCT05315778"))
        let trail = try await store.auditTrail(entity: nil, entityID: p.id.rawValue)
        #expect(!trail.isEmpty && trail.allSatisfy { $0.source == .cli })
        #expect(trail.contains { $0.field.hasSuffix("/HGB") && $0.oldValue == "95" && $0.newValue == "120" && $0.reason == "transcription_error: lab report says 120" })
        #expect(trail.contains { $0.field == "status" && $0.newValue == "enrolled" && $0.username == "cora" })
        #expect(try await store.latestEligibilityDecision(participantID: p.id)?.signerName == "ines")
        #expect(try await store.verifyAuditChain() == .intact(count: try await store.auditTrail(entity: nil, entityID: nil).count))
        await store.close()

        let verify = try CLI.run(["audit", "verify", "--db", url])
        #expect(verify.status == 0)
        #expect(verify.stdout.contains("intact"))
        // A second run starts from the first one's checkpoint and says what it trusted; --full re-checks everything.
        let again = try CLI.run(["audit", "verify", "--db", url])
        #expect(again.status == 0 && again.stdout.contains("were verified by an earlier run and not re-computed") && again.stdout.contains("--full"), "\(again.stdout)")
        let full = try CLI.run(["audit", "verify", "--db", url, "--full"])
        #expect(full.status == 0 && full.stdout.contains("from the first record") && !full.stdout.contains("not re-computed"), "\(full.stdout)")
    }

    // DESIGN.md §3: `carta --help` lists the commands; unknown commands are usage errors.
    @Test func helpAndUsageErrors() throws {
        let help = try CLI.run(["--help"])
        #expect(help.status == 0)
        for command in ["serve", "migrate", "study", "user", "participant", "compute", "audit"] {
            #expect(help.stdout.contains(command), "--help does not list \(command)")
        }
        #expect(try CLI.run(["frobnicate"]).status == 2)
        #expect(try CLI.run(["participant", "enrol"]).status == 2)
    }
}

/// The CLI prints the documented stable code before the message, as the API's `error.code`.
/// Source: issue 6 scope 3 ("the CLI prints the error code"); docs/calculators.md (codes).
@Suite struct CLIErrorCodeTests {
    @Test(arguments: [
        (#"{"heightCm": 170, "weightKg": 70, "fromula": "mosteller"}"#, #"carta: [unknown_field] fromula: unknown key; did you mean "formula"?"#),
        (#"{"heightCm": 170, "weightKg": 70, "formula": "duBois"}"#, "carta: [invalid_input] formula: \"duBois\" is not one of: mosteller, dubois"),
        (#"{"heightCm": 170}"#, "carta: [missing_field] weightKg"),
    ])
    func calculatorErrorsCarryTheirCode(_ input: String, _ expected: String) throws {
        let r = try CLI.run(["compute", "bsa"], stdin: input)
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix(expected), "\(r.stderr)")
    }

    @Test func workflowErrorsCarryTheirCode() throws {
        let (url, dir) = try CLI.tempSQLite()
        defer { try? FileManager.default.removeItem(at: dir) }
        let added = try CLI.run(["user", "add", "cora", "--role", "coordinator", "--all-sites", "--db", url], stdin: "coordinator-pass-1\n")
        #expect(added.status == 0, "\(added.stderr)")
        let future = try CLI.run(["participant", "register", "--user", "cora", "--db", url],
                                 stdin: "coordinator-pass-1\nAda\n2999-01-01\nH1\n")
        #expect(future.status == 1)
        #expect(future.stderr.hasPrefix("carta: [invalid_input] date_of_birth: Date of birth 2999-01-01 is in the future."), "\(future.stderr)")
        let denied = try CLI.run(["participant", "register", "--user", "cora", "--db", url], stdin: "wrong-password-1\nAda\n1980-01-01\nH1\n")
        #expect(denied.stderr.hasPrefix("carta: [unauthorized] unknown username, wrong password or wrong authentication code"), "\(denied.stderr)")
    }
}

/// `carta lock` and `carta query` act through the same services as the web and the API, audited with source `cli`.
/// Source: issue 7 scopes 5 and 7 ("a locked record refuses writes from every path (web, API, CLI, import)").
@Suite struct MonitoringCLITests {
    @Test func locksAndQueriesFromTheCommandLine() async throws {
        let (url, dir) = try CLI.tempSQLite()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cora = "coordinator pass 1\n", dana = "data manager pass 1\n", mo = "watcher pass 1234\n"
        #expect(try CLI.run(["migrate", "--db", url]).status == 0)
        for (name, role, pw) in [("cora", "coordinator", cora), ("dana", "data-manager", dana), ("mo", "monitor", mo)] {
            #expect(try CLI.run(["user", "add", name, "--role", role, "--site", "SUZHOU", "--db", url], stdin: pw).status == 0)
        }
        #expect(try CLI.run(["participant", "register", "--db", url, "--user", "cora"], stdin: cora + "Ada Lovelace\n1980-05-17\nH-1\n").status == 0)
        #expect(try CLI.run(["participant", "set", "BCRITP-001", "ECOG=1", "--db", url, "--user", "cora"], stdin: cora).status == 0)

        // Queries: the monitor raises, the coordinator cannot; the site answers; the monitor closes.
        let refused = try CLI.run(["query", "raise", "BCRITP-001", "ECOG", "--text", "ECOG?", "--db", url, "--user", "cora"], stdin: cora)
        #expect(refused.status == 1 && refused.stderr.contains("monitor or a data manager"), "\(refused.stderr)")
        let raised = try CLI.run(["query", "raise", "BCRITP-001", "ECOG", "--text", "Notes say 2?", "--db", url, "--user", "mo"], stdin: mo)
        #expect(raised.status == 0, "\(raised.stderr)")
        let id = try #require(raised.stdout.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
        let listed = try CLI.run(["query", "list", "--db", url, "--user", "cora"], stdin: cora)
        #expect(listed.stdout.contains("\(id)\tBCRITP-001\tF_VITALS/ECOG\topen\t0d\tNotes say 2?"), "\(listed.stdout)")
        #expect(try CLI.run(["query", "act", id, "answer", "--text", "Confirmed 1", "--db", url, "--user", "cora"], stdin: cora).stdout.contains("answered"))
        #expect(try CLI.run(["query", "act", id, "close", "--text", "ok", "--db", url, "--user", "mo"], stdin: mo).stdout.contains("closed"))

        // Locks: a data manager locks the casebook (the command's password is the signature); writes are refused; unlock.
        #expect(try CLI.run(["lock", "add", "--scope", "participant", "--subject", "BCRITP-001", "--reason", "visit done", "--db", url, "--user", "cora"],
                            stdin: cora).status == 1)
        let locked = try CLI.run(["lock", "add", "--scope", "participant", "--subject", "BCRITP-001", "--reason", "visit done", "--db", url, "--user", "dana"],
                                 stdin: dana)
        #expect(locked.status == 0, "\(locked.stderr)")
        let lockID = try #require(locked.stdout.split(separator: " ").dropFirst().first.map(String.init))
        let write = try CLI.run(["participant", "set", "BCRITP-001", "ECOG=2", "--reason", "new_information", "--db", url, "--user", "cora"], stdin: cora)
        #expect(write.status == 1 && write.stderr.contains("casebook is locked"), "\(write.stderr)")
        #expect(try CLI.run(["lock", "list", "--db", url, "--user", "cora"], stdin: cora).stdout.contains("visit done"))
        #expect(try CLI.run(["lock", "unlock", lockID, "--reason", "late lab", "--db", url, "--user", "dana"], stdin: dana).status == 0)
        #expect(try CLI.run(["participant", "set", "BCRITP-001", "ECOG=2", "--reason", "new_information", "--db", url, "--user", "cora"], stdin: cora).status == 0)

        let store = try await CartaStore.open(try DatabaseURL(parsing: url))
        let trail = try await store.auditTrail(entity: .lock, entityID: lockID) + (try await store.auditTrail(entity: .query, entityID: id))
        #expect(!trail.isEmpty && trail.allSatisfy { $0.source == .cli })
        await store.close()
    }
}

/// The CLI with a second factor: sign-in reads the code after the password; a lock (a signature) checks
/// password and code in the service; an administrator resets a lost factor.
/// Source: issue 7 scope 2 (TOTP), scope 4 ("and second factor if enrolled"); 21 CFR 11.200(a)(1).
@Suite struct SecondFactorCLITests {
    @Test func codesFromStandardInputAndAnAdministratorsReset() async throws {
        let (url, dir) = try CLI.tempSQLite()
        defer { try? FileManager.default.removeItem(at: dir) }
        let dana = "data manager pass 1\n", root = "administrator pass 1\n"
        #expect(try CLI.run(["migrate", "--db", url]).status == 0)
        #expect(try CLI.run(["user", "add", "dana", "--role", "data-manager", "--all-sites", "--db", url], stdin: dana).status == 0)
        #expect(try CLI.run(["user", "add", "root", "--role", "admin", "--all-sites", "--db", url], stdin: root).status == 0)
        // Enrol dana through the store with a known secret, as the web or API set-up would.
        let totp = TOTP(secret: Data("dana's phone secret".utf8))
        let store = try await CartaStore.open(try DatabaseURL(parsing: url))
        let user = try #require(try await store.user(username: "dana"))
        try await store.setPendingSecondFactor(user.id, secret: totp.secret)
        _ = try await store.enrolSecondFactor(user.id, step: totp.step(at: Date()) - 3, actor: AuditActor(user: user, source: .cli), at: Date())
        await store.close()

        let noCode = try CLI.run(["lock", "list", "--db", url, "--user", "dana"], stdin: dana)
        #expect(noCode.status == 1 && noCode.stderr.contains("no authentication code on standard input"), "\(noCode.stderr)")
        let wrong = try CLI.run(["lock", "list", "--db", url, "--user", "dana"], stdin: dana + (totp.code(at: Date()) == "000000" ? "111111" : "000000") + "\n")
        #expect(wrong.status == 1 && wrong.stderr.contains("[unauthorized]"), "\(wrong.stderr)")
        #expect(try CLI.run(["lock", "list", "--db", url, "--user", "dana"], stdin: dana + totp.code(at: Date()) + "\n").status == 0)
        // A lock is a signature: password and a fresh code (the next step's, as the current one is used).
        let locked = try CLI.run(["lock", "add", "--scope", "database", "--reason", "interim analysis", "--db", url, "--user", "dana"],
                                 stdin: dana + totp.code(step: totp.step(at: Date()) + 1) + "\n")
        #expect(locked.status == 0, "\(locked.stderr)")

        // Lost phone: the administrator resets it, with a reason; a password alone works again.
        let reset = try CLI.run(["user", "reset-second-factor", "dana", "--reason", "phone lost", "--db", url, "--user", "root"], stdin: root)
        #expect(reset.status == 0 && reset.stdout.contains("Second factor of dana removed"), "\(reset.stderr)")
        #expect(try CLI.run(["lock", "list", "--db", url, "--user", "dana"], stdin: dana).status == 0)

        // The access review from the command line (R-AC-1): the administrator sees dana's sign-ins and failures.
        let review = try CLI.run(["user", "access-review", "--db", url, "--user", "root"], stdin: root)
        #expect(review.status == 0, "\(review.stderr)")
        let row = try #require(review.stdout.split(separator: "\n").first { $0.hasPrefix("dana\t") }).split(separator: "\t", omittingEmptySubsequences: false)
        #expect(row[1] == "data-manager" && row[3] == "active" && row[4] != "never" && row[5] == "1" && row[6] == "no", "\(row)")
        #expect(row[8] == "privileged role without a second factor")
        #expect(try CLI.run(["user", "access-review", "--db", url, "--user", "dana"], stdin: dana).status == 1, "a data manager cannot")
    }
}

/// `carta audit redact`: a data manager withholds a record's values with a justification (password on stdin).
/// Source: standards.md R-AT-3.
@Suite struct AuditRedactionCLITests {
    @Test func aDataManagerRedactsFromTheCommandLine() async throws {
        let (url, dir) = try CLI.tempSQLite()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cora = "coordinator pass 1\n", dana = "data manager pass 1\n"
        #expect(try CLI.run(["migrate", "--db", url]).status == 0)
        #expect(try CLI.run(["user", "add", "cora", "--role", "coordinator", "--all-sites", "--db", url], stdin: cora).status == 0)
        #expect(try CLI.run(["user", "add", "dana", "--role", "data-manager", "--all-sites", "--db", url], stdin: dana).status == 0)
        #expect(try CLI.run(["participant", "register", "--db", url, "--user", "cora"], stdin: cora + "Ada Lovelace\n1980-05-17\nH-1\n").status == 0)
        #expect(try CLI.run(["participant", "set", "BCRITP-001", "ECOG=1", "--db", url, "--user", "cora"], stdin: cora).status == 0)
        let changed = try CLI.run(["participant", "set", "BCRITP-001", "ECOG=2", "--reason", "other: Mrs Lovelace phoned from 13 Elm St",
                                   "--db", url, "--user", "cora"], stdin: cora)
        #expect(changed.status == 0, "\(changed.stderr)")
        let store = try await CartaStore.open(try DatabaseURL(parsing: url))
        let seq = try #require(try await store.auditTrail(entity: .itemValue, entityID: nil).last { $0.reason?.contains("Elm St") == true }?.seq)
        await store.close()

        let refused = try CLI.run(["audit", "redact", String(seq), "--reason", "Address typed into a reason", "--db", url, "--user", "cora"], stdin: cora)
        #expect(refused.status == 1 && refused.stderr.contains("Only a data manager redacts"), "\(refused.stderr)")
        let done = try CLI.run(["audit", "redact", String(seq), "--reason", "Address typed into a reason", "--db", url, "--user", "dana"], stdin: dana)
        #expect(done.status == 0 && done.stdout.contains("record #\(seq) redacted"), "\(done.stderr)")
        let reopened = try await CartaStore.open(try DatabaseURL(parsing: url))
        let trail = try await reopened.auditTrail(entity: .itemValue, entityID: nil)
        #expect(!trail.contains { $0.reason?.contains("Elm St") == true } && trail.contains { $0.redaction?.contains("Address typed into a reason") == true })
        #expect(try await reopened.verifyAudit(full: true, replay: true).isIntact)
        await reopened.close()
    }
}

/// `carta sdv` and `carta casebook`: the monitor verifies source, the investigator signs the casebook, and a
/// later change clears the mark and invalidates the signature — the same services as the web and the API.
/// Source: issue 7 scopes 4 and 6 ("every action … and, where a person would script it, the CLI").
@Suite struct SourceVerificationCLITests {
    @Test func verifySignAndSeeBothUndoneByAChange() async throws {
        let (url, dir) = try CLI.tempSQLite()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cora = "coordinator pass 1\n", mo = "watcher pass 1234\n", ines = "investigator pass 1\n"
        #expect(try CLI.run(["migrate", "--db", url]).status == 0)
        for (name, role, pw) in [("cora", "coordinator", cora), ("mo", "monitor", mo), ("ines", "investigator", ines)] {
            #expect(try CLI.run(["user", "add", name, "--role", role, "--all-sites", "--db", url], stdin: pw).status == 0)
        }
        #expect(try CLI.run(["participant", "register", "--db", url, "--user", "cora"], stdin: cora + "Ada Lovelace\n1980-05-17\nH-1\n").status == 0)
        #expect(try CLI.run(["participant", "set", "BCRITP-001", "ECOG=1", "--db", url, "--user", "cora"], stdin: cora).status == 0)

        let refused = try CLI.run(["sdv", "verify", "BCRITP-001", "--form", "F_VITALS", "--db", url, "--user", "cora"], stdin: cora)
        #expect(refused.status == 1 && refused.stderr.contains("[forbidden]"), "\(refused.stderr)")
        let verified = try CLI.run(["sdv", "verify", "BCRITP-001", "--form", "F_VITALS", "--db", url, "--user", "mo"], stdin: mo)
        #expect(verified.status == 0 && verified.stdout.contains("1 value marked verified"), "\(verified.stderr)")
        let progress = try CLI.run(["sdv", "progress", "--db", url, "--user", "mo"], stdin: mo)
        #expect(progress.stdout.contains("BCRITP-001\t1/1\t100%"), "\(progress.stdout)")

        let signed = try CLI.run(["casebook", "sign", "BCRITP-001", "--acknowledge-binding", "--db", url, "--user", "ines"], stdin: ines)
        #expect(signed.status == 0 && signed.stdout.contains("casebook signed by ines"), "\(signed.stdout) \(signed.stderr)")
        #expect(try CLI.run(["casebook", "sign", "BCRITP-001", "--db", url, "--user", "cora"], stdin: cora).status == 1)
        #expect(try CLI.run(["casebook", "signatures", "BCRITP-001", "--db", url, "--user", "cora"], stdin: cora).stdout.contains("\tvalid\t"))

        #expect(try CLI.run(["participant", "set", "BCRITP-001", "ECOG=2", "--reason", "transcription_error", "--db", url, "--user", "cora"],
                            stdin: cora).status == 0)
        let after = try CLI.run(["sdv", "progress", "BCRITP-001", "--db", url, "--user", "mo"], stdin: mo)
        #expect(after.stdout.contains("BCRITP-001\t0/1\t0%") && after.stdout.contains("1 changed since verified"), "\(after.stdout)")
        #expect(try CLI.run(["casebook", "signatures", "BCRITP-001", "--db", url, "--user", "cora"], stdin: cora).stdout.contains("invalidated by change"))
    }
}
