import Foundation
import Testing
@testable import CartaCore

/// Test helpers of the dosing suites (namespaced so other suites' helpers cannot clash).
enum DosingTest {
    /// Runs a calculator on a JSON string and returns the decoded output object.
    static func run<C: Calculator>(_ c: C.Type, _ json: String) throws -> [String: Any] {
        let data = try C.run(json: Data(json.utf8))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Runs a calculator on a JSON string expecting a `CalculatorError`; returns it (records an issue otherwise).
    static func expectError<C: Calculator>(_ c: C.Type, _ json: String, sourceLocation: SourceLocation = #_sourceLocation) -> CalculatorError? {
        do {
            _ = try C.run(json: Data(json.utf8))
            Issue.record("expected a CalculatorError for \(json)", sourceLocation: sourceLocation)
        } catch let e as CalculatorError {
            return e
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
        return nil
    }

    /// Rounds half away from zero to `places` decimals (test-side, independent of DosingRounding).
    static func round(_ v: Double, _ places: Int) -> Double {
        let m = pow(10.0, Double(places)); return (v * m).rounded() / m
    }
}
