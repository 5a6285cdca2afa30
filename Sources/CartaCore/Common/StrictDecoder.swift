import Foundation

/// A `Decoder` over another decoder that records every object's keys in a `StrictKeyLedger` and
/// rewrites shape errors in the user's terms; used only through `StrictDecoding`.
///
/// Source: issue 6 items 3–4.
struct StrictDecoder: Decoder {
    let base: any Decoder
    let ledger: StrictKeyLedger

    var codingPath: [any CodingKey] { base.codingPath }
    var userInfo: [CodingUserInfoKey: Any] { base.userInfo }

    /// Decodes `T` from this value; enums that list their cases name them when the value is not one.
    func decode<T: Decodable>(_: T.Type) throws -> T {
        if StrictDecoder.passesThrough(T.self) { return try base.singleValueContainer().decode(T.self) }
        guard let choices = StrictDecoder.choices(of: T.self) else { return try T(from: self) }
        do {
            return try T(from: self)
        } catch let error where StrictDecoder.isAt(codingPath, error) {
            let found = StrictDecoder.found(in: base)
            let list = choices.joined(separator: ", ")
            let message = found.hasPrefix("\"") ? "\(found) is not one of: \(list)" : "expected one of: \(list) (got \(found))"
            throw CalculatorError.invalid(StrictDecoder.field(codingPath), message)
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        let inner: KeyedDecodingContainer<Key>
        do { inner = try base.container(keyedBy: Key.self) } catch let e as DecodingError { throw reshaped(e) }
        let keys = (try? base.container(keyedBy: StrictCodingKey.self).allKeys.map(\.stringValue)) ?? []
        ledger.open(Key.self, path: codingPath, keys: keys)
        return KeyedDecodingContainer(StrictKeyedContainer(base: inner, ledger: ledger))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        do { return StrictUnkeyedContainer(base: try base.unkeyedContainer(), ledger: ledger) }
        catch let e as DecodingError { throw reshaped(e) }
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        StrictSingleValueContainer(decoder: self, base: try base.singleValueContainer())
    }

    /// A type mismatch at this value, restated as "expected an object (got 5)".
    func reshaped(_ error: DecodingError) -> any Error {
        guard case .typeMismatch(let type, let ctx) = error, ctx.codingPath.count == codingPath.count else { return error }
        return CalculatorError.invalid(StrictDecoder.field(codingPath),
                                       "expected \(CalculatorJSON.typeName(type)) (got \(StrictDecoder.found(in: base)))")
    }

    /// Foundation types that JSONDecoder decodes by its own strategies, never through their own `init(from:)`.
    static func passesThrough(_ t: Any.Type) -> Bool {
        t == URL.self || t == Date.self || t == Data.self || t == Decimal.self
    }

    /// The raw values of an enum that lists its cases, nil for any other type.
    static func choices(of t: Any.Type) -> [String]? {
        guard let e = t as? any (CaseIterable & RawRepresentable).Type else { return nil }
        return rawValues(e)
    }

    private static func rawValues<E: CaseIterable & RawRepresentable>(_: E.Type) -> [String] {
        E.allCases.map { "\($0.rawValue)" }
    }

    /// True when `error` is about the value at `path` itself (not something nested in it).
    static func isAt(_ path: [any CodingKey], _ error: any Error) -> Bool {
        switch error {
        case let e as CalculatorError: return e.field == field(path)
        case DecodingError.dataCorrupted(let c), DecodingError.typeMismatch(_, let c): return c.codingPath.count == path.count
        default: return false
        }
    }

    /// The dotted field name of `path`, `input` for the whole document.
    static func field(_ path: [any CodingKey]) -> String {
        let p = CalculatorJSON.path(path)
        return p.isEmpty ? "input" : p
    }

    /// What the value is, in the user's terms: `"M"`, `5`, `true`, `null`, `a list`, `an object`.
    static func found(in decoder: any Decoder) -> String {
        if let c = try? decoder.singleValueContainer() {
            if c.decodeNil() { return "null" }
            if let n = try? c.decode(Double.self) { return CalculatorJSON.number(n) }
            if let b = try? c.decode(Bool.self) { return b ? "true" : "false" }
            if let s = try? c.decode(String.self) { return "\"\(s)\"" }
        }
        if (try? decoder.unkeyedContainer()) != nil { return "a list" }
        if (try? decoder.container(keyedBy: StrictCodingKey.self)) != nil { return "an object" }
        return "a value of another kind"
    }
}

/// The single value of a `StrictDecoder`: primitives are decoded by the base, anything else goes back
/// through the strict decoder so nested objects are checked too.
struct StrictSingleValueContainer: SingleValueDecodingContainer {
    let decoder: StrictDecoder
    let base: any SingleValueDecodingContainer
    var codingPath: [any CodingKey] { base.codingPath }

    func decodeNil() -> Bool { base.decodeNil() }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        guard StrictSingleValueContainer.isPrimitive(T.self) || StrictDecoder.passesThrough(T.self) else {
            return try decoder.decode(T.self)
        }
        do {
            return try base.decode(T.self)
        } catch {
            // Foundation on Linux throws its own (non-DecodingError) error for a fractional number in
            // an integer field; at a primitive it can only be about this value.
            if error is CalculatorError { throw error }
            if let e = error as? DecodingError {
                if case .valueNotFound = e { throw e }
                if !StrictDecoder.isAt(codingPath, e) && !StrictSingleValueContainer.isPathless(e) { throw e }
            }
            throw CalculatorError.invalid(StrictDecoder.field(codingPath),
                                          "expected \(CalculatorJSON.typeName(T.self)) (got \(StrictDecoder.found(in: decoder.base)))")
        }
    }

    func decode(_ type: Bool.Type) throws -> Bool { try decode(type, strict: ()) }
    func decode(_ type: String.Type) throws -> String { try decode(type, strict: ()) }
    func decode(_ type: Double.Type) throws -> Double { try decode(type, strict: ()) }
    func decode(_ type: Float.Type) throws -> Float { try decode(type, strict: ()) }
    func decode(_ type: Int.Type) throws -> Int { try decode(type, strict: ()) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decode(type, strict: ()) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decode(type, strict: ()) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decode(type, strict: ()) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decode(type, strict: ()) }
    func decode(_ type: UInt.Type) throws -> UInt { try decode(type, strict: ()) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decode(type, strict: ()) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decode(type, strict: ()) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decode(type, strict: ()) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decode(type, strict: ()) }

    private func decode<T: Decodable>(_ type: T.Type, strict: Void) throws -> T { try decode(type) as T }

    /// A data error without a path, as Foundation reports some number errors; at a primitive it can
    /// only be about this value.
    static func isPathless(_ error: DecodingError) -> Bool {
        if case .dataCorrupted(let c) = error, c.codingPath.isEmpty { return true }
        return false
    }

    static func isPrimitive(_ t: Any.Type) -> Bool {
        t == Bool.self || t == String.self || t == Double.self || t == Float.self
            || t == Int.self || t == Int8.self || t == Int16.self || t == Int32.self || t == Int64.self
            || t == UInt.self || t == UInt8.self || t == UInt16.self || t == UInt32.self || t == UInt64.self
    }
}
