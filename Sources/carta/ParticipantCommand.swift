import CartaModel
import ArgumentParser
import CartaCore
import CartaTrial
import CartaStore
import CartaStudy
import Foundation

/// Screening from the command line: the same service, checks and audit trail as the web and API
/// (source `cli`). Every command signs in with `--user` and a password on stdin, and the application
/// layer applies that user's role and sites (issue 7 scope 1), exactly as for the web and the API.
struct ParticipantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "participant", abstract: "Register and screen participants.",
        subcommands: [List.self, Register.self, SetValues.self, Eligibility.self, Sign.self, Enrol.self, ScreenFail.self, Calendar.self, Doses.self])

    struct Context: ParsableArguments {
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var studyFile: StudyOptions
        @Option(help: "Your username; your password is read from standard input.") var user: String?

        func services() async throws -> CartaRuntime {
            let config = CartaConfig.resolve(database: database.db, studyFile: studyFile.study,
                                             auditKey: database.auditKey, auditWitness: database.auditWitness)
            try DatabaseOptions.requireExisting(try DatabaseURL(parsing: config.databaseURL))
            return try await CartaRuntime.open(config, migrate: .ifEmpty, instant: { Date() }, logger: quietLogger())
        }

        /// Signs in `--user` with the password (and, for an account with a second factor, the code) from
        /// stdin, audited and subject to the lockout like any sign-in; the services check `permission` and sites.
        func principal(_ services: CartaRuntime, needs permission: Permission) async throws -> Principal {
            try await signedIn(services, needs: permission, signature: false).principal
        }

        /// As `principal`, also returning what was typed, for commands that are signatures (locks): the
        /// password and code typed for this command are the signature's components (21 CFR 11.200(a)(1)(i)),
        /// checked — and a failure audited — by the service, so the code is not used up by the sign-in.
        func signedIn(_ services: CartaRuntime, needs permission: Permission, signature: Bool = true) async throws -> (principal: Principal, password: String, code: String?) {
            guard let user else { throw CLIFailure("--user is required: every participant command acts as a signed-in user") }
            let password = try readSecretLine(prompt: "Password for \(user): ")
            var enrolled = false
            if let canonical = try? CredentialPolicy.canonicalUsername(user).get() {
                enrolled = try await services.store.user(username: canonical)?.secondFactorEnrolledAt != nil
            }
            let code = enrolled ? try readSecretLine(prompt: "Authentication code: ", what: "authentication code") : nil
            let u: User
            if signature, let verified = try await services.accounts.verify(username: user, password: password) {
                u = verified
            } else {
                switch try await services.accounts.signIn(username: user, password: password, code: code, source: .cli) {
                case .success(let v): u = v
                case .failure(.invalidCredentials):
                    throw CLIFailure("unknown username, wrong password or wrong authentication code", code: "unauthorized")
                case .failure(.locked(let minutes)):
                    throw CLIFailure("too many failed sign-ins: the account is locked for \(minutes) minutes", code: "unauthorized")
                }
            }
            let principal = Principal(u, source: .cli)
            guard principal.may(permission) else { throw CLIFailure(permission.refusal, code: "forbidden") }
            return (principal, password, code)
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
                let principal = try await ctx.principal(s, needs: .readStudyData)
                for p in try await s.screening.participants(by: principal) {
                    print("\(p.subjectID)\t\(p.status.rawValue)\tversion \(p.version)\t\(p.siteID)")
                }
            }
        }
    }

    struct Register: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a person for screening; prints the subject ID.",
            discussion: """
                Identifying details are read from standard input after the password — full name, date of \
                birth (YYYY-MM-DD) and hospital number, one per line — never from the command line, where \
                every user of the machine could read them in the process list.
                """)
        @OptionGroup var ctx: Context
        @Option var site: String?
        func run() async throws {
            try await withServices(ctx) { s in
                let principal = try await ctx.principal(s, needs: .registerParticipant)
                let fullName = try readDetailLine(prompt: "Full name: ", field: "full name")
                let dateOfBirth = try readDetailLine(prompt: "Date of birth (YYYY-MM-DD): ", field: "date of birth")
                let hospitalNumber = try readDetailLine(prompt: "Hospital number: ", field: "hospital number")
                let p = try await s.screening.register(fullName: fullName, dateOfBirth: dateOfBirth, hospitalNumber: hospitalNumber,
                                                       siteID: site, by: principal)
                print(p.subjectID)
                if let warning = try await s.screening.hospitalNumberWarning(hospitalNumber, except: p.subjectID, by: principal) {
                    FileHandle.standardError.write(Data("carta: warning: \(warning)\n".utf8))
                }
            }
        }
    }

    struct SetValues: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set", abstract: "Enter screening or visit values: OID=VALUE, OID=VALUE@UNIT, OID.lln=X, OID.uln=X, OID.laboratory=ID, OID.confirmed=yes.")
        @OptionGroup var ctx: Context
        @Argument var subjectID: String
        @Option(help: "A visit after enrolment (APH, PROD, LD1, D0, D7, M1, …); screening when omitted.") var visit: String?
        @Argument(help: "Assignments such as HGB=95@g/L HGB.lln=115 HGB.uln=150 ECOG=1 (WEIGHT.confirmed=yes keeps a value held as a likely unit slip)") var assignments: [String]
        @Option(help: ArgumentHelp("Reason for changing saved values: CODE or CODE:words, CODE one of \(ChangeReason.codeList).",
                                   valueName: "code[:text]")) var reason: String?
        @Option(help: "Expected participant version (default: the current one).") var version: Int?
        func run() async throws {
            try await withServices(ctx) { s in
                let principal = try await ctx.principal(s, needs: .enterData)
                var entries: [String: ScreeningService.RawEntry] = [:]
                for a in assignments {
                    guard let eq = a.firstIndex(of: "=") else { throw CLIFailure("\(a): expected OID=VALUE") }
                    let key = String(a[..<eq]), rhs = String(a[a.index(after: eq)...])
                    if key.hasSuffix(".laboratory") {
                        // The site laboratory that measured a lab value: OID.laboratory=ID (its ranges fill blank limits).
                        let oid = String(key.dropLast(".laboratory".count))
                        var e = entries[oid] ?? .init(value: "")
                        e.laboratory = rhs
                        entries[oid] = e
                    } else if key.hasSuffix(".confirmed") {
                        // A value held as a likely unit slip, confirmed as typed: OID.confirmed=yes.
                        let oid = String(key.dropLast(".confirmed".count))
                        var e = entries[oid] ?? .init(value: "")
                        e.confirmed = ["yes", "true", "1"].contains(rhs.lowercased()) ? true : nil
                        entries[oid] = e
                    } else if key.hasSuffix(".lln") || key.hasSuffix(".uln") {
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
                let visitForms = try visit.map { id in
                    guard let v = s.study.schedule.visit(id), v.id != s.study.schedule.visits.first?.id else {
                        throw CLIFailure("--visit \(id): the schedule has no visit \(id) after screening; visits are \(s.study.schedule.visits.dropFirst().map(\.id).joined(separator: ", "))", code: "not_found")
                    }
                    return s.study.forms.filter { v.forms.contains($0.oid) }
                } ?? s.study.screeningForms
                var forms: [String: [String: ScreeningService.RawEntry]] = [:]
                for (oid, e) in entries {
                    guard let form = visitForms.first(where: { f in f.items.contains { $0.oid == oid } }) else {
                        throw CLIFailure("\(oid): no item with this OID on the forms of \(visit ?? "screening") (\(visitForms.map(\.oid).joined(separator: ", ")))")
                    }
                    forms[form.oid, default: [:]][oid] = e
                }
                var changeReason: ChangeReason?
                if let reason {
                    guard let parsed = ChangeReason(stored: reason) else {
                        throw CLIFailure("reason: --reason must start with one of \(ChangeReason.codeList), e.g. transcription_error:the lab report says 120 (got \(reason.quotedForMessage))", code: "invalid_input")
                    }
                    changeReason = parsed
                }
                let current = try await s.screening.participant(SubjectID(subjectID), by: principal)
                let result = if let visit {
                    try await s.conduct.saveVisitForms(subjectID: SubjectID(subjectID), visitID: visit, forms: forms,
                                                       expectedVersion: version ?? current.version, reason: changeReason, by: principal)
                } else {
                    try await s.screening.saveForms(subjectID: SubjectID(subjectID), forms: forms,
                                                    expectedVersion: version ?? current.version, reason: changeReason, by: principal)
                }
                for (oid, w) in result.warnings.sorted(by: { $0.key < $1.key }) { print("warning \(oid): \(w.joined(separator: " "))") }
                print("\(subjectID) saved, version \(result.participant.version)")
            }
        }
    }

    struct Calendar: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the visit calendar from Day 0 with each visit's window and status, then the protocol deviations.")
        @OptionGroup var ctx: Context
        @Argument var subjectID: String
        func run() async throws {
            try await withServices(ctx) { s in
                let course = try await s.conduct.course(SubjectID(subjectID), by: try await ctx.principal(s, needs: .readStudyData))
                guard let calendar = course.calendar else {
                    print("\(subjectID): no calendar yet — it starts from the planned infusion date (screening) or the first infusion.")
                    return
                }
                print("day0\t\(calendar.dayZero)\t\(calendar.provisional ? "provisional (planned infusion date)" : "first infusion")")
                for v in calendar.visits {
                    print("\(v.id)\t\(v.nominalDate)\t\(v.earliest)..\(v.latest)\t\(v.status.rawValue)\(v.doneOn.map { "\t\($0)" } ?? "")")
                }
                for d in course.deviations { print("deviation\t\(d.rule.rawValue)\t\(d.visitID)\t\(d.description)") }
            }
        }
    }

    struct Eligibility: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the eligibility checklist criterion by criterion.")
        @OptionGroup var ctx: Context
        @Argument var subjectID: String
        func run() async throws {
            try await withServices(ctx) { s in
                let file = try await s.screening.file(SubjectID(subjectID), by: try await ctx.principal(s, needs: .readStudyData))
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
        @Flag(name: .customLong("acknowledge-binding"),
              help: "Before your first signature: acknowledge that your electronic signature is the legally binding equivalent of your handwritten one (21 CFR 11.100).")
        var acknowledgeBinding = false
        func run() async throws {
            guard let kind = EligibilityDecisionKind(rawValue: decision) else { throw ValidationError("--decision must be eligible or not_eligible") }
            try await withServices(ctx) { s in
                let principal = try await ctx.principal(s, needs: .signEligibility)
                let p = try await s.screening.participant(SubjectID(subjectID), by: principal)
                let d = try await s.screening.sign(subjectID: p.subjectID, decision: kind, meaning: meaning,
                                                   expectedVersion: p.version, acknowledgesBinding: acknowledgeBinding, by: principal)
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
                let principal = try await ctx.principal(s, needs: .enrol)
                let p = try await s.screening.participant(SubjectID(subjectID), by: principal)
                let e = try await s.screening.enrol(subjectID: p.subjectID, expectedVersion: p.version, by: principal)
                print("\(e.subjectID): \(e.status.rawValue)")
            }
        }
    }

    struct Doses: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Calculate the lymphodepletion doses from the latest height, weight and creatinine, or verify them (--verify, a second person).")
        @OptionGroup var ctx: Context
        @Argument var subjectID: String
        @Flag(help: "Verify the stored calculation (only someone other than the person who calculated it).") var verify = false
        func run() async throws {
            try await withServices(ctx) { s in
                let principal = try await ctx.principal(s, needs: .enterData)
                let p = try await s.screening.participant(SubjectID(subjectID), by: principal)
                let done = verify ? try await s.dosing.verify(subjectID: p.subjectID, expectedVersion: p.version, by: principal)
                                  : try await s.dosing.calculate(subjectID: p.subjectID, expectedVersion: p.version, by: principal)
                let file = try await s.screening.file(done.subjectID, by: principal)
                guard let visit = s.dosing.visit, let c = LymphodepletionDosing.calculation(in: file.values, visitID: visit.id) else { return }
                print("\(done.subjectID)\tBSA \(c.bsaM2.map(LymphodepletionDosing.text) ?? "-") m2\tCrCl \(c.crClMlMin.map(LymphodepletionDosing.text) ?? "-") mL/min")
                for (drug, dose) in c.dosesMg.sorted(by: { $0.key < $1.key }) { print("\(drug)\t\(dose.map { "\(LymphodepletionDosing.text($0)) mg/day" } ?? "-")") }
                print("rules\t\(c.rules)\nvalues used\t\(c.sources)\ncalculated by\t\(c.calculatedBy)\nverified by\t\(c.verifiedBy ?? "not yet — a second person verifies before lymphodepletion")")
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
                let principal = try await ctx.principal(s, needs: .enrol)
                let p = try await s.screening.participant(SubjectID(subjectID), by: principal)
                let e = try await s.screening.screenFail(subjectID: p.subjectID, reasons: reasons, expectedVersion: p.version, by: principal)
                print("\(e.subjectID): \(e.status.rawValue) — \(e.screenFailureReasons.joined(separator: "; "))")
            }
        }
    }
}
