import Foundation

/// Confidence intervals for a binomial proportion x / n: exact Clopper–Pearson and Wilson score.
///
/// Source: spec/clinical.md §8 ("exact binomial CIs (Clopper–Pearson)"); Clopper CJ, Pearson ES.
/// Biometrika 1934;26:404–413; Wilson EB. J Am Stat Assoc 1927;22:209–212.
public enum BinomialConfidence {
    /// The exact Clopper–Pearson interval: lower = B⁻¹(α/2; x, n − x + 1) (0 when x = 0),
    /// upper = B⁻¹(1 − α/2; x + 1, n − x) (1 when x = n), α = 1 − confidenceLevel.
    ///
    /// Source: Clopper & Pearson 1934; beta-quantile form as in R `binom.test` and
    /// `scipy.stats.beta.ppf`.
    public static func clopperPearson(
        successes x: Int, total n: Int, confidenceLevel: Double = 0.95
    ) throws -> ConfidenceInterval {
        try validate(successes: x, total: n, confidenceLevel: confidenceLevel)
        let alpha = 1 - confidenceLevel
        let lower = x == 0 ? 0 : IncompleteBeta.inverse(p: alpha / 2, a: Double(x), b: Double(n - x + 1))
        let upper = x == n ? 1 : IncompleteBeta.inverse(p: 1 - alpha / 2, a: Double(x + 1), b: Double(n - x))
        return ConfidenceInterval(lower: lower, upper: upper)
    }

    /// The Wilson score interval (no continuity correction).
    ///
    /// Source: Wilson 1927; Agresti A, Coull BA. Am Stat 1998;52:119–126, eq. 2.
    public static func wilson(
        successes x: Int, total n: Int, confidenceLevel: Double = 0.95
    ) throws -> ConfidenceInterval {
        try validate(successes: x, total: n, confidenceLevel: confidenceLevel)
        let z = NormalDistribution.twoSidedCriticalValue(confidenceLevel: confidenceLevel)
        let nn = Double(n), p = Double(x) / nn, z2 = z * z
        let denominator = 1 + z2 / nn
        let center = (p + z2 / (2 * nn)) / denominator
        let half = z / denominator * (p * (1 - p) / nn + z2 / (4 * nn * nn)).squareRoot()
        return ConfidenceInterval(lower: max(0, center - half), upper: min(1, center + half))
    }

    /// Checks 0 ≤ x ≤ n, n ≥ 1 and 0 < confidenceLevel < 1, naming the offending field.
    ///
    /// Source: issue 3 brief (malformed input → CalculatorError naming the field).
    static func validate(successes x: Int, total n: Int, confidenceLevel: Double) throws {
        guard n >= 1 else { throw CalculatorError.outOfRange("total", "must be at least 1 (got \(n))") }
        guard x >= 0 else { throw CalculatorError.outOfRange("successes", "must not be negative (got \(x))") }
        guard x <= n else {
            throw CalculatorError.outOfRange("successes", "must not exceed total (\(x) > \(n))")
        }
        try validate(confidenceLevel: confidenceLevel)
    }

    /// Checks 0 < level < 1 for the field `confidenceLevel`.
    ///
    /// Source: a two-sided level must leave a positive tail on each side.
    static func validate(confidenceLevel level: Double, field: String = "confidenceLevel") throws {
        guard level.isFinite, level > 0, level < 1 else {
            throw CalculatorError.outOfRange(field, "must be strictly between 0 and 1, e.g. 0.95 (got \(level))")
        }
    }
}
