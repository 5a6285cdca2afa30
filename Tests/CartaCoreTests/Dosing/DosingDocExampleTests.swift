import Foundation
import Testing
@testable import CartaCore

/// Each calculator doc (docs/calculators/NAME.md) shows an example whose output is exactly what the code produces.
struct DosingDocExampleTests {
    /// docs/calculators/ of the repository holding this file (symlinks resolved, so private test packages work too).
    static func docsDirectory() throws -> URL {
        var dir = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            let candidate = dir.appendingPathComponent("docs/calculators")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("bsa.md").path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        throw CalculatorError.invalid("docs", "docs/calculators not found above \(#filePath)")
    }

    /// The first two ```json blocks after "## Example": input and output.
    static func example(_ name: String) throws -> (input: Data, output: Data) {
        let text = try String(contentsOf: docsDirectory().appendingPathComponent("\(name).md"), encoding: .utf8)
        let section = try #require(text.range(of: "## Example")).upperBound
        var blocks: [String] = []
        var rest = text[section...]
        while blocks.count < 2, let open = rest.range(of: "```json\n") {
            let close = try #require(rest.range(of: "\n```", range: open.upperBound..<rest.endIndex))
            blocks.append(String(rest[open.upperBound..<close.lowerBound]))
            rest = rest[close.upperBound...]
        }
        try #require(blocks.count == 2)
        return (Data(blocks[0].utf8), Data(blocks[1].utf8))
    }

    static func same(_ a: Data, _ b: Data) throws -> Bool {
        let x = try JSONSerialization.jsonObject(with: a) as? NSDictionary
        let y = try JSONSerialization.jsonObject(with: b) as? NSDictionary
        return x != nil && x == y
    }

    @Test(arguments: ["bsa", "crcl", "lymphodepletion", "cart-dose"])
    func docExampleIsReal(name: String) throws {
        let (input, expected) = try Self.example(name)
        let actual: Data
        switch name {
        case BSACalculator.name: actual = try BSACalculator.run(json: input)
        case CrClCalculator.name: actual = try CrClCalculator.run(json: input)
        case LymphodepletionCalculator.name: actual = try LymphodepletionCalculator.run(json: input)
        default: actual = try CARTDoseCalculator.run(json: input)
        }
        #expect(try Self.same(actual, expected), "docs/calculators/\(name).md example output differs:\n\(String(decoding: actual, as: UTF8.self))")
    }
}
