import ArgumentParser
import CartaCore
import CartaModel
import CartaTrial
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `carta derive`: the registry's outcome measures derived from the captured data, as JSON (everything,
/// with the source values behind each figure) or as one of the analysis-ready CSV tables; `--out DIR`
/// writes all of them (issue 9 scope 1). Every form streams: memory is bounded by a page of participants.
struct DeriveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "derive", abstract: "Derive the outcome measures (response, time to and duration of response, AEs, CRS/ICANS, bleeding).")

    enum Format: String, ExpressibleByArgument, CaseIterable { case json, csv }

    @OptionGroup var ctx: ParticipantCommand.Context
    @Option(help: "json (default) or csv.") var format: Format = .json
    @Option(help: ArgumentHelp("The CSV table: \(OutcomeTables.Table.allCases.map(\.rawValue).joined(separator: ", ")).")) var table: String = "subjects"
    @Option(help: "Write outcomes.json and every CSV table into this directory instead of printing.") var out: String?

    func validate() throws {
        guard OutcomeTables.Table(rawValue: table) != nil else {
            throw ValidationError("--table must be one of \(OutcomeTables.Table.allCases.map(\.rawValue).joined(separator: ", ")) (got \(table.quotedForMessage)).")
        }
    }

    func run() async throws {
        if let out { return try await streamFiles(into: out) }
        switch format {
        case .json: try await streamJSON()
        case .csv:
            guard let t = OutcomeTables.Table(rawValue: table) else { throw ValidationError("--table: unknown table \(table)") }
            try await streamCSV(t)
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
            let synthetic = try await s.store.isSynthetic()
            let o = try await s.outcomes.stream(by: principal, includeSources: t == .visits, progress: { progress.update($0, of: total) }) { p in
                for row in OutcomeTables.rows(t, p, synthetic: synthetic) { buffer += OutcomeTables.line(row) }
                if buffer.utf8.count > 1 << 16 { stdout.write(Data(buffer.utf8)); buffer = "" }
            }
            progress.finish()
            if o.synthetic { Self.warnSynthetic() }
            Self.noteDataCut(o, dataOnStandardOutput: true)
            if t == .ae { buffer += OutcomeTables.studyRows(o).map(OutcomeTables.line).joined() }
            stdout.write(Data(buffer.utf8))
        }
    }

    /// The JSON of `json(_:)` on standard output, byte for byte, without holding every participant (`streamPass`).
    ///
    /// Source: issue 9 scope 4 (`carta derive` on a 100,000-participant database streams).
    func streamJSON() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("carta-derive-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: dir) }
        try await ParticipantCommand.withServices(ctx) { s in
            let stdout = FileHandle.standardOutput
            let principal = try await ctx.principal(s, needs: .readStudyData)
            let o = try await Self.streamPass(s, by: principal, tables: [], spool: dir.appendingPathComponent("participants.json")) { try $0.writeJSON(to: stdout) }
            stdout.write(Data("\n".utf8))
            Self.noteDataCut(o, dataOnStandardOutput: true)
        }
    }

    /// `--out DIR`: outcomes.json and every CSV table from one pass, each byte for byte what the whole derivation gives
    /// (`writeFiles`), with memory bounded by a page of participants. Each file is written under a temporary name in
    /// `DIR` and renamed into place only when the pass has succeeded, so a failed run leaves no half-written table.
    ///
    /// Source: issue 9 scope 1 (`--out` writes every table) and scope 4 (`carta derive` streams).
    func streamFiles(into path: String) async throws {
        let dir = try Self.outputFolder(path)
        try await ParticipantCommand.withServices(ctx) { s in
            Self.noteDataCut(try await Self.streamFiles(s, by: try await ctx.principal(s, needs: .readStudyData), into: dir), dataOnStandardOutput: false)
        }
    }

    /// The files of `--out` written into `dir` (made by `outputFolder`) from one pass, which also hands each participant
    /// (with sources) to `each`; returns the study-level figures. `carta report` draws its plots from the same pass.
    static func streamFiles(_ s: CartaRuntime, by principal: Principal, into dir: URL,
                            each: (StudyOutcomes.Participant) -> Void = { _ in }) async throws -> StudyOutcomes {
        let names = ["outcomes.json"] + OutcomeTables.Table.allCases.map { "\($0.rawValue).csv" }
        let partial = "partial-\(UUID().uuidString)-"
        // The participants' JSON is spooled beside the files it becomes part of (not in $TMPDIR, which may be memory).
        let spool = dir.appendingPathComponent(partial + "participants.json")
        defer { for name in names + ["participants.json"] { try? FileManager.default.removeItem(at: dir.appendingPathComponent(partial + name)) } }
        func create(_ name: String) throws -> FileHandle {
            let url = dir.appendingPathComponent(partial + name)
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                throw CLIFailure("--out: cannot write \(url.path): \(String(cString: strerror(errno))); give a folder you can write to.")
            }
            return try FileHandle(forWritingTo: url)
        }
        var tables: [(OutcomeTables.Table, FileHandle)] = []
        defer { for (_, handle) in tables { try? handle.close() } }
        for t in OutcomeTables.Table.allCases {
            let handle = try create("\(t.rawValue).csv")
            tables.append((t, handle))
            try handle.write(contentsOf: Data(OutcomeTables.line(OutcomeTables.header(t)).utf8))
        }
        let json = try create("outcomes.json")
        defer { try? json.close() }
        let study = try await streamPass(s, by: principal, tables: tables, spool: spool, each: each) { try $0.writeJSON(to: json) }
        // rename(2) replaces an older file of the same name in one step.
        for name in names where rename(dir.appendingPathComponent(partial + name).path, dir.appendingPathComponent(name).path) != 0 {
            throw CLIFailure("--out: cannot move \(name) into place in \(dir.path): \(String(cString: strerror(errno)))")
        }
        print("wrote\t\(dir.path)\t\(names.joined(separator: ", "))")
        return study
    }

    /// The JSON of a streamed pass: the study-level figures with the participants' figures, encoded as they were
    /// derived, spliced into their array.
    struct StreamedJSON {
        let study: StudyOutcomes
        let participants: URL
        let count: Int

        /// `json(study)` with the streamed participants in place of its empty array (no newline at the end).
        func writeJSON(to out: FileHandle) throws {
            let json = String(decoding: try DeriveCommand.json(study), as: UTF8.self)
            guard count > 0 else { try out.write(contentsOf: Data(json.utf8)); return }
            // The study-level JSON has "participants" : [ ] (empty) at the top level: the streamed array goes there.
            guard let member = json.range(of: "\n  \"participants\" : ["), let close = json[member.upperBound...].firstIndex(of: "]") else {
                throw CLIFailure("internal: no participants array in the derived JSON")
            }
            try out.write(contentsOf: Data((json[..<member.upperBound] + "\n").utf8))
            let reader = try FileHandle(forReadingFrom: participants)
            defer { try? reader.close() }
            while let chunk = try reader.read(upToCount: 1 << 20), !chunk.isEmpty { try out.write(contentsOf: chunk) }
            try out.write(contentsOf: Data(("\n  " + json[close...]).utf8))
        }
    }

    /// One pass with sources: each participant's figures are encoded as they are derived into `spool` (created mode
    /// 0600; the caller removes it) and their rows appended to each of `tables`; `finish` gets the study-level figures
    /// with the spool. The participants' array is the only part of the JSON that grows with the study, so nothing holds
    /// every participant.
    static func streamPass(_ s: CartaRuntime, by principal: Principal, tables: [(OutcomeTables.Table, FileHandle)], spool participantsFile: URL,
                           each: (StudyOutcomes.Participant) -> Void = { _ in }, finish: (StreamedJSON) throws -> Void) async throws -> StudyOutcomes {
        guard FileManager.default.createFile(atPath: participantsFile.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CLIFailure("cannot write \(participantsFile.path): \(String(cString: strerror(errno)))")
        }
        let file = try FileHandle(forWritingTo: participantsFile)
        defer { try? file.close() }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let progress = ProgressLine(label: "participants")
        let total = try await s.outcomes.participantTotal(by: principal)
        var buffer = Data(), rows = Array(repeating: "", count: tables.count), count = 0
        let synthetic = try await s.store.isSynthetic()
        func flush(above limit: Int) throws {
            if buffer.count > limit { try file.write(contentsOf: buffer); buffer.removeAll(keepingCapacity: true) }
            for i in tables.indices where rows[i].utf8.count > limit {
                try tables[i].1.write(contentsOf: Data(rows[i].utf8))
                rows[i] = ""
            }
        }
        let o = try await s.outcomes.stream(by: principal, includeSources: true, progress: { progress.update($0, of: total) }) { p in
            each(p)
            // Nested two levels deep in the study's JSON: every line indented by four more spaces (an empty array's
            // blank line stays blank, as the encoder writes it).
            let lines = String(decoding: try encoder.encode(p), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            buffer.append(Data(((count == 0 ? "" : ",\n") + lines.map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n")).utf8))
            count += 1
            for (i, (t, _)) in tables.enumerated() where t != .ae {
                for row in OutcomeTables.rows(t, p, synthetic: synthetic) { rows[i] += OutcomeTables.line(row) }
            }
            try flush(above: 1 << 16)
        }
        progress.finish()
        if o.synthetic { Self.warnSynthetic() }
        // The adverse-event table is the study's incidence by term (`OutcomeTables.csv`), known once the pass is over.
        for (i, (t, _)) in tables.enumerated() where t == .ae { rows[i] += OutcomeTables.studyRows(o).map(OutcomeTables.line).joined() }
        try flush(above: 0)
        try file.close()
        try finish(StreamedJSON(study: o, participants: participantsFile, count: count))
        return o
    }

    /// Writes outcomes.json and every CSV table of a whole derivation into `path` (created when missing); returns the
    /// directory. For `carta report` on a study small enough to draw every participant, which holds the whole derivation.
    static func writeFiles(_ outcomes: StudyOutcomes, into path: String) throws -> URL {
        let dir = try outputFolder(path)
        try json(outcomes).write(to: dir.appendingPathComponent("outcomes.json"))
        for t in OutcomeTables.Table.allCases {
            try Data(OutcomeTables.csv(t, outcomes).utf8).write(to: dir.appendingPathComponent("\(t.rawValue).csv"))
        }
        return dir
    }

    /// The `--out` folder, created when missing; a path that is a file, or a folder that cannot be made, is refused by name.
    static func outputFolder(_ path: String) throws -> URL {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue {
            throw CLIFailure("--out \(path) is a file, not a folder: give a folder (new or existing) to write the outcomes and tables into.")
        }
        let dir = URL(fileURLWithPath: path, isDirectory: true)
        do { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) } catch {
            throw CLIFailure("--out: cannot create the folder \(path) (\((error as NSError).localizedDescription)); give a folder you can write to.")
        }
        return dir
    }

    /// The data cut of a pass (`StudyOutcomes.DataCut`, also in the JSON): on standard error when standard output carries the
    /// data itself; a warning, always on standard error, when changes were saved during the pass.
    static func noteDataCut(_ o: StudyOutcomes, dataOnStandardOutput: Bool) {
        guard let cut = o.dataCut else { return }
        if cut.isConsistent, !dataOnStandardOutput { print("data as of audit record \(cut.lastAuditRecord)"); return }
        FileHandle.standardError.write(Data("carta: \(cut.isConsistent ? "data as of audit record \(cut.lastAuditRecord)" : cut.text)\n".utf8))
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
