import Foundation

/// The example of a calculator's page in `docs/calculators/NAME.md`: the fenced blocks labelled
/// `json example-input` and `json example-output` (every page carries exactly these two).
///
/// Source: docs/calculators.md ("the examples are checked by the test suite"). One reader for
/// the core tests (examples through `Calculator.run`) and the server tests (through API and CLI).
public struct CalculatorDocExample: Sendable {
    public let input: String
    public let output: String

    /// The repository root, found from this file's location.
    public static let repositoryRoot = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Reads the example of calculator `name`.
    public static func load(_ name: String) throws -> CalculatorDocExample {
        let url = repositoryRoot.appendingPathComponent("docs/calculators/\(name).md")
        let text = try String(contentsOf: url, encoding: .utf8)
        func block(_ label: String) throws -> String {
            guard let open = text.range(of: "```json \(label)\n"),
                  let close = text.range(of: "\n```", range: open.upperBound..<text.endIndex) else {
                throw DocExampleError(description: "\(url.path): no ```json \(label) block")
            }
            return String(text[open.upperBound..<close.lowerBound])
        }
        return CalculatorDocExample(input: try block("example-input"), output: try block("example-output"))
    }

    /// True when two JSON texts decode to the same value (key order and spacing aside).
    public static func sameJSON(_ a: Data, _ b: Data) throws -> Bool {
        let x = try JSONSerialization.jsonObject(with: a) as? NSDictionary
        let y = try JSONSerialization.jsonObject(with: b) as? NSDictionary
        return x != nil && x == y
    }
}

/// A calculator page without a readable example.
public struct DocExampleError: Error, CustomStringConvertible {
    public let description: String
}
