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
        if format == .json, out == nil { return try await streamJSON() }
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

    /// The JSON of `json(_:)`, byte for byte, without holding every participant: each participant's figures (with
    /// their sources) are encoded as they are derived into a temporary file, and spliced into the study-level JSON
    /// once the pass is over (its `participants` array is the only part that grows with the study).
    ///
    /// Source: issue 9 scope 4 (`carta derive` on a 100,000-participant database streams).
    func streamJSON() async throws {
        try await ParticipantCommand.withServices(ctx) { s in
            let principal = try await ctx.principal(s, needs: .readStudyData)
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("carta-derive-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            defer { try? FileManager.default.removeItem(at: dir) }
            let participantsFile = dir.appendingPathComponent("participants.json")
            FileManager.default.createFile(atPath: participantsFile.path, contents: nil, attributes: [.posixPermissions: 0o600])
            let file = try FileHandle(forWritingTo: participantsFile)
            defer { try? file.close() }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let progress = ProgressLine(label: "participants")
            let total = try await s.outcomes.participantTotal(by: principal)
            var buffer = Data(), count = 0
            let o = try await s.outcomes.stream(by: principal, includeSources: true, progress: { progress.update($0, of: total) }) { p in
                // Nested two levels deep in the study's JSON: every line indented by four more spaces (an empty array's
                // blank line stays blank, as the encoder writes it).
                let lines = String(decoding: try encoder.encode(p), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                buffer.append(Data(((count == 0 ? "" : ",\n") + lines.map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n")).utf8))
                count += 1
                if buffer.count > 1 << 16 { try file.write(contentsOf: buffer); buffer.removeAll(keepingCapacity: true) }
            }
            try file.write(contentsOf: buffer)
            progress.finish()
            if o.synthetic { Self.warnSynthetic() }
            let study = String(decoding: try Self.json(o), as: UTF8.self)
            let stdout = FileHandle.standardOutput
            guard count > 0 else { stdout.write(Data(study.utf8)); print(""); return }
            // The study-level JSON has "participants" : [ ] (empty) at the top level: the streamed array goes there.
            guard let member = study.range(of: "\n  \"participants\" : ["), let close = study[member.upperBound...].firstIndex(of: "]") else {
                throw ValidationError("internal: no participants array in the derived JSON")
            }
            stdout.write(Data((study[..<member.upperBound] + "\n").utf8))
            try file.close()
            let reader = try FileHandle(forReadingFrom: participantsFile)
            defer { try? reader.close() }
            while let chunk = try reader.read(upToCount: 1 << 20), !chunk.isEmpty { stdout.write(chunk) }
            stdout.write(Data(("\n  " + study[close...]).utf8))
            print("")
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
