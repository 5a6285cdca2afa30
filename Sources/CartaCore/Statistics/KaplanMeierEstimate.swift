import Foundation

/// The Kaplan–Meier product-limit estimate of a survival curve with Greenwood's variance, one
/// entry per distinct observed time (event or censoring), as R `survfit` reports it.
///
/// Times are compared exactly; at a tied time events are counted before censorings (a subject
/// censored at t was at risk at t). Built in O(n) after an O(n) radix sort of the times.
/// Source: Kaplan EL, Meier P. J Am Stat Assoc 1958;53:457–481; Greenwood M. Rep Public Health
/// Med Subj 1926;33; R `survival` 3.5 `survfit`/`summary.survfit`; reference/km/README.md.
public struct KaplanMeierEstimate: Sendable, Hashable {
    /// Distinct observed times, ascending.
    public let times: [Double]
    /// Subjects at risk just before each time (follow-up ≥ that time).
    public let numberAtRisk: [Int]
    /// Events at each time.
    public let numberOfEvents: [Int]
    /// Censorings at each time.
    public let numberCensored: [Int]
    /// S(t) just after each time: Π (1 − d/n) over times ≤ t.
    public let survival: [Double]
    /// Greenwood's variance of log S: Σ d/(n(n − d)) over times ≤ t (+∞ once S reaches 0).
    public let varianceOfLogSurvival: [Double]
    /// Number of subjects.
    public let subjectCount: Int

    /// Estimates the curve from parallel arrays of times and event flags.
    ///
    /// Throws `CalculatorError` (field `times[i]`) for a negative or non-finite time and
    /// (field `events`) when the arrays differ in length or are empty.
    /// Source: Kaplan & Meier 1958; Greenwood 1926.
    public init(times t: [Double], events e: [Bool]) throws {
        guard t.count == e.count else {
            throw CalculatorError.invalid("events", "has \(e.count) entries but times has \(t.count)")
        }
        guard !t.isEmpty else { throw CalculatorError.invalid("times", "at least one subject is required") }
        var eventKeys = [UInt64](), censorKeys = [UInt64]()
        eventKeys.reserveCapacity(t.count); censorKeys.reserveCapacity(t.count)
        for i in t.indices {
            let time = t[i]
            guard time.isFinite, time >= 0 else {
                throw CalculatorError.outOfRange("times[\(i)]", "must be a finite time ≥ 0 (got \(time))")
            }
            // + 0.0 turns −0.0 into +0.0 so the bit pattern orders like the value.
            let key = (time + 0.0).bitPattern
            if e[i] { eventKeys.append(key) } else { censorKeys.append(key) }
        }
        RadixSort.sort(&eventKeys)
        RadixSort.sort(&censorKeys)
        self.init(sortedEventKeys: eventKeys, sortedCensorKeys: censorKeys)
    }

    /// Estimates the curve from observations.
    ///
    /// Source: Kaplan & Meier 1958.
    public init(observations: [SurvivalObservation]) throws {
        try self.init(times: observations.map(\.time), events: observations.map(\.event))
    }

    /// One merge pass over the sorted event and censoring times.
    private init(sortedEventKeys ev: [UInt64], sortedCensorKeys ce: [UInt64]) {
        let n = ev.count + ce.count
        var times = [Double](), atRisk = [Int](), events = [Int](), censored = [Int]()
        var surv = [Double](), varLog = [Double]()
        // Distinct times ≤ n; reserving avoids regrowth on continuous data.
        times.reserveCapacity(n); atRisk.reserveCapacity(n); events.reserveCapacity(n)
        censored.reserveCapacity(n); surv.reserveCapacity(n); varLog.reserveCapacity(n)
        var i = 0, j = 0, risk = n
        var s = 1.0, v = 0.0
        ev.withUnsafeBufferPointer { e in
            ce.withUnsafeBufferPointer { c in
                while i < e.count || j < c.count {
                    let key = i < e.count ? (j < c.count ? min(e[i], c[j]) : e[i]) : c[j]
                    var d = 0, m = 0
                    while i < e.count && e[i] == key { d &+= 1; i &+= 1 }
                    while j < c.count && c[j] == key { m &+= 1; j &+= 1 }
                    if d > 0 {
                        s *= 1 - Double(d) / Double(risk)
                        v += d == risk ? .infinity : Double(d) / (Double(risk) * Double(risk - d))
                    }
                    times.append(Double(bitPattern: key)); atRisk.append(risk)
                    events.append(d); censored.append(m); surv.append(s); varLog.append(v)
                    risk &-= d &+ m
                }
            }
        }
        self.times = times; self.numberAtRisk = atRisk; self.numberOfEvents = events
        self.numberCensored = censored; self.survival = surv; self.varianceOfLogSurvival = varLog
        self.subjectCount = n
    }

    /// Greenwood's standard error of S at row `i`: S·√(Σ d/(n(n − d))); nil once S = 0.
    ///
    /// Source: R `summary.survfit` `std.err` (standard error of S, not of log S).
    public func standardError(row i: Int) -> Double? {
        let v = varianceOfLogSurvival[i]
        guard v.isFinite, survival[i] > 0 else { return nil }
        return survival[i] * v.squareRoot()
    }

    /// Pointwise confidence interval at row `i`; nil once S = 0.
    ///
    /// Source: R survival `survfit` `conf.type`, `conf.int`.
    public func confidenceInterval(row i: Int, transform: SurvivalConfidenceTransform, z: Double) -> ConfidenceInterval? {
        transform.interval(survival: survival[i], varianceOfLogSurvival: varianceOfLogSurvival[i], z: z)
    }
}
