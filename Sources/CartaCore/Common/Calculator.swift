import Foundation

/// A clinical rule exposed as a JSON-in / JSON-out calculator (`carta compute NAME`,
/// `POST /api/v1/compute/NAME`).
///
/// Source: issue "Clinical rules engine"; formats documented in docs/calculators.md.
public protocol Calculator: Sendable {
    associatedtype Input: Decodable & Sendable
    associatedtype Output: Encodable & Sendable
    /// The name used on the command line and in the URL, e.g. `bsa`.
    static var name: String { get }
    /// One line for `carta compute --help` and the OpenAPI document.
    static var summary: String { get }
    /// Computes the result; throws `CalculatorError` naming the field for bad input.
    static func compute(_ input: Input) throws -> Output
}

extension Calculator {
    /// Decodes `json` strictly (unknown keys are `unknown_field` errors), computes, and encodes the
    /// output with sorted keys (stable bytes).
    /// Source: docs/calculators.md "Errors"; issue 6 items 3–4.
    public static func run(json: Data) throws -> Data {
        let input = try StrictDecoding.decode(Input.self, json: json)
        let output = try compute(input)
        return try CalculatorJSON.encoder().encode(output)
    }
}

/// JSON conventions shared by every calculator: sorted keys, ISO dates as `ClinicalDate`,
/// decoding errors mapped to the dotted path of the field.
public enum CalculatorJSON {
    public static func decoder() -> JSONDecoder { JSONDecoder() }

    public static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return e
    }

    /// Renders a coding path as `a.b[2].c`.
    public static func path(_ codingPath: [any CodingKey], appending key: (any CodingKey)? = nil) -> String {
        var out = ""
        for k in codingPath + (key.map { [$0] } ?? []) {
            if let i = k.intValue { out += "[\(i)]" } else { out += out.isEmpty ? k.stringValue : ".\(k.stringValue)" }
        }
        return out
    }

    /// Maps a `DecodingError` to a `CalculatorError` that names the field; with the input at hand
    /// it also tells valid JSON from malformed JSON.
    public static func describe(_ error: DecodingError, json: Data) -> CalculatorError {
        guard case .dataCorrupted(let ctx) = error, ctx.codingPath.isEmpty,
              let tree = try? JSONSerialization.jsonObject(with: json, options: [.fragmentsAllowed]) else {
            return describe(error)
        }
        // Foundation on Linux reports a fractional number in an integer field as "not valid JSON"
        // without a path; the input parses, so point at the fractional values instead.
        let fractional = fractionalNumbers(in: tree, path: "")
        let field = fractional.count == 1 ? fractional[0] : nil
        let hint = fractional.isEmpty ? "" : " (fractional values at: \(fractional.prefix(5).joined(separator: ", ")))"
        return CalculatorError(
            code: "invalid_input",
            message: "\(field ?? "input"): a value has the wrong type — most likely a fractional number where a whole number is required\(hint)",
            field: field)
    }

    static func fractionalNumbers(in value: Any, path: String) -> [String] {
        switch value {
        case let d as [String: Any]:
            return d.keys.sorted().flatMap { fractionalNumbers(in: d[$0]!, path: path.isEmpty ? $0 : "\(path).\($0)") }
        case let a as [Any]:
            return a.enumerated().flatMap { fractionalNumbers(in: $0.element, path: "\(path)[\($0.offset)]") }
        case is Bool:
            return []
        case let n as NSNumber:
            let x = n.doubleValue
            return x.isFinite && x.rounded() != x ? [path] : []
        default:
            return []
        }
    }

    /// Maps a `DecodingError` to a `CalculatorError` that names the field.
    public static func describe(_ error: DecodingError) -> CalculatorError {
        switch error {
        case .keyNotFound(let key, let ctx):
            let p = path(ctx.codingPath, appending: key)
            return CalculatorError(code: "missing_field", message: "\(p): required field is missing", field: p)
        case .valueNotFound(_, let ctx):
            let p = path(ctx.codingPath)
            return CalculatorError(code: "missing_field", message: "\(p): value is null or missing", field: p)
        case .typeMismatch(let type, let ctx):
            let p = path(ctx.codingPath)
            return CalculatorError(code: "invalid_input", message: "\(p): expected \(typeName(type))", field: p)
        case .dataCorrupted(let ctx):
            let p = path(ctx.codingPath)
            if p.isEmpty {
                return CalculatorError(code: "malformed_json", message: "input is not valid JSON: \(ctx.debugDescription)", field: nil)
            }
            return CalculatorError(code: "invalid_input", message: "\(p): \(userTerms(ctx.debugDescription))", field: p)
        @unknown default:
            return CalculatorError(code: "invalid_input", message: "\(error)", field: nil)
        }
    }

    /// A Swift type in the user's terms: "a number", "an object", "a list" — never a type name.
    static func typeName(_ t: Any.Type) -> String {
        switch t {
        case is Double.Type, is Float.Type: return "a number"
        case is Int.Type, is Int8.Type, is Int16.Type, is Int32.Type, is Int64.Type,
             is UInt.Type, is UInt8.Type, is UInt16.Type, is UInt32.Type, is UInt64.Type: return "an integer"
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        default: break
        }
        let name = String(describing: t)
        if name.contains("Dictionary") || name.contains("Mapping") { return "an object" }
        if name.contains("Array") || name.contains("Sequence") { return "a list" }
        if let choices = StrictDecoder.choices(of: t) { return "one of: \(choices.joined(separator: ", "))" }
        return "a single value"
    }

    /// A decoder's own message with Swift type names removed
    /// (`Cannot initialize Sex from invalid String value M` → `"M" is not an accepted value`).
    static func userTerms(_ message: String) -> String {
        if message.hasPrefix("Cannot initialize"), let r = message.range(of: " value ") {
            return "\"\(message[r.upperBound...])\" is not an accepted value"
        }
        if message.contains("does not fit in") { return "expected a whole number in range" }
        return message
    }

    /// A number as the user wrote it: `5`, `1.5`, `10000000`.
    static func number(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int(v)) }
        return String(v)
    }
}
