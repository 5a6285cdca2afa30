import Foundation

/// A keyed container that records which keys are asked for and decodes every value through a
/// `StrictDecoder`, so nested objects and enums are checked too.
struct StrictKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let base: KeyedDecodingContainer<Key>
    let ledger: StrictKeyLedger

    var codingPath: [any CodingKey] { base.codingPath }
    var allKeys: [Key] { base.allKeys }

    func contains(_ key: Key) -> Bool {
        ledger.touch(path: codingPath, key: key.stringValue)
        return base.contains(key)
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        ledger.touch(path: codingPath, key: key.stringValue)
        return try base.decodeNil(forKey: key)
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        ledger.touch(path: codingPath, key: key.stringValue)
        // A missing key keeps the base's own keyNotFound error.
        guard base.contains(key), !StrictDecoder.passesThrough(T.self) else { return try base.decode(T.self, forKey: key) }
        return try StrictDecoder(base: try base.superDecoder(forKey: key), ledger: ledger).decode(T.self)
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decode(type, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try decode(type, key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decode(type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decode(type, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decode(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decode(type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decode(type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decode(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decode(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decode(type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decode(type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decode(type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decode(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decode(type, key) }

    private func decode<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
        try decode(type, forKey: key) as T
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        ledger.touch(path: codingPath, key: key.stringValue)
        guard base.contains(key) else { return try base.nestedContainer(keyedBy: NestedKey.self, forKey: key) }
        return try StrictDecoder(base: try base.superDecoder(forKey: key), ledger: ledger).container(keyedBy: NestedKey.self)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        ledger.touch(path: codingPath, key: key.stringValue)
        guard base.contains(key) else { return try base.nestedUnkeyedContainer(forKey: key) }
        return try StrictDecoder(base: try base.superDecoder(forKey: key), ledger: ledger).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { StrictDecoder(base: try base.superDecoder(), ledger: ledger) }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        ledger.touch(path: codingPath, key: key.stringValue)
        return StrictDecoder(base: try base.superDecoder(forKey: key), ledger: ledger)
    }
}

/// An unkeyed container whose elements are decoded through a `StrictDecoder`.
struct StrictUnkeyedContainer: UnkeyedDecodingContainer {
    var base: any UnkeyedDecodingContainer
    let ledger: StrictKeyLedger

    var codingPath: [any CodingKey] { base.codingPath }
    var count: Int? { base.count }
    var isAtEnd: Bool { base.isAtEnd }
    var currentIndex: Int { base.currentIndex }

    mutating func decodeNil() throws -> Bool { try base.decodeNil() }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if isAtEnd || StrictDecoder.passesThrough(T.self) { return try base.decode(T.self) }
        return try StrictDecoder(base: try base.superDecoder(), ledger: ledger).decode(T.self)
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try decode(type as Bool.Type, strict: ()) }
    mutating func decode(_ type: String.Type) throws -> String { try decode(type as String.Type, strict: ()) }
    mutating func decode(_ type: Double.Type) throws -> Double { try decode(type as Double.Type, strict: ()) }
    mutating func decode(_ type: Float.Type) throws -> Float { try decode(type as Float.Type, strict: ()) }
    mutating func decode(_ type: Int.Type) throws -> Int { try decode(type as Int.Type, strict: ()) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try decode(type as Int8.Type, strict: ()) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try decode(type as Int16.Type, strict: ()) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try decode(type as Int32.Type, strict: ()) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try decode(type as Int64.Type, strict: ()) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try decode(type as UInt.Type, strict: ()) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try decode(type as UInt8.Type, strict: ()) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try decode(type as UInt16.Type, strict: ()) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try decode(type as UInt32.Type, strict: ()) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try decode(type as UInt64.Type, strict: ()) }

    private mutating func decode<T: Decodable>(_ type: T.Type, strict: Void) throws -> T { try decode(type) as T }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        if isAtEnd { return try base.nestedContainer(keyedBy: NestedKey.self) }
        return try StrictDecoder(base: try base.superDecoder(), ledger: ledger).container(keyedBy: NestedKey.self)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        if isAtEnd { return try base.nestedUnkeyedContainer() }
        return try StrictDecoder(base: try base.superDecoder(), ledger: ledger).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder { StrictDecoder(base: try base.superDecoder(), ledger: ledger) }
}
