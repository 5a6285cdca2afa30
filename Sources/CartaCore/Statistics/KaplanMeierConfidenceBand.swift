/// Pointwise confidence limits of a Kaplan–Meier curve at every row, computed once and shared by
/// the survival table and the median's confidence interval.
///
/// Source: R survival `survfit(conf.type =, conf.int =)` (`lower`, `upper` components).
public struct KaplanMeierConfidenceBand: Sendable, Hashable {
    /// Transform used.
    public let transform: SurvivalConfidenceTransform
    /// Two-sided confidence level used.
    public let confidenceLevel: Double
    /// Lower limit per row of the estimate; nil once S = 0.
    public let lower: [Double?]
    /// Upper limit per row of the estimate; nil once S = 0.
    public let upper: [Double?]
}

extension KaplanMeierEstimate {
    /// The confidence band of this curve for `transform` at `confidenceLevel` (0 < level < 1).
    ///
    /// Source: R survival `survfit_confint`.
    public func confidenceBand(transform: SurvivalConfidenceTransform, confidenceLevel: Double) throws -> KaplanMeierConfidenceBand {
        try BinomialConfidence.validate(confidenceLevel: confidenceLevel)
        let z = NormalDistribution.twoSidedCriticalValue(confidenceLevel: confidenceLevel)
        var lower = [Double?](), upper = [Double?]()
        lower.reserveCapacity(times.count); upper.reserveCapacity(times.count)
        for i in times.indices {
            let ci = confidenceInterval(row: i, transform: transform, z: z)
            lower.append(ci?.lower); upper.append(ci?.upper)
        }
        return KaplanMeierConfidenceBand(transform: transform, confidenceLevel: confidenceLevel, lower: lower, upper: upper)
    }

    /// The median (or another quantile) of survival time with its interval read off a band
    /// already computed for this estimate (see `quantile(survivalProbability:transform:confidenceLevel:)`).
    ///
    /// Source: R survival 3.5 `quantile.survfit`.
    public func quantile(survivalProbability p: Double = 0.5, band: KaplanMeierConfidenceBand) -> SurvivalTimeQuantile {
        precondition(band.lower.count == times.count, "band belongs to another estimate")
        precondition(p > 0 && p < 1, "survivalProbability must be strictly between 0 and 1")
        return SurvivalTimeQuantile(
            survivalProbability: p,
            time: crossing(p) { survival[$0] },
            lowerConfidenceLimit: crossing(p) { band.lower[$0] },
            upperConfidenceLimit: crossing(p) { band.upper[$0] }
        )
    }
}
