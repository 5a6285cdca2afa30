import ArgumentParser
import CartaStudy
import Foundation

struct StudyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "study", abstract: "Inspect and validate study files.", subcommands: [Show.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the built-in NCT05315778 study file.")
        func run() throws { print(try BuiltInStudy.yamlText(), terminator: "") }
    }
}
