import CartaCore
import CartaTrial
import Foundation
import Testing

/// The compact form kept outcome figures are stored in: every value comes back exactly (optionals present and
/// absent, nested arrays, integer-keyed dictionaries, extreme integers, signed zero and NaN bits, any Unicode),
/// and what it cannot write unambiguously fails instead of coming back different.
@Suite struct PositionalCoderTests {
    struct Pair: Codable, Equatable { var item: Int, code: Int }

    struct Inner: Codable, Equatable {
        var name: String
        var score: Double?
        var days: [Int]
    }

    struct Sample: Codable, Equatable {
        var id: String
        var count: Int
        var small: Int8
        var big: UInt64
        var flag: Bool
        var ratio: Double
        var date: ClinicalDate
        var optionalDate: ClinicalDate?
        var missing: Int?
        var present: String?
        var inners: [Inner]
        var nested: [[Int]]
        var pairs: [[Pair]]
        var empty: [String] = []
    }

    static let sample = Sample(
        id: "BCRITP-001 · Zürich 苏州 😀", count: Int.min, small: -128, big: UInt64(Int64.max), flag: true, ratio: -0.0,
        date: ClinicalDate(iso: "2026-05-15")!, optionalDate: nil, missing: nil, present: "",
        inners: [Inner(name: "a", score: nil, days: []), Inner(name: "b", score: 1e-300, days: [-5, 0, 183, Int.max])],
        nested: [[], [1], [2, 3]], pairs: [[Pair(item: 1, code: 4), Pair(item: 44, code: 0)], []])

    @Test func everyValueComesBackExactly() throws {
        let bytes = try PositionalCoder.encode(Self.sample)
        let back = try PositionalCoder.decode(Sample.self, from: bytes)
        #expect(back == Self.sample)
        #expect(back.ratio.sign == .minus && back.count == Int.min && back.inners[1].days.last == Int.max)
        var nan = Self.sample
        nan.ratio = Double(nan: 0x1234, signaling: false)
        #expect(try PositionalCoder.decode(Sample.self, from: PositionalCoder.encode(nan)).ratio.bitPattern == nan.ratio.bitPattern)
        // Smaller than the same value as JSON (no field names).
        #expect(bytes.count * 2 < (try JSONEncoder().encode(Self.sample)).count)
    }

    @Test func damagedOrForeignBytesFailRatherThanDecodeWrongly() throws {
        let bytes = try PositionalCoder.encode(Self.sample)
        #expect(throws: PositionalCoder.Unsupported.self) { try PositionalCoder.decode(Sample.self, from: Array(bytes.dropLast())) }
        #expect(throws: PositionalCoder.Unsupported.self) { try PositionalCoder.decode(Sample.self, from: bytes + [0]) }
        #expect(throws: (any Error).self) { try PositionalCoder.decode(Sample.self, from: [0xFF]) }
        // A corrupt length of 2⁶³ or more, and a varint carrying more than 64 bits, are refused, not trapped on.
        #expect(throws: PositionalCoder.Unsupported.self) { try PositionalCoder.decode(String.self, from: Array(repeating: 0xFF, count: 9) + [0x01]) }
        #expect(throws: PositionalCoder.Unsupported.self) { try PositionalCoder.decode(Int.self, from: Array(repeating: 0xFF, count: 9) + [0x02]) }
        #expect(throws: PositionalCoder.Unsupported.self) { try PositionalCoder.decode(Int.self, from: Array(repeating: 0xFF, count: 10) + [0x01]) }
        for extreme in [Int.min, Int.max, 0, -1] {
            #expect(try PositionalCoder.decode(Int.self, from: PositionalCoder.encode(extreme)) == extreme)
        }
        // A value written for another type does not pass as this one.
        #expect(throws: (any Error).self) { try PositionalCoder.decode(Sample.self, from: PositionalCoder.encode(Inner(name: "x", score: 2, days: [1]))) }
    }

    @Test func whatNeedsNamesOrBareNilsIsRefused() throws {
        // An array of optionals would need a bare nil: refused when writing.
        #expect(throws: PositionalCoder.Unsupported.self) { try PositionalCoder.encode([1, nil, 3] as [Int?]) }
        // A dictionary keyed by strings or integers is read back by its keys, which are not written: refused when writing.
        #expect(throws: PositionalCoder.Unsupported.self) { try PositionalCoder.encode(["completed": 3]) }
        #expect(throws: PositionalCoder.Unsupported.self) { try PositionalCoder.encode([[1: 4]]) }
    }
}
