import ArgumentParser
import CartaCore
import CartaServer
import CartaStudy
import Foundation
import Hummingbird
import Logging

@main
struct Carta: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "carta",
        abstract: "Carta — trial data system for cell-therapy studies (built-in study NCT05315778).",
        subcommands: [Serve.self, Compute.self, StudyCommand.self])
}
