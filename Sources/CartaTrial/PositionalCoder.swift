import CartaCore
import Foundation

/// A compact binary form of a `Codable` value for derived data kept between passes (`outcome_figures`): the
/// fields in declaration order without their names, integers as zig-zag varints, doubles as their 8 bytes, strings
/// as length and UTF-8, a `ClinicalDate` as its day number (not its ISO text, which `Codable` would parse back
/// for every date of every participant), an optional field as a presence byte, an array as its count and elements.
///
/// Why: reading back 100,000 participants' figures as JSON spent most of a pass parsing JSON and matching keys
/// (BENCHMARKS.md, issue 9 "Performance"). Positional means the reader must be the writer's build, which the kept
/// figures' key guarantees (`OutcomeService.figuresKey` includes the program build). Types that need key names on
/// decoding (dictionaries keyed by strings) or encode a bare `nil` (arrays of optionals) are refused with an error
/// rather than written ambiguously; a decode must use every byte, or it fails. Doubles keep their exact bits.
public enum PositionalCoder {
    public struct Unsupported: Error, CustomStringConvertible {
        public var description: String
    }

    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let writer = Writer()
        try write(value, writer)
        return writer.bytes
    }

    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        let reader = Reader(bytes)
        let value = try read(T.self, reader)
        guard reader.index == bytes.count else { throw Unsupported(description: "\(bytes.count - reader.index) bytes left after decoding \(T.self)") }
        return value
    }

    // MARK: bytes

    final class Writer {
        var bytes: [UInt8] = []
        init() { bytes.reserveCapacity(1024) }
        func unsigned(_ v: UInt64) {
            var v = v
            while v >= 0x80 { bytes.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
            bytes.append(UInt8(v))
        }
        func signed(_ v: Int64) { unsigned(UInt64(bitPattern: (v << 1) ^ (v >> 63))) }
        func double(_ v: Double) { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        func string(_ s: String) {
            var s = s
            s.withUTF8 { utf8 in unsigned(UInt64(utf8.count)); bytes.append(contentsOf: utf8) }
        }
    }

    final class Reader {
        let bytes: [UInt8]
        var index = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }
        func byte() throws -> UInt8 {
            guard index < bytes.count else { throw Unsupported(description: "the data ends early") }
            defer { index += 1 }
            return bytes[index]
        }
        func unsigned() throws -> UInt64 {
            var v: UInt64 = 0, shift: UInt64 = 0
            while true {
                let b = try byte()
                // Ten 7-bit groups hold 64 bits; the tenth may only carry bit 63.
                guard shift < 63 || (shift == 63 && b <= 1) else { throw Unsupported(description: "an integer is too long") }
                v |= UInt64(b & 0x7F) << shift
                if b < 0x80 { return v }
                shift += 7
            }
        }
        func signed() throws -> Int64 { let u = try unsigned(); return Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1))) }
        func double() throws -> Double {
            guard index + 8 <= bytes.count else { throw Unsupported(description: "the data ends early") }
            var bits: UInt64 = 0
            for i in 0..<8 { bits |= UInt64(bytes[index + i]) << (8 * UInt64(i)) }
            index += 8
            return Double(bitPattern: bits)
        }
        func string() throws -> String {
            let u = try unsigned()
            // Compared as UInt64 first: a corrupt length ≥ 2⁶³ would trap in Int(_:).
            guard u <= UInt64(bytes.count - index) else { throw Unsupported(description: "the data ends early") }
            let n = Int(u)
            defer { index += n }
            return String(decoding: bytes[index..<(index + n)], as: UTF8.self)
        }
        func integer<I: FixedWidthInteger>(_: I.Type) throws -> I {
            let v = try signed()
            guard let i = I(exactly: v) else { throw Unsupported(description: "\(v) does not fit \(I.self)") }
            return i
        }
    }

    // MARK: encoding

    /// Dictionaries that encode into a keyed container (String and Int keys, `CodingKeyRepresentable`): their keys
    /// are names, which this form does not write.
    protocol KeyedByName {}

    struct PositionalEncoder: Encoder {
        let writer: Writer
        var codingPath: [any CodingKey] = []
        var userInfo: [CodingUserInfoKey: Any] { [:] }
        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> { KeyedEncodingContainer(KeyedWriter<Key>(writer: writer)) }
        func unkeyedContainer() -> any UnkeyedEncodingContainer { UnkeyedWriter(writer: writer) }
        func singleValueContainer() -> any SingleValueEncodingContainer { SingleWriter(writer: writer) }
    }

    /// One value, whatever its type: the primitives written directly, anything else through its own `encode(to:)`.
    static func write<T: Encodable>(_ value: T, _ w: Writer) throws {
        switch value {
        case is any KeyedByName: throw Unsupported(description: "a dictionary keyed by \(T.self) (its keys would not be written)")
        case let v as String: w.string(v)
        case let v as Int: w.signed(Int64(v))
        case let v as Double: w.double(v)
        case let v as Bool: w.bytes.append(v ? 1 : 0)
        case let v as Float: w.double(Double(v))
        case let v as ClinicalDate: w.signed(Int64(v.dayNumber))
        case let v as any FixedWidthInteger:
            guard let i = Int64(exactly: v) else { throw Unsupported(description: "\(v) does not fit 64 bits") }
            w.signed(i)
        default: try value.encode(to: PositionalEncoder(writer: w))
        }
    }

    static func read<T: Decodable>(_ type: T.Type, _ r: Reader) throws -> T {
        if T.self == String.self { return try r.string() as! T }
        if T.self == Int.self { return try r.integer(Int.self) as! T }
        if T.self == Double.self { return try r.double() as! T }
        if T.self == Bool.self { return (try r.byte() != 0) as! T }
        if T.self == Float.self { return Float(try r.double()) as! T }
        if T.self == ClinicalDate.self { return ClinicalDate(dayNumber: try r.integer(Int.self)) as! T }
        if let integer = T.self as? any FixedWidthInteger.Type { return try r.integer(integer) as! T }
        return try T(from: PositionalDecoder(reader: r))
    }

    struct KeyedWriter<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let writer: Writer
        var codingPath: [any CodingKey] { [] }
        mutating func encodeNil(forKey key: Key) throws { throw Unsupported(description: "a bare nil for \(key.stringValue)") }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try PositionalCoder.write(value, writer) }
        mutating func present<T: Encodable>(_ value: T?) throws {
            guard let value else { writer.bytes.append(0); return }
            writer.bytes.append(1)
            try PositionalCoder.write(value, writer)
        }
        // Every overload: the default implementations skip a nil, which a positional reader could not tell apart.
        mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { try present(value) }
        mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { try present(value) }
        mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { try present(value) }
        mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { try present(value) }
        mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { try present(value) }
        mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { try present(value) }
        mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { try present(value) }
        mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { try present(value) }
        mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { try present(value) }
        mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { try present(value) }
        mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { try present(value) }
        mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { try present(value) }
        mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { try present(value) }
        mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { try present(value) }
        mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws { try present(value) }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            KeyedEncodingContainer(KeyedWriter<NestedKey>(writer: writer))
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { UnkeyedWriter(writer: writer) }
        mutating func superEncoder() -> any Encoder { PositionalEncoder(writer: writer) }
        mutating func superEncoder(forKey key: Key) -> any Encoder { PositionalEncoder(writer: writer) }
    }

    /// Elements after a fixed 4-byte count, patched as each element is written.
    struct UnkeyedWriter: UnkeyedEncodingContainer {
        let writer: Writer
        let countAt: Int
        var count = 0
        var codingPath: [any CodingKey] { [] }
        init(writer: Writer) {
            self.writer = writer
            countAt = writer.bytes.count
            writer.bytes.append(contentsOf: [0, 0, 0, 0])
        }
        mutating func counted() {
            count += 1
            withUnsafeBytes(of: UInt32(count).littleEndian) { for (i, b) in $0.enumerated() { writer.bytes[countAt + i] = b } }
        }
        mutating func encodeNil() throws { throw Unsupported(description: "a nil element") }
        mutating func encode<T: Encodable>(_ value: T) throws { counted(); try PositionalCoder.write(value, writer) }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            counted()
            return KeyedEncodingContainer(KeyedWriter<NestedKey>(writer: writer))
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { counted(); return UnkeyedWriter(writer: writer) }
        mutating func superEncoder() -> any Encoder { counted(); return PositionalEncoder(writer: writer) }
    }

    struct SingleWriter: SingleValueEncodingContainer {
        let writer: Writer
        var codingPath: [any CodingKey] { [] }
        mutating func encodeNil() throws { throw Unsupported(description: "a bare nil") }
        mutating func encode<T: Encodable>(_ value: T) throws { try PositionalCoder.write(value, writer) }
    }

    // MARK: decoding

    struct PositionalDecoder: Decoder {
        let reader: Reader
        var codingPath: [any CodingKey] { [] }
        var userInfo: [CodingUserInfoKey: Any] { [:] }
        func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> { KeyedDecodingContainer(KeyedReader<Key>(reader: reader)) }
        func unkeyedContainer() throws -> any UnkeyedDecodingContainer { try UnkeyedReader(reader: reader) }
        func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleReader(reader: reader) }
    }

    struct KeyedReader<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let reader: Reader
        var codingPath: [any CodingKey] { [] }
        /// Unknown without names: a type that walks its keys (a dictionary keyed by strings) reads none and the
        /// decode fails on the bytes left over.
        var allKeys: [Key] { [] }
        func contains(_ key: Key) -> Bool { true }
        /// The presence byte of an optional field (the default `decodeIfPresent` asks this, then decodes).
        func decodeNil(forKey key: Key) throws -> Bool {
            switch try reader.byte() {
            case 0: return true
            case 1: return false
            case let b: throw Unsupported(description: "presence byte \(b) for \(key.stringValue)")
            }
        }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try PositionalCoder.read(type, reader) }
        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            KeyedDecodingContainer(KeyedReader<NestedKey>(reader: reader))
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { try UnkeyedReader(reader: reader) }
        func superDecoder() throws -> any Decoder { PositionalDecoder(reader: reader) }
        func superDecoder(forKey key: Key) throws -> any Decoder { PositionalDecoder(reader: reader) }
    }

    struct UnkeyedReader: UnkeyedDecodingContainer {
        let reader: Reader
        let count: Int?
        var currentIndex = 0
        var codingPath: [any CodingKey] { [] }
        var isAtEnd: Bool { currentIndex >= (count ?? 0) }
        init(reader: Reader) throws {
            self.reader = reader
            var n: UInt32 = 0
            for i in 0..<4 { n |= UInt32(try reader.byte()) << (8 * UInt32(i)) }
            count = Int(n)
        }
        mutating func next() throws {
            guard !isAtEnd else { throw Unsupported(description: "more elements read than written") }
            currentIndex += 1
        }
        mutating func decodeNil() throws -> Bool { false }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next(); return try PositionalCoder.read(type, reader) }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            try next()
            return KeyedDecodingContainer(KeyedReader<NestedKey>(reader: reader))
        }
        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next(); return try UnkeyedReader(reader: reader) }
        mutating func superDecoder() throws -> any Decoder { try next(); return PositionalDecoder(reader: reader) }
    }

    struct SingleReader: SingleValueDecodingContainer {
        let reader: Reader
        var codingPath: [any CodingKey] { [] }
        /// Never nil: a bare nil is refused when writing.
        func decodeNil() -> Bool { false }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try PositionalCoder.read(type, reader) }
    }
}

extension Dictionary: PositionalCoder.KeyedByName where Key: CodingKeyRepresentable {}
