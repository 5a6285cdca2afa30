/// A constant daily dose intensity over protocol days `startDay…endDay` (inclusive).
///
/// Source: spec/clinical.md §9.3 item 1.
public struct DoseInterval: Sendable, Equatable {
    public var startDay: Int, endDay: Int
    /// Dose intensity per day (class unit, see `ITPDrug.intensityUnit`).
    public var intensity: Double

    /// Creates an interval.
    public init(startDay: Int, endDay: Int, intensity: Double) {
        self.startDay = startDay; self.endDay = endDay; self.intensity = intensity
    }
}

/// Reduction and discontinuation of one concomitant drug relative to its baseline regimen.
///
/// Source: spec/clinical.md §9.3 items 2, 3 and 5.
public struct DrugReductionResult: Sendable, Equatable {
    /// Mean daily intensity over the baseline window (uncovered days count as 0).
    public var baselineIntensity: Double
    /// First day of a sustained fall by ≥ the primary / secondary fraction, if any.
    public var reductionStartDay: Int?, secondaryReductionStartDay: Int?
    /// First day of a sustained (or to Month 6) stop, if any.
    public var discontinuationStartDay: Int?
    /// Days 0…end with intensity 0, and with 0 < intensity ≤ (1 − fraction) × baseline.
    public var daysOff: Int, daysReduced: Int
    /// Percent change of the day's intensity from baseline at Month 3 and Month 6 (nil if unobserved or no baseline).
    public var percentChangeMonth3: Double?, percentChangeMonth6: Double?
    /// Intensity above baseline on some day after Day 0 (treatment-failure flag).
    public var increased: Bool
    /// Not taken at baseline but started after Day 0 (treatment-failure flag).
    public var newDrug: Bool
    /// Taken on the Month-6 day (nil when follow-up ends earlier).
    public var takenAtMonth6: Bool?
}

/// Computes `DrugReductionResult` from dose intervals in protocol days.
///
/// Source: spec/clinical.md §9.3 (baseline = last 4 weeks before LD; ≥ 25% fall sustained ≥ 4 weeks, ≥ 50%
/// also reported; discontinuation = dose 0 sustained ≥ 4 weeks or to Month 6).
public enum DoseReduction {
    /// Evaluates one drug. `ldDay` = protocol day of the first LD dose; `lastDay` = last observed protocol day.
    public static func evaluate(_ doses: [DoseInterval], ldDay: Int, lastDay: Int, settings: ConmedSettings) -> DrugReductionResult {
        let first = ldDay - settings.baselineWindowDays
        let last = max(lastDay, 0)
        var daily = [Double](repeating: 0, count: last - first + 1)
        for d in doses {
            let a = max(d.startDay, first), b = min(d.endDay, last)
            if a <= b { for x in a...b { daily[x - first] += d.intensity } }
        }
        func at(_ day: Int) -> Double { daily[day - first] }
        let baseline = (first..<ldDay).reduce(0.0) { $0 + at($1) } / Double(settings.baselineWindowDays)
        let end = min(lastDay, settings.month6Day)
        func sustained(_ pred: (Double) -> Bool, toMonth6: Bool) -> Int? {
            guard baseline > 0, end >= 0 else { return nil }
            var runStart: Int? = nil
            for day in 0...end {
                if pred(at(day)) {
                    if runStart == nil { runStart = day }
                    if day - runStart! + 1 >= settings.sustainedDays { return runStart }
                } else { runStart = nil }
            }
            if toMonth6, let r = runStart, end == settings.month6Day { return r }
            return nil
        }
        let eps = 1e-9
        let lim1 = (1 - settings.reductionFraction) * baseline + eps
        let lim2 = (1 - settings.secondaryReductionFraction) * baseline + eps
        var off = 0, reduced = 0, increased = false, anyPost = false
        if end >= 0 {
            for day in 0...end {
                let v = at(day)
                if v == 0 { off += 1 } else { anyPost = true; if v <= lim1 { reduced += 1 } }
                if v > baseline + eps { increased = true }
            }
        }
        func change(_ day: Int) -> Double? {
            guard baseline > 0, day <= lastDay else { return nil }
            return (at(day) - baseline) / baseline * 100
        }
        return DrugReductionResult(
            baselineIntensity: baseline,
            reductionStartDay: sustained({ $0 <= lim1 }, toMonth6: false),
            secondaryReductionStartDay: sustained({ $0 <= lim2 }, toMonth6: false),
            discontinuationStartDay: sustained({ $0 == 0 }, toMonth6: true),
            daysOff: off, daysReduced: reduced,
            percentChangeMonth3: change(settings.month3Day), percentChangeMonth6: change(settings.month6Day),
            increased: increased, newDrug: baseline == 0 && anyPost,
            takenAtMonth6: lastDay >= settings.month6Day ? at(settings.month6Day) > 0 : nil)
    }
}
