import Foundation
import Testing
@testable import CartaCore

/// Helpers shared by the toxicity and bleeding tests (namespaced to avoid clashes in CartaCoreTests).
enum ToxicityTestSupport {
    /// Runs a calculator on a JSON string and returns the output as a JSON object.
    static func run<C: Calculator>(_: C.Type, _ json: String) throws -> [String: Any] {
        let data = try C.run(json: Data(json.utf8))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Runs a calculator on JSON that must fail, and returns the CalculatorError.
    static func failure<C: Calculator>(_: C.Type, _ json: String) -> CalculatorError? {
        do {
            _ = try C.run(json: Data(json.utf8))
            return nil
        } catch let e as CalculatorError {
            return e
        } catch {
            return CalculatorError(code: "unexpected", message: "\(error)")
        }
    }
}
