import ArgumentParser
import CartaCore
import CartaModel
import CartaStore
import CartaTrial
import Foundation

/// `carta demo`: fills an empty database with clearly labelled synthetic participants, entered through
/// the same services and audit trail as real data (issue 9 scope 3). Default database: ./carta-demo.sqlite,
/// beside (never inside) the real one. `--scale N` instead loads a large cohort in bulk (`DemoService.runScale`):
/// the same courses and entry checks, audited per participant rather than per field.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Fill an empty database with a synthetic cohort (labelled synthetic on every page).")

    @Option(name: .long, help: "Database URL (default sqlite://carta-demo.sqlite; must hold no participants).") var db: String = DemoCommand.defaultDatabase
    @OptionGroup var studyFile: StudyOptions
    @Option(help: "Number of synthetic participants.") var participants: Int = 5
    @Option(help: "Random seed: the same seed gives the same cohort.") var seed: UInt64 = 20_260_315
    @Option(help: ArgumentHelp("Load a scale cohort of this many participants in bulk instead (up to 1000000): the same courses and entry checks, audited per participant (with the SHA-256 of its values) rather than per field; for trying Carta at sizes the study never reaches.", valueName: "N"))
    var scale: Int?

    static let defaultDatabase = "sqlite://carta-demo.sqlite"

    func validate() throws {
        guard (1...10_000).contains(participants) else { throw ValidationError("--participants must be between 1 and 10000 (got \(participants)).") }
        if let scale, !(1...1_000_000).contains(scale) { throw ValidationError("--scale must be between 1 and 1000000 (got \(scale)).") }
    }

    func run() async throws {
        if let scale {
            let summary = try await Self.load(database: db, studyFile: studyFile.study, participants: scale, seed: seed)
            print("""
                Synthetic scale cohort (not a real trial) in \(db):
                  \(summary.participants) participants, \(summary.values) values (\(summary.labValues) laboratory values) in \(String(format: "%.1f", summary.loadSeconds)) s — \(Int(Double(summary.labValues) / max(summary.loadSeconds, 1e-9))) laboratory values/s, \(Int(Double(summary.values) / max(summary.loadSeconds, 1e-9))) values/s.
                  Loaded in bulk: audited per participant (registration, and the number and SHA-256 of its values), not per field; no adverse-event log entries.
                Demo accounts (passwords shown once):
                """)
            for a in summary.accounts { print("  \(a.username)\t\(a.role.rawValue)\t\(a.password)") }
            return
        }
        let summary = try await Self.fill(database: db, studyFile: studyFile.study, participants: participants, seed: seed)
        Self.printSummary(summary, database: db)
    }

    /// Opens the database on the demo's clock, replays the cohort with a progress line, and closes it.
    static func fill(database: String, studyFile: String?, audit: AuditFiles = AuditFiles(), participants: Int, seed: UInt64) async throws -> DemoService.Summary {
        try await withDemo(database: database, studyFile: studyFile, audit: audit, progressLabel: "synthetic trial steps") { demo, today, progress in
            try await demo.run(participants: participants, seed: seed, today: today, now: Date(), progress: progress)
        }
    }

    /// Opens the database and loads a scale cohort with a progress line.
    static func load(database: String, studyFile: String?, participants: Int, seed: UInt64) async throws -> DemoService.ScaleSummary {
        try await withDemo(database: database, studyFile: studyFile, progressLabel: "synthetic participants") { demo, today, progress in
            try await demo.runScale(participants: participants, seed: seed, today: today, now: Date(), progress: progress)
        }
    }

    /// Runs `body` with a demo service on the database (opened on the demo's clock), the site's today and a
    /// progress line, and closes the database whatever happens.
    static func withDemo<T: Sendable>(database: String, studyFile: String?, audit: AuditFiles = AuditFiles(), progressLabel: String,
                                      _ body: (DemoService, ClinicalDate, @escaping @Sendable (Int, Int) -> Void) async throws -> T) async throws -> T {
        let clock = DemoClock(Date())
        let config = CartaConfig.resolve(database: database, studyFile: studyFile, auditKey: audit.keyFile, auditWitness: audit.witnessFile)
        let runtime = try await CartaRuntime.open(config,
                                                  migrate: .ifEmpty, instant: { clock.now }, logger: quietLogger())
        let today = SiteClock.localDate(of: Date(), in: runtime.clock.timeZone)
        let progress = ProgressLine(label: progressLabel)
        do {
            let result = try await body(DemoService(runtime: runtime, clock: clock), today) { done, total in progress.update(done, of: total) }
            progress.finish()
            await runtime.store.close()
            return result
        } catch {
            progress.finish()
            await runtime.store.close()
            throw error
        }
    }

    static func printSummary(_ s: DemoService.Summary, database: String) {
        print("""
            Synthetic demonstration data (not a real trial) in \(database):
              \(s.participants) participants, \(s.saves) saves, \(s.values) values, \(s.adverseEvents) adverse events — all through the audited services.
            Demo accounts (passwords shown once):
            """)
        for a in s.accounts { print("  \(a.username)\t\(a.role.rawValue)\t\(a.password)") }
    }
}
