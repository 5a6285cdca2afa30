import Foundation

/// Calculator `proportion`: x of n as a proportion and a percentage, with the exact
/// Clopper–Pearson confidence interval (and the Wilson score interval for comparison).
///
/// Source: spec/clinical.md §8 ("with n = 5, every proportion is a multiple of 20%; tests should
/// check rounding (e.g., 3/5 = 60.0%) and exact binomial CIs (Clopper–Pearson)").
public enum ProportionCalculator: Calculator {
    public static let name = "proportion"
    public static let summary = "Proportion x/n with exact Clopper–Pearson (and Wilson) confidence interval"

    /// Input: number of successes, total, optional two-sided confidence level (default 0.95).
    public struct Input: Decodable, Sendable {
        /// x, e.g. responders (whole number, 0 ≤ x ≤ total).
        public var successes: Int
        /// n, e.g. treated participants (≥ 1).
        public var total: Int
        /// Two-sided confidence level, default 0.95.
        public var confidenceLevel: Double?
        /// Creates an input.
        public init(successes: Int, total: Int, confidenceLevel: Double? = nil) {
            self.successes = successes; self.total = total; self.confidenceLevel = confidenceLevel
        }

        enum CodingKeys: String, CodingKey { case successes, total, confidenceLevel }

        /// Decodes counts as numbers and checks they are whole: Foundation on Linux reports a
        /// fractional value for an `Int` field as malformed JSON without naming the field.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            func count(_ key: CodingKeys) throws -> Int {
                let value = try c.decode(Double.self, forKey: key)
                guard value.rounded() == value, abs(value) < 1e15 else {
                    throw CalculatorError.invalid(key.rawValue, "must be a whole number of participants (got \(value))")
                }
                return Int(value)
            }
            successes = try count(.successes)
            total = try count(.total)
            confidenceLevel = try c.decodeIfPresent(Double.self, forKey: .confidenceLevel)
        }
    }

    /// A named interval in the output.
    public struct Interval: Encodable, Sendable, Equatable {
        /// Name of the interval method.
        public let method: String
        /// Lower confidence limit of the proportion.
        public let lowerConfidenceLimit: Double
        /// Upper confidence limit of the proportion.
        public let upperConfidenceLimit: Double
    }

    /// Output: the proportion, its percentage text to one decimal, and the exact and Wilson intervals.
    public struct Output: Encodable, Sendable, Equatable {
        /// x as given.
        public let successes: Int
        /// n as given.
        public let total: Int
        /// successes / total (unrounded).
        public let proportion: Double
        /// Percentage to one decimal, halves rounded up, e.g. "60.0%" (exact integer arithmetic).
        public let percentText: String
        /// Two-sided confidence level used (default filled in).
        public let confidenceLevel: Double
        /// The exact Clopper–Pearson interval (primary).
        public let exactInterval: Interval
        /// The Wilson score interval (secondary, for comparison).
        public let wilsonInterval: Interval
    }

    /// Validates the input (field-named errors) and computes the intervals.
    /// Source: Clopper & Pearson 1934; Wilson 1927.
    public static func compute(_ input: Input) throws -> Output {
        let level = input.confidenceLevel ?? 0.95
        let exact = try BinomialConfidence.clopperPearson(successes: input.successes, total: input.total, confidenceLevel: level)
        let wilson = try BinomialConfidence.wilson(successes: input.successes, total: input.total, confidenceLevel: level)
        return Output(
            successes: input.successes, total: input.total,
            proportion: Double(input.successes) / Double(input.total),
            percentText: percentText(successes: input.successes, total: input.total),
            confidenceLevel: level,
            exactInterval: Interval(method: "Clopper–Pearson exact", lowerConfidenceLimit: exact.lower, upperConfidenceLimit: exact.upper),
            wilsonInterval: Interval(method: "Wilson score", lowerConfidenceLimit: wilson.lower, upperConfidenceLimit: wilson.upper)
        )
    }

    /// 100·x/n to one decimal with halves rounded up, computed in integers (no binary rounding).
    ///
    /// Source: spec/clinical.md §8 ("3/5 = 60.0%").
    public static func percentText(successes x: Int, total n: Int) -> String {
        let tenths = (2000 * x + n) / (2 * n)   // round(1000·x/n) with halves up, for x, n ≥ 0
        return "\(tenths / 10).\(tenths % 10)%"
    }
}
