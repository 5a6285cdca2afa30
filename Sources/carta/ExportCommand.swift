import ArgumentParser
import CartaModel
import CartaTrial
import Foundation

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
        @Option(help: "archive (every change, audit records, signatures), limited (current values with dates; needs --dua) or safe-harbor (dates as years).")
        var mode: String = "archive"
        @Option(help: "The data use agreement a limited data set is released under.") var dua: String?
        func run() async throws {
            guard !FileManager.default.fileExists(atPath: out) else {
                throw CLIFailure("\(out) exists; choose a new file name (an archive is never overwritten)", code: "invalid_input")
            }
            guard let kind = ODMArchive.Mode(rawValue: mode) else {
                throw ValidationError("--mode must be one of \(ODMArchive.Mode.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            try await ParticipantCommand.withServices(ctx) { s in
                let principal = try await ctx.principal(s, needs: kind == .archive ? .exportArchive : .exportDeidentified)
                let progress = ProgressLine(label: "participants")
                let xml = try await s.exports.odmArchive(by: principal, mode: kind, dataUseAgreement: dua) { done, total in progress.update(done, of: total) }
                progress.finish()
                do {
                    try Data(xml.utf8).write(to: URL(fileURLWithPath: out), options: .withoutOverwriting)
                } catch {
                    throw CLIFailure("cannot write \(out): \(error.localizedDescription)", code: "invalid_input")
                }
                print("wrote \(out) (\(xml.utf8.count) bytes)")
            }
        }
    }
}
