import CartaModel
import ArgumentParser
import CartaCore
import CartaTrial
import CartaStore
import CartaStudy
import Foundation

/// Screening from the command line: the same service, checks and audit trail as the web and API
/// (source `cli`). Commands that change data sign in with `--user` and a password on stdin.
struct ParticipantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "participant", abstract: "Register and screen participants.",
        subcommands: [List.self, Register.self, SetValues.self, Eligibility.self, Sign.self, Enrol.self, ScreenFail.self])

    struct Context: ParsableArguments {
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var studyFile: StudyOptions
        @Option(help: "Your username; your password is read from standard input.") var user: String?

        func services() async throws -> CartaRuntime {
            try await CartaRuntime.open(CartaConfig.resolve(database: database.db, studyFile: studyFile.study,
                                                            auditKey: database.auditKey, auditWitness: database.auditWitness),
                                        migrate: .ifEmpty, instant: { Date() }, logger: quietLogger())
        }

        /// Signs in `--user` with the password from stdin and checks the permission.
        func actor(_ services: CartaRuntime, needs permission: Permission) async throws -> (User, AuditActor, String) {
            guard let user else { throw CLIFailure("--user is required for this command") }
            let password = try readSecretLine(prompt: "Password for \(user): ")
            guard let u = try await services.accounts.verify(username: user, password: password) else {
                throw CLIFailure("unknown username or wrong password", code: "unauthorized")
            }
            guard permission.allows(u.role) else { throw CLIFailure(permission.refusal, code: "forbidden") }
            return (u, AuditActor(user: u, source: .cli), password)
        }
    }

    static func withServices(_ ctx: Context, _ body: (CartaRuntime) async throws -> Void) async throws {
        let services = try await ctx.services()
        do { try await body(services) } catch { await services.store.close(); throw error }
        await services.store.close()
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List participants with status and version.")
        @OptionGroup var ctx: Context
        func run() async throws {
            try await withServices(ctx) { s in
                for p in try await s.store.participants(studyID: StudyID(s.study.id)) {
                    print("\(p.subjectID)\t\(p.status.rawValue)\tversion \(p.version)\t\(p.siteID)")
                }
            }
        }
    }

    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a person for screening; prints the subject ID.")
        @OptionGroup var ctx: Context
        @Option(name: .customLong("full-name")) var fullName: String
        @Option(name: .customLong("date-of-birth"), help: "YYYY-MM-DD") var dateOfBirth: String
        @Option(name: .customLong("hospital-number")) var hospitalNumber: String
        @Option var site: String?
        func run() async throws {
            try await withServices(ctx) { s in
                let (_, actor, _) = try await ctx.actor(s, needs: .registerParticipant)
                let p = try await s.screening.register(fullName: fullName, dateOfBirth: dateOfBirth, hospitalNumber: hospitalNumber,
                                                       siteID: site, actor: actor)
                print(p.subjectID)
            }
        }
    }

    struct SetValues: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set", abstract: "Enter screening values: OID=VALUE, OID=VALUE@UNIT, OID.lln=X, OID.uln=X.")
        @OptionGroup var ctx: Context
        @Argument var subjectID: String
        @Argument(help: "Assignments such as HGB=95@g/L HGB.lln=115 HGB.uln=150 ECOG=1") var assignments: [String]
        @Option(help: "Reason for change (required by policy when correcting data).") var reason: String?
        @Option(help: "Expected participant version (default: the current one).") var version: Int?
        func run() async throws {
            try await withServices(ctx) { s in
                let (_, actor, _) = try await ctx.actor(s, needs: .enterData)
                var entries: [String: ScreeningService.RawEntry] = [:]
                for a in assignments {
                    guard let eq = a.firstIndex(of: "=") else { throw CLIFailure("\(a): expected OID=VALUE") }
                    let key = String(a[..<eq]), rhs = String(a[a.index(after: eq)...])
                    if key.hasSuffix(".lln") || key.hasSuffix(".uln") {
                        let oid = String(key.dropLast(4))
                        var e = entries[oid] ?? .init(value: "")
                        if key.hasSuffix(".lln") { e.lowerLimitNormal = rhs } else { e.upperLimitNormal = rhs }
                        entries[oid] = e
                    } else {
                        let parts = rhs.split(separator: "@", maxSplits: 1).map(String.init)
                        var e = entries[key] ?? .init(value: "")
                        e.value = parts.first ?? ""
                        e.unit = parts.count > 1 ? parts[1] : nil
                        entries[key] = e
                    }
                }
                var forms: [String: [String: ScreeningService.RawEntry]] = [:]
                for (oid, e) in entries {
                    guard let form = s.study.forms.first(where: { f in f.items.contains { $0.oid == oid } }) else {
                        throw CLIFailure("\(oid): no screening item with this OID in study \(s.study.id)")
                    }
                    forms[form.oid, default: [:]][oid] = e
                }
                let current = try await s.screening.participant(SubjectID(subjectID))
                let result = try await s.screening.saveForms(subjectID: SubjectID(subjectID), forms: forms,
                                                             expectedVersion: version ?? current.version, reason: reason, actor: actor)
                for (oid, w) in result.warnings.sorted(by: { $0.key < $1.key }) { print("warning \(oid): \(w.joined(separator: " "))") }
                print("\(subjectID) saved, version \(result.participant.version)")
            }
        }
    }

    struct Eligibility: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the eligibility checklist criterion by criterion.")
        @OptionGroup var ctx: Context
        @Argument var subjectID: String
        func run() async throws {
            try await withServices(ctx) { s in
                let file = try await s.screening.file(SubjectID(subjectID))
                let evaluation = s.screening.evaluate(file)
                for row in s.screening.checklist(evaluation) {
                    print("\(row.id)\t\(row.result.rawValue)\t\(row.reason)")
                }
                print("overall\t\(evaluation.overall)")
                print("next\t\(s.screening.state(file, evaluation: evaluation).nextStepText)")
            }
        }
    }

    struct Sign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sign the eligibility decision (investigators; password on stdin).")
        @OptionGroup var ctx: Context
        @Argument var subjectID: String
        @Option(help: "eligible or not_eligible") var decision: String = "eligible"
        @Option(help: "Meaning of the signature.") var meaning: String?
        func run() async throws {
            guard let kind = EligibilityDecisionKind(rawValue: decision) else { throw ValidationError("--decision must be eligible or not_eligible") }
            try await withServices(ctx) { s in
                let (user, actor, _) = try await ctx.actor(s, needs: .signEligibility)
                let p = try await s.screening.participant(SubjectID(subjectID))
                let d = try await s.screening.sign(subjectID: p.subjectID, decision: kind, meaning: meaning,
                                                   expectedVersion: p.version, signer: user, actor: actor)
                print("\(subjectID): signed \(d.decision.rawValue) by \(d.signerName)")
            }
        }
    }

    struct Enrol: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enrol a participant whose eligibility is signed.")
        @OptionGroup var ctx: Context
        @Argument var subjectID: String
        func run() async throws {
            try await withServices(ctx) { s in
                let (_, actor, _) = try await ctx.actor(s, needs: .enrol)
                let p = try await s.screening.participant(SubjectID(subjectID))
                let e = try await s.screening.enrol(subjectID: p.subjectID, expectedVersion: p.version, actor: actor)
                print("\(e.subjectID): \(e.status.rawValue)")
            }
        }
    }

    struct ScreenFail: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "screen-fail", abstract: "Record a screen failure with reasons.")
        @OptionGroup var ctx: Context
        @Argument var subjectID: String
        @Option(name: .customLong("reason"), help: "A reason (repeatable).") var reasons: [String] = []
        func run() async throws {
            try await withServices(ctx) { s in
                let (_, actor, _) = try await ctx.actor(s, needs: .enrol)
                let p = try await s.screening.participant(SubjectID(subjectID))
                let e = try await s.screening.screenFail(subjectID: p.subjectID, reasons: reasons, expectedVersion: p.version, actor: actor)
                print("\(e.subjectID): \(e.status.rawValue) — \(e.screenFailureReasons.joined(separator: "; "))")
            }
        }
    }
}
