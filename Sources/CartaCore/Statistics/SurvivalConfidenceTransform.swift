import Foundation

/// How a pointwise confidence interval for a survival probability S is built from Greenwood's
/// variance: on log S, on log(−log S), or on S itself.
///
/// Source: R `survival` 3.5 `survfit` argument `conf.type` ("log" default in R; "log-log" is the
/// default of SAS PROC LIFETEST and Python lifelines; "plain"); reference/km/README.md.
public enum SurvivalConfidenceTransform: String, Sendable, Hashable, Codable, CaseIterable {
    /// S·exp(±z·se(log S)), upper limit clipped at 1.
    case log
    /// S^exp(±z·se(log S)/log S) (complementary log-log); [1, 1] when S = 1.
    case logLog = "log-log"
    /// S ± z·se(S), clipped to [0, 1].
    case plain

    /// The interval for survival `s` with `varianceOfLogSurvival` = Σ d/(n(n − d)) and normal
    /// critical value `z`; nil when S = 0 (R reports NA there: log S and se(S) are undefined).
    ///
    /// Source: R survival 3.5 `survfit_confint` (conf.type log, log-log, plain).
    public func interval(survival s: Double, varianceOfLogSurvival v: Double, z: Double) -> ConfidenceInterval? {
        guard s > 0, v.isFinite else { return nil }
        let seLog = v.squareRoot()
        switch self {
        case .log:
            return ConfidenceInterval(lower: s * Foundation.exp(-z * seLog), upper: min(1, s * Foundation.exp(z * seLog)))
        case .logLog:
            if s >= 1 { return ConfidenceInterval(lower: 1, upper: 1) }
            let logS = Foundation.log(s)
            let base = Foundation.log(-logS)
            let shift = z * seLog / logS   // negative: logS < 0
            return ConfidenceInterval(
                lower: Foundation.exp(-Foundation.exp(base - shift)),
                upper: Foundation.exp(-Foundation.exp(base + shift))
            )
        case .plain:
            let seS = s * seLog
            return ConfidenceInterval(lower: max(0, s - z * seS), upper: min(1, s + z * seS))
        }
    }
}
