import Foundation

/// The time by which the survival curve (and its confidence limits) first falls to a given
/// probability — for p = 0.5, the median survival time with its confidence interval.
///
/// `nil` means "not reached" within follow-up. Source: R survival 3.5 `quantile.survfit`;
/// Brookmeyer R, Crowley J. Biometrics 1982;38:29–41; reference/km/README.md.
public struct SurvivalTimeQuantile: Sendable, Hashable {
    /// The survival probability read off (0.5 for the median).
    public let survivalProbability: Double
    /// First time S(t) ≤ p; nil when not reached.
    public let time: Double?
    /// First time the lower confidence curve is ≤ p; nil when not reached.
    public let lowerConfidenceLimit: Double?
    /// First time the upper confidence curve is ≤ p; nil when not reached.
    public let upperConfidenceLimit: Double?
}

/// The curve's values at a requested time: subjects at risk, S(t) and its interval.
///
/// Source: R survival `summary.survfit(fit, times = …)` (n.risk = follow-up ≥ t; S is the value
/// of the step function at t).
public struct KaplanMeierTimePoint: Sendable, Hashable {
    /// The requested time.
    public let time: Double
    /// Subjects still under observation at `time` (follow-up ≥ time).
    public let numberAtRisk: Int
    /// S(time); nil when `time` is after the last observed time (the curve is not defined there).
    public let survival: Double?
    /// Greenwood standard error of S(time); nil with `survival` or once S = 0.
    public let standardError: Double?
    /// Pointwise confidence interval of S(time); nil with `survival` or once S = 0.
    public let confidenceInterval: ConfidenceInterval?
}

extension KaplanMeierEstimate {
    /// Tolerance for "the curve equals p exactly" (R's default `sqrt(.Machine$double.eps)`).
    static let flatTolerance = Double.ulpOfOne.squareRoot()

    /// The median (or another quantile) of survival time with its confidence interval, read off the
    /// S curve and the lower/upper confidence curves of `transform`.
    ///
    /// Each is the first time the curve is ≤ p; where a curve is flat at exactly p (within
    /// 1.5e-8) it is the midpoint between the start of that flat and the next drop (or the last
    /// observed time when the curve ends on the flat), R's rule. Points with no confidence limit
    /// (S = 0) are skipped, as R drops NA. Source: R survival 3.5 `quantile.survfit` (`findq`).
    public func quantile(
        survivalProbability p: Double = 0.5, transform: SurvivalConfidenceTransform, confidenceLevel: Double
    ) throws -> SurvivalTimeQuantile {
        try BinomialConfidence.validate(confidenceLevel: confidenceLevel)
        guard p > 0, p < 1 else {
            throw CalculatorError.outOfRange("survivalProbability", "must be strictly between 0 and 1 (got \(p))")
        }
        let z = NormalDistribution.twoSidedCriticalValue(confidenceLevel: confidenceLevel)
        // Curves are evaluated lazily: each scan stops at its crossing.
        return SurvivalTimeQuantile(
            survivalProbability: p,
            time: crossing(p) { survival[$0] },
            lowerConfidenceLimit: crossing(p) { confidenceInterval(row: $0, transform: transform, z: z)?.lower },
            upperConfidenceLimit: crossing(p) { confidenceInterval(row: $0, transform: transform, z: z)?.upper }
        )
    }

    /// First time a curve (value 1 at time 0; `value(i)` at row i, nil = undefined and skipped)
    /// is ≤ p, with R's midpoint rule for a flat at p.
    func crossing(_ p: Double, _ value: (Int) -> Double?) -> Double? {
        let tol = Self.flatTolerance
        let rows = times.indices
        // −1 stands for the implicit starting point (time 0, value 1).
        let start: Int? = 1 <= p + tol ? -1 : rows.first { value($0).map { $0 <= p + tol } ?? false }
        guard let i1 = start else { return nil }
        let t1 = i1 < 0 ? 0 : times[i1]
        let v1 = i1 < 0 ? 1 : value(i1)!
        guard abs(v1 - p) < tol else { return t1 }
        if let i2 = rows[(i1 + 1)...].first(where: { value($0).map { $0 <= p - tol } ?? false }) {
            return (t1 + times[i2]) / 2
        }
        // The curve ends on the flat at p: midpoint with the last observed time (R's `lastpt`).
        if let last = rows.last, let v = value(last), abs(v - p) < tol { return (t1 + times[last]) / 2 }
        return nil
    }

    /// Subjects with follow-up ≥ `t` (0 after the last observed time).
    ///
    /// Source: R `summary.survfit(times = t)` `n.risk`.
    public func numberAtRisk(at t: Double) -> Int {
        let k = firstIndex(notBefore: t)
        return k < times.count ? numberAtRisk[k] : 0
    }

    /// The curve at time `t`: at-risk count, S(t), its standard error and interval.
    ///
    /// Before the first observed time S = 1 with interval [1, 1]; after the last observed time S
    /// is nil. Source: R `summary.survfit(times = t)`.
    public func timePoint(at t: Double, transform: SurvivalConfidenceTransform, z: Double) -> KaplanMeierTimePoint {
        let atRisk = numberAtRisk(at: t)
        guard let last = times.last, t <= last else {
            return KaplanMeierTimePoint(time: t, numberAtRisk: atRisk, survival: nil, standardError: nil, confidenceInterval: nil)
        }
        // Last row with time ≤ t.
        let k = firstIndex(notBefore: t)
        let row = k < times.count && times[k] == t ? k : k - 1
        if row < 0 {
            return KaplanMeierTimePoint(time: t, numberAtRisk: atRisk, survival: 1, standardError: 0,
                                        confidenceInterval: ConfidenceInterval(lower: 1, upper: 1))
        }
        return KaplanMeierTimePoint(
            time: t, numberAtRisk: atRisk, survival: survival[row], standardError: standardError(row: row),
            confidenceInterval: confidenceInterval(row: row, transform: transform, z: z)
        )
    }

    /// Index of the first row with time ≥ t (binary search; `times.count` if none).
    private func firstIndex(notBefore t: Double) -> Int {
        var lo = 0, hi = times.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if times[mid] < t { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
