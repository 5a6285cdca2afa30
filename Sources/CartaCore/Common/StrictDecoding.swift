import Foundation

/// Decodes any `Decodable` strictly: keys no type asks for are errors that name the key and suggest
/// the nearest valid one, and wrong shapes are described in the user's terms ("an object", "a list",
/// the choices of an enum), never with Swift type names.
///
/// One generic implementation for every calculator input and every typed section of a study file:
/// it wraps the underlying decoder (JSON or YAML) and compares each object's keys with the keys its
/// `CodingKeys` accept. Source: issue 6 items 3–4; DESIGN.md §2 ("unknown keys are errors").
public enum StrictDecoding {
    /// Stable code of an unknown-key error.
    /// Source: docs/calculators.md "Errors".
    public static let unknownFieldCode = "unknown_field"

    /// Decodes `type` from `decoder`; throws `CalculatorError` (`unknown_field` first, then the
    /// decoding problem mapped by `CalculatorJSON.describe`).
    public static func decode<T: Decodable>(_ type: T.Type, from decoder: any Decoder) throws -> T {
        let ledger = StrictKeyLedger()
        do {
            let value = try StrictDecoder(base: decoder, ledger: ledger).decode(T.self)
            if let unknown = ledger.unknownKeys().first { throw unknown }
            return value
        } catch let error as DecodingError {
            throw ledger.unknownKeys().first ?? CalculatorJSON.describe(error)
        } catch {
            throw ledger.unknownKeys().first ?? error
        }
    }

    /// Decodes `type` strictly from JSON bytes with `CalculatorJSON.decoder()`.
    public static func decode<T: Decodable>(_ type: T.Type, json: Data) throws -> T {
        do {
            return try CalculatorJSON.decoder().decode(Capture<T>.self, from: json).value
        } catch let error as DecodingError {
            throw CalculatorJSON.describe(error, json: json)
        }
    }

    /// Hands the underlying decoder of any `TopLevelDecoder` to `decode(_:from:)`.
    public struct Capture<T: Decodable>: Decodable {
        /// The strictly decoded value.
        public let value: T
        /// Decodes `T` strictly from `decoder`.
        public init(from decoder: any Decoder) throws { value = try StrictDecoding.decode(T.self, from: decoder) }
    }
}

/// Every object met during one strict decode: its keys, the keys some `CodingKeys` accepted, and the
/// names offered as suggestions.
final class StrictKeyLedger {
    private struct Object {
        var path: [any CodingKey]
        var keys: [String]
        var accepted: Set<String> = []
        var known: [String] = []
    }
    private var objects: [String: Object] = [:]
    private var order: [String] = []

    /// Records a keyed container of `K` opened on the object at `path` holding `keys`.
    func open<K: CodingKey>(_: K.Type, path: [any CodingKey], keys: [String]) {
        let id = CalculatorJSON.path(path)
        if objects[id] == nil { objects[id] = Object(path: path, keys: keys); order.append(id) }
        for k in keys where K(stringValue: k) != nil { objects[id]?.accepted.insert(k) }
        if let cases = K.self as? any CaseIterable.Type { add(names(of: cases), to: id) }
    }

    /// Records that `key` was asked for (a suggestion candidate when the key type lists no cases).
    func touch(path: [any CodingKey], key: String) { add([key], to: CalculatorJSON.path(path)) }

    private func add(_ names: [String], to id: String) {
        for n in names where !(objects[id]?.known.contains(n) ?? true) { objects[id]?.known.append(n) }
    }

    private func names<C: CaseIterable>(of _: C.Type) -> [String] {
        C.allCases.compactMap { ($0 as? any CodingKey)?.stringValue }
    }

    /// One error per key that no container accepted, in the order the objects were met.
    func unknownKeys() -> [CalculatorError] {
        order.compactMap { objects[$0] }.flatMap { o in
            o.keys.filter { !o.accepted.contains($0) }.map { key in
                let field = CalculatorJSON.path(o.path, appending: StrictCodingKey(stringValue: key))
                return CalculatorError(code: StrictDecoding.unknownFieldCode,
                                       message: "\(field): unknown key\(KeySuggestion.hint(for: key, among: o.known))",
                                       field: field)
            }
        }
    }
}

/// A coding key for any name or index.
struct StrictCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) { self.stringValue = String(intValue); self.intValue = intValue }
}
