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

    /// Canonical text of a JSON document (sorted keys) so two documents compare by value.
    static func canonical(_ data: Data) throws -> String {
        let obj = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        let out = try JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys])
        return String(decoding: out, as: UTF8.self)
    }

    /// The package root, found from this file's path (Tests/<target>/<folder>/file.swift).
    static func packageRoot(_ file: String = #filePath) -> URL {
        URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The fenced block after ```` ```json <tag> ```` in a calculator doc.
    static func docBlock(_ doc: String, tag: String) throws -> String {
        let open = "```json \(tag)\n"
        let start = try #require(doc.range(of: open), "doc has no ```json \(tag) block")
        let rest = doc[start.upperBound...]
        let end = try #require(rest.range(of: "\n```"), "unterminated \(tag) block")
        return String(rest[..<end.lowerBound])
    }

    /// Checks that a doc's example input produces exactly its example output.
    static func checkDocExample<C: Calculator>(_: C.Type, doc name: String) throws {
        let url = packageRoot().appendingPathComponent("docs/calculators/\(name).md")
        let doc = try String(contentsOf: url, encoding: .utf8)
        let input = try docBlock(doc, tag: "example-input")
        let expected = try docBlock(doc, tag: "example-output")
        let produced = try C.run(json: Data(input.utf8))
        #expect(try canonical(produced) == canonical(Data(expected.utf8)), "docs/calculators/\(name).md example output is stale")
    }
}
