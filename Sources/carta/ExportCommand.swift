import ArgumentParser
import CartaModel
import CartaTrial
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `carta export odm`: the ODM 1.3.2 archive of the signed-in user's sites, through the same service as
/// `GET /api/v1/export/odm` (standards.md R-CP-1, R-AT-6, R-PR-1).
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Electronic copies of the study's records.", subcommands: [ODM.self])

    struct ODM: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "odm",
            abstract: "Write the CDISC ODM 1.3.2 archive (values, audit records, signatures; subject IDs only) of your sites.")
        @OptionGroup var ctx: ParticipantCommand.Context
        @Option(help: "The file to write (refused if it exists).") var out: String
        @Option(help: "archive (every change to participants and form values with its audit records, and the signatures; not yet the adverse-event log, queries or source-verification marks — docs/compliance.md R-CP-1), limited (current values with dates; needs --dua) or safe-harbor (dates as years).")
        var mode: String = "archive"
        @Option(help: "The data use agreement a limited data set is released under.") var dua: String?
        func run() async throws {
            guard !FileManager.default.fileExists(atPath: out) else {
                throw CLIFailure("\(out) exists; choose a new file name (an archive is never overwritten)", code: "invalid_input")
            }
            var isFolder: ObjCBool = false
            let folder = URL(fileURLWithPath: out).deletingLastPathComponent().path
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
                throw CLIFailure("cannot write \(out): the folder \(folder) does not exist; create it or give a path in an existing folder",
                                 code: "invalid_input")
            }
            guard let kind = ODMArchive.Mode(rawValue: mode) else {
                throw ValidationError("--mode must be one of \(ODMArchive.Mode.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            try await ParticipantCommand.withServices(ctx) { s in
                let principal = try await ctx.principal(s, needs: kind == .archive ? .exportArchive : .exportDeidentified)
                let progress = ProgressLine(label: "participants")
                // Spooled beside the file it becomes (not in $TMPDIR, which may be memory), one participant at a time.
                let target = URL(fileURLWithPath: out)
                let archive = try await s.exports.spooledODMArchive(by: principal, mode: kind, dataUseAgreement: dua,
                                                                    spoolIn: target.deletingLastPathComponent()) { done, total in progress.update(done, of: total) }
                progress.finish()
                try await Self.writeNew(target) { file in try await archive.write { try file.write(contentsOf: $0) } }
                print("wrote \(out) (\(archive.byteCount) bytes)")
            }
        }

        /// Writes `target` through `fill` under a temporary name beside it, then links it into place only if nothing has
        /// taken the name meanwhile (link(2) never replaces a file): an archive is never overwritten, and a failed
        /// export leaves no half-written file behind.
        static func writeNew(_ target: URL, fill: (FileHandle) async throws -> Void) async throws {
            let partial = target.deletingLastPathComponent().appendingPathComponent(".partial-\(UUID().uuidString)-\(target.lastPathComponent)")
            guard FileManager.default.createFile(atPath: partial.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw CLIFailure("cannot write \(target.path): \(String(cString: strerror(errno))); give a path in a folder you can write to", code: "invalid_input")
            }
            defer { unlink(partial.path) }
            let file = try FileHandle(forWritingTo: partial)
            do { try await fill(file); try file.close() } catch {
                try? file.close()
                throw CLIFailure("cannot write \(target.path): \(error.localizedDescription)", code: "invalid_input")
            }
            guard link(partial.path, target.path) == 0 else {
                throw CLIFailure("cannot write \(target.path): \(String(cString: strerror(errno))) (an archive is never overwritten; choose a new file name)",
                                 code: "invalid_input")
            }
        }
    }
}
