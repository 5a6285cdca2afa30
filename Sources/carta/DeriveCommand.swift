import ArgumentParser
import CartaModel
import CartaTrial
import Foundation

/// `carta derive`: the registry's outcome measures derived from the captured data, as JSON (everything,
/// with the source values behind each figure) or as one of the analysis-ready CSV tables; `--out DIR`
/// writes all of them (issue 9 scope 1).
struct DeriveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "derive", abstract: "Derive the outcome measures (response, time to and duration of response, AEs, CRS/ICANS, bleeding).")

    enum Format: String, ExpressibleByArgument, CaseIterable { case json, csv }

    @OptionGroup var ctx: ParticipantCommand.Context
    @Option(help: "json (default) or csv.") var format: Format = .json
    @Option(help: "The CSV table: subjects, visits, tte or ae.") var table: String = "subjects"
    @Option(help: "Write outcomes.json and every CSV table into this directory instead of printing.") var out: String?

    func validate() throws {
        guard OutcomeTables.Table(rawValue: table) != nil else {
            throw ValidationError("--table must be one of \(OutcomeTables.Table.allCases.map(\.rawValue).joined(separator: ", ")) (got \"\(table)\").")
        }
    }

    func run() async throws {
        if format == .csv, out == nil, let t = OutcomeTables.Table(rawValue: table) { return try await streamCSV(t) }
        try await ParticipantCommand.withServices(ctx) { s in
            let outcomes = try await s.outcomes.derive(by: try await ctx.principal(s, needs: .readStudyData))
            let json = try Self.json(outcomes)
            if outcomes.synthetic { Self.warnSynthetic() }
            if let out {
                let dir = try Self.writeFiles(outcomes, into: out)
                print("wrote\t\(dir.path)\toutcomes.json, \(OutcomeTables.Table.allCases.map { "\($0.rawValue).csv" }.joined(separator: ", "))")
                return
            }
            switch format {
            case .json: FileHandle.standardOutput.write(json); print("")
            case .csv: print(OutcomeTables.csv(OutcomeTables.Table(rawValue: table) ?? .subjects, outcomes), terminator: "")
            }
        }
    }

    /// CSV to stdout one page of participants at a time (bounded memory on a study of any size).
    func streamCSV(_ t: OutcomeTables.Table) async throws {
        try await ParticipantCommand.withServices(ctx) { s in
            let principal = try await ctx.principal(s, needs: .readStudyData)
            let stdout = FileHandle.standardOutput
            stdout.write(Data(OutcomeTables.line(OutcomeTables.header(t)).utf8))
            let progress = ProgressLine(label: "participants")
            let total = try await s.outcomes.participantTotal(by: principal)
            var buffer = ""
            let o = try await s.outcomes.stream(by: principal, includeSources: t == .visits, progress: { progress.update($0, of: total) }) { p in
                for row in OutcomeTables.rows(t, p) { buffer += OutcomeTables.line(row) }
                if buffer.utf8.count > 1 << 16 { stdout.write(Data(buffer.utf8)); buffer = "" }
            }
            progress.finish()
            if o.synthetic { Self.warnSynthetic() }
            if t == .ae { buffer += OutcomeTables.studyRows(o).map(OutcomeTables.line).joined() }
            stdout.write(Data(buffer.utf8))
        }
    }

    /// Writes outcomes.json and every CSV table into `path` (created when missing); returns the directory.
    static func writeFiles(_ outcomes: StudyOutcomes, into path: String) throws -> URL {
        let dir = URL(fileURLWithPath: path, isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try json(outcomes).write(to: dir.appendingPathComponent("outcomes.json"))
        for t in OutcomeTables.Table.allCases {
            try Data(OutcomeTables.csv(t, outcomes).utf8).write(to: dir.appendingPathComponent("\(t.rawValue).csv"))
        }
        return dir
    }

    static func warnSynthetic() {
        FileHandle.standardError.write(Data("carta: these figures come from SYNTHETIC demonstration data (carta demo), not from a real trial\n".utf8))
    }

    static func json(_ o: StudyOutcomes) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(o)
    }
}
