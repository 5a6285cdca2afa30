import ArgumentParser
import CartaModel
import CartaTrial
import Foundation

/// `carta import odm`: restores a Carta ODM 1.3.2 archive (`carta export odm`) into a new database — every
/// value with its history and audit records — through `ODMImportService` (standards.md R-CP-1).
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Restore electronic copies of the study's records.", subcommands: [ODM.self])

    struct ODM: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "odm",
            abstract: "Restore an ODM archive (from `carta export odm`) into a database that holds no participants yet.",
            discussion: "Values, their history and audit records (original user, time and reason; source \"import\") and each participant's status are restored in one transaction, or nothing is. Identifying details and signatures are not in the archive's data and are not restored.")
        @OptionGroup var ctx: ParticipantCommand.Context
        @Option(name: .customLong("in"), help: "The archive to read.") var input: String
        func run() async throws {
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: input)) } catch {
                throw CLIFailure("cannot read \(input): \(error.localizedDescription)", code: "invalid_input")
            }
            try await ParticipantCommand.withServices(ctx) { s in
                let principal = try await ctx.principal(s, needs: .importArchive)
                let progress = ProgressLine(label: "participants checked")
                let summary = try await s.imports.importArchive(xml: String(decoding: data, as: UTF8.self), by: principal) { done, total in
                    progress.update(done, of: total)
                }
                progress.finish()
                print("restored: \(summary.text)")
            }
        }
    }
}
