import Foundation

/// A systemic corticosteroid with its prednisone-equivalent conversion.
///
/// Source: spec/clinical.md §9.2 (standard pharmacology equivalence table, table version below).
public enum Corticosteroid: String, Codable, Sendable, CaseIterable {
    case prednisone, prednisolone, methylprednisolone, triamcinolone, dexamethasone, betamethasone, hydrocortisone, cortisone

    /// Version tag of the equivalence table (store it next to derived values).
    public static let tableVersion = "spec/clinical.md §9.2 (2026-11)"

    /// Dose in mg equivalent to prednisone 5 mg.
    public var mgEquivalentToPrednisone5mg: Double {
        switch self {
        case .prednisone, .prednisolone: return 5
        case .methylprednisolone, .triamcinolone: return 4
        case .dexamethasone: return 0.75
        case .betamethasone: return 0.6
        case .hydrocortisone: return 20
        case .cortisone: return 25
        }
    }

    /// Multiply mg of this drug by the factor to get prednisone-equivalent mg (5 / equivalent dose).
    public var prednisoneFactor: Double { 5 / mgEquivalentToPrednisone5mg }

    /// Prednisone-equivalent mg for `mg` of this drug.
    public func prednisoneEquivalentMg(_ mg: Double) -> Double { mg * prednisoneFactor }

    /// Looks a drug up by name, case-insensitively ("Dexamethasone", " prednisolone ").
    public init?(name: String) {
        let key = name.trimmingCharacters(in: .whitespaces).lowercased()
        guard let c = Corticosteroid(rawValue: key) else { return nil }
        self = c
    }

    /// Looks a drug up by name or throws `invalid_input` naming `field` and listing the known drugs.
    public static func named(_ name: String, field: String) throws -> Corticosteroid {
        guard let c = Corticosteroid(name: name) else {
            throw CalculatorError.invalid(field, "unknown corticosteroid \"\(name)\"; known: \(allCases.map(\.rawValue).joined(separator: ", ")) (spec/clinical.md §9.2)")
        }
        return c
    }
}
