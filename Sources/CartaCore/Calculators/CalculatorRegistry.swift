import Foundation

/// Every calculator Carta exposes, by name, for `carta compute NAME` and `POST /api/v1/compute/NAME`.
///
/// Source: issue "Clinical rules engine"; formats in docs/calculators.md.
public enum CalculatorRegistry {
    /// A type-erased calculator entry.
    public struct Entry: Sendable {
        public let name: String
        public let summary: String
        public let run: @Sendable (Data) throws -> Data
    }

    /// All calculators, in the order the documentation lists them.
    public static let all: [Entry] = [
        entry(ClinicalDayCalculator.self),
        entry(BSACalculator.self),
        entry(CrClCalculator.self),
        entry(LymphodepletionCalculator.self),
        entry(CARTDoseCalculator.self),
        entry(CTCAECalculator.self),
        entry(CRSCalculator.self),
        entry(ICANSCalculator.self),
        entry(ICAHTCalculator.self),
        entry(BleedingCalculator.self),
        entry(ResponseCalculator.self),
        entry(ConmedReductionCalculator.self),
        entry(KaplanMeierCalculator.self),
        entry(ProportionCalculator.self),
    ]

    /// Runs the calculator called `name` on `json`.
    /// - Throws: `CalculatorError` (`unknown_calculator`, or the calculator's own input errors).
    public static func run(name: String, json: Data) throws -> Data {
        guard let calculator = all.first(where: { $0.name == name }) else {
            throw CalculatorError(
                code: "unknown_calculator",
                message: "calculator: no calculator named \"\(name)\"; available: \(all.map(\.name).joined(separator: ", "))",
                field: "calculator")
        }
        return try calculator.run(json)
    }

    static func entry<C: Calculator>(_ c: C.Type) -> Entry {
        Entry(name: c.name, summary: c.summary, run: { try c.run(json: $0) })
    }
}
