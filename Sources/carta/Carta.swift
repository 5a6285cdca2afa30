import CartaModel
import ArgumentParser
import CartaCore
import CartaTrial
import CartaStore
import CartaStudy
import Foundation

@main
struct Carta: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "carta",
        abstract: "Carta — trial data system for cell-therapy studies (built-in study NCT05315778).",
        discussion: "Exit status: 0 success, 1 invalid input (message on stderr), 2 usage error.",
        subcommands: [Serve.self, Migrate.self, StudyCommand.self, UserCommand.self, ParticipantCommand.self, LockCommand.self, QueryCommand.self, SourceVerificationCommand.self, CasebookCommand.self, ExportCommand.self, ImportCommand.self, TodayCommand.self, AdverseEventCommand.self, DeriveCommand.self, ReportCommand.self, DemoCommand.self,
                      Compute.self, AuditCommand.self, DatabaseCommand.self])

    /// Maps errors to DESIGN.md §3 exit codes: usage errors → 2, invalid input → 1.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var async = command as? any AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            if code == .success {
                exit(withError: error) // --help and --version
            }
            let tag = errorCode(for: error).map { "[\($0)] " } ?? ""
            FileHandle.standardError.write(Data(("carta: " + tag + describe(error) + "\n").utf8))
            Foundation.exit(1)
        }
    }

    /// The documented stable code of an error (the API's `error.code`), printed before the message.
    static func errorCode(for error: any Error) -> String? {
        switch error {
        case let e as CalculatorError: return e.code
        case let e as CLIFailure: return e.code
        case let e as WorkflowError: return e.code.rawValue
        case let e as StoreError: return WorkflowError(e)?.code.rawValue ?? e.code.rawValue
        case is StudyFileError: return "invalid_study_file"
        default: return nil
        }
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case let e as CLIFailure: return e.description
        case let e as CalculatorError: return e.message
        case let e as StoreError: return e.message
        case let e as StudyFileError: return e.description
        case let e as WorkflowError where !e.fields.isEmpty: return e.fields.map { "\($0.field): \($0.message)" }.joined(separator: "\n")
        case let e as WorkflowError: return e.message
        default:
            return String(describing: error)
        }
    }
}
