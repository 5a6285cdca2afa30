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
