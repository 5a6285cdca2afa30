import ArgumentParser
import CartaStudy
import Foundation

struct StudyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "study", abstract: "Inspect and validate study files.", subcommands: [Show.self, Validate.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the built-in NCT05315778 study file.")
        func run() throws { print(try BuiltInStudy.yamlText(), terminator: "") }
    }

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a study file; print every problem with its path in the file (exit 1 if any).")
        @Argument(help: "The YAML study file.") var file: String

        func run() throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw CLIFailure("cannot read \(file)") }
            let study = try StudyLoader.load(yaml: String(decoding: data, as: UTF8.self))
            print("\(file): valid — \(study.id), \(study.forms.count) forms, \(study.eligibility.criteria.count) eligibility criteria.")
        }
    }
}
