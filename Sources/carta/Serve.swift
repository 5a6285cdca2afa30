import CartaModel
import ArgumentParser
import CartaServer
import CartaTrial
import CartaStore
import CartaStudy
import Foundation
import Hummingbird
import Logging
import NIOCore

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start the Carta web app and JSON API (migrates an empty database and creates the first admin).")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var studyFile: StudyOptions
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Flag(help: "Serve a synthetic demonstration study: ./carta-demo.sqlite (or --db), filled by `carta demo` when empty; never the real database.")
    var demo = false

    func run() async throws {
        let env = ProcessInfo.processInfo.environment
        // The demo is filled with the audit key and witness it will be served with (else the serve would find its
        // records sealed with another key, and refuse).
        let audit = AuditFiles(keyFile: database.auditKey, witnessFile: database.auditWitness)
        let databaseURL = demo ? try await Self.prepareDemo(database.db ?? DemoCommand.defaultDatabase, studyFile: studyFile.study, audit: audit) : database.db
        let trial = CartaConfig.resolve(database: databaseURL, studyFile: studyFile.study, auditKey: database.auditKey,
                                        auditWitness: database.auditWitness, environment: env)
        let config = ServerConfig(
            host: host, port: port, databaseURL: trial.databaseURL, initialAdminPassword: trial.initialAdminPassword,
            secureCookies: env["CARTA_SECURE_COOKIES"].map { $0 == "1" || $0 == "true" },
            auditKeyFile: trial.auditKeyFile, auditWitnessFile: trial.auditWitnessFile)
        var logger = Logger(label: "carta")
        logger.logLevel = .info
        if let given = config.initialAdminPassword, let problem = AccountService.passwordProblem(given, username: "admin") {
            throw CLIFailure("CARTA_ADMIN_PASSWORD: \(problem)")
        }
        let study = try CartaRuntime.loadStudy(trial)
        let services = try await CartaApplication.makeServices(config: config, study: study, logger: logger)
        // Issue 7 scope 8: the application should not be able to switch off the audit trail's protection.
        if (try? await services.store.canBypassAuditProtection()) == true {
            logger.warning("carta serve connects as the owner of audit_events or a superuser, which can disable the audit triggers; create a least-privileged role with `carta db grant-app-role --role NAME` and serve as it (docs/audit-integrity.md)")
        }
        do {
            try await serve(services, study: study, config: config)
        } catch {
            // Close the database before reporting: a failed start (port in use, …) must not leave
            // connections open, and the message must say what to do.
            await services.store.close()
            if let io = error as? IOError, io.errnoCode == EADDRINUSE {
                throw CLIFailure("cannot listen on \(host):\(port): the address is in use; stop the other server or choose --port")
            }
            throw error
        }
        await services.store.close()
    }

    /// `--demo`: fills an empty database with the synthetic cohort (accounts written once beside an SQLite
    /// file, mode 0600, and shown at every start) and refuses a database that holds real participants.
    static func prepareDemo(_ url: String, studyFile: String?, audit: AuditFiles) async throws -> String {
        let parsed = try DatabaseURL(parsing: url)
        var accountsFile: String?
        if case .sqlite(let path) = parsed { accountsFile = path + ".accounts" }
        let config = CartaConfig.resolve(database: url, studyFile: studyFile, auditKey: audit.keyFile, auditWitness: audit.witnessFile)
        let store = try await CartaStore.open(parsed, audit: config.auditFiles, logger: quietLogger())
        let fresh = try await store.isEmpty()
        let empty = fresh ? true : try await store.participantCount() == 0
        let synthetic = fresh ? false : try await store.isSynthetic()
        await store.close()
        if empty {
            print("Filling \(parsed) with a synthetic cohort (carta demo)…")
            let summary = try await DemoCommand.fill(database: url, studyFile: studyFile, audit: audit, participants: 5, seed: 20_260_315)
            DemoCommand.printSummary(summary, database: url)
            if let accountsFile {
                let text = "# Demo accounts of \(url) (synthetic data only)\n" + summary.accounts.map { "\($0.username)\t\($0.role.rawValue)\t\($0.password)" }.joined(separator: "\n") + "\n"
                // Created private (0600) in one step, never readable by others even for an instant; an existing file is not overwritten.
                let fd = open(accountsFile, O_WRONLY | O_CREAT | O_EXCL, 0o600)
                guard fd >= 0 else { throw CLIFailure("cannot create \(accountsFile) (it may exist already): the demo accounts are printed above") }
                let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
                handle.write(Data(text.utf8))
                print("The demo accounts are kept in \(accountsFile) (readable only by you).")
            }
        } else if !synthetic {
            throw CLIFailure("--demo: \(parsed) holds participants and is not a demo database; the demo never touches real data. Choose another file with --db.")
        } else {
            // Passwords are printed only when created, never at later starts (they would end up in server logs).
            print("Synthetic demonstration database \(parsed)." + (accountsFile.map { " Demo accounts: \($0)." } ?? ""))
        }
        return url
    }

    private func serve(_ services: CartaServices, study: Study, config: ServerConfig) async throws {
        if let generated = try await services.auth.ensureAdmin(
            initialPassword: config.initialAdminPassword,
            actor: AuditActor(userID: nil, username: "carta serve", source: .cli)) {
            // Printed once, to the operator's terminal only — never logged.
            print("""
                Created the first account: username "admin", one-time password:
                    \(generated)
                Sign in and create named accounts with `carta user add NAME --role ROLE`.
                """)
        }
        print("Carta \(study.id) on http://\(host):\(port) — database \(try DatabaseURL(parsing: config.databaseURL))")
        fflush(nil) // all C streams: visible at once when stdout is a pipe or a log file, not only at exit
        let built = CartaApplication.build(services: services)
        let background = [Self.keepOutcomeFigures(services), Self.keepTodaysLines(services)]
        var failure: (any Error)?
        do { try await built.application.runService() } catch { failure = error }
        // The background passes stop at a page boundary before the caller closes the database.
        for task in background { task.cancel() }
        for task in background { _ = await task.result }
        if let failure { throw failure }
    }

    /// Every site day the today screen's first reader would wait for every participant's line to be computed (their
    /// courses, grades and deviations for the new day): they are computed in the background at the start and just after
    /// each site midnight instead. Logs counts only, never participants.
    static func keepTodaysLines(_ services: CartaServices) -> Task<Void, Never> {
        let logger = services.logger, today = services.runtime.today, clock = services.runtime.clock
        return Task.detached(priority: .background) {
            while !Task.isCancelled {
                let start = ContinuousClock.now
                do {
                    let kept = try await today.keepTodaysLines()
                    if kept > 0 { logger.info("today's lines computed ahead for \(kept) participants in \(Self.seconds(since: start)) s") }
                } catch where Task.isCancelled {
                    return
                } catch {
                    logger.warning("today's lines were not computed ahead; the first reader computes them", metadata: ["error": "\(error)"])
                }
                let wake = SiteClock.nextDayStart(after: clock.now, in: clock.timeZone).addingTimeInterval(1)
                do { try await Task.sleep(for: .seconds(max(1, wake.timeIntervalSince(clock.now)))) } catch { return }
            }
        }
    }

    static func seconds(since start: ContinuousClock.Instant) -> String {
        let took = (ContinuousClock.now - start).components
        return String(format: "%.1f", Double(took.seconds) + Double(took.attoseconds) / 1e18)
    }

    /// After a new build, study file or scoring plug-in no participant's outcome figures are current, and the first
    /// reader of the report would wait for all of them to be derived (70 s on 100,000 participants): they are derived
    /// and kept in the background from the start instead. Logs counts only, never participants.
    static func keepOutcomeFigures(_ services: CartaServices) -> Task<Void, Never> {
        let logger = services.logger, outcomes = services.runtime.outcomes
        return Task.detached(priority: .background) {
            let start = ContinuousClock.now
            let pass = outcomes.keepMissingFiguresInBackground()
            do {
                let kept = try await withTaskCancellationHandler { try await pass.value } onCancel: { pass.cancel() }
                if kept > 0 { logger.info("outcome figures derived and kept for \(kept) participants in \(Self.seconds(since: start)) s") }
            } catch where Task.isCancelled {
                // The server is stopping; the store may report the cancellation wrapped in its own error.
            } catch {
                logger.warning("outcome figures were not kept ahead; the first report derives them", metadata: ["error": "\(error)"])
            }
        }
    }
}
