import Foundation

/// Every object met during one strict decode: its keys, the keys some `CodingKeys` accepted, and the
/// names offered as suggestions.
///
/// Source: issue 6 item 3 ("compare a keyed container's keys against the CodingKeys").
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
