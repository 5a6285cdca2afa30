import ArgumentParser
import CartaCore
import Foundation

struct Compute: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a clinical calculator: JSON in (file or stdin), JSON out on stdout.",
        discussion: "Calculators: " + CalculatorRegistry.all.map { "\n  \($0.name) — \($0.summary)" }.joined()
            + "\nFormats: docs/calculators/NAME.md")

    @Argument(help: "Calculator name, e.g. bsa, crcl, ctcae, response, km.") var name: String
    @Argument(help: "JSON input file; reads stdin when omitted or '-'.") var file: String?

    func run() throws {
        let input: Data
        if let file, file != "-" {
            guard let d = FileManager.default.contents(atPath: file) else {
                throw CLIFailure("cannot read input file \(file)")
            }
            input = d
        } else {
            input = FileHandle.standardInput.readDataToEndOfFile()
        }
        // A CalculatorError reaches `Carta.main`, which prints its stable code before the message.
        let out = try CalculatorRegistry.run(name: name, json: input)
        FileHandle.standardOutput.write(out)
        FileHandle.standardOutput.write(Data("\n".utf8))
    }
}

