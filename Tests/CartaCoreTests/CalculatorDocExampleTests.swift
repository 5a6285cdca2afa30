import CartaTestSupport
import Foundation
import Testing
@testable import CartaCore

/// Every calculator's page (docs/calculators/NAME.md) shows an example whose output is exactly
/// what the code produces — for every calculator in the registry, so a new calculator without a
/// documented, correct example fails here.
struct CalculatorDocExampleTests {
    @Test(arguments: CalculatorRegistry.all.map(\.name))
    func documentedExampleIsReal(name: String) throws {
        let example = try CalculatorDocExample.load(name)
        let produced = try CalculatorRegistry.run(name: name, json: Data(example.input.utf8))
        #expect(try CalculatorDocExample.sameJSON(produced, Data(example.output.utf8)),
                "docs/calculators/\(name).md example output differs:\n\(String(decoding: produced, as: UTF8.self))")
    }
}
