/// The early and late ICAHT grades of one cell line, with the day counts behind them.
///
/// Source: spec/clinical.md §5.3.
public struct ICAHTAssessment: Hashable, Sendable {
    public let early: ICAHTGrade
    public let late: ICAHTGrade
    /// Measured days in Days 0–30 and in the late window.
    public let earlyMeasuredDays: Int
    public let lateMeasuredDays: Int
    /// Cumulative measured days below each threshold in Days 0–30, keyed like `anc<=0.5`, `plt<50`.
    public let earlyDaysBelow: [String: Int]
    /// Measured days below each threshold in the late window.
    public let lateDaysBelow: [String: Int]
    public let earlyRule: String
    public let lateRule: String
}

/// Grades immune effector cell-associated hematotoxicity (neutrophil N-ICAHT, platelet T-ICAHT).
///
/// Days below a threshold are **measured** days (a day counts only when a value that day is below
/// the threshold); unmeasured days are not imputed. Counts before Day 0 are ignored.
/// Source: spec/clinical.md §5.3 (Rejeski et al., Blood 2023;142:865).
public enum ICAHTGrader {
    /// Early window: Days 0–30 inclusive.
    public static let earlyWindow = 0...30

    /// Neutrophil ICAHT: early from cumulative days with ANC ≤ 0.5 / ≤ 0.1; late (Day > 30) from
    /// ≥ 2 values at or below 1.5 / 1.0 / 0.5 / 0.1 ×10^9/L.
    ///
    /// Source: spec/clinical.md §5.3 N-ICAHT table; exactly 30 days ≤ 0.5 resolves to grade 4 [?].
    public static func neutrophil(_ counts: [ICAHTDailyCount]) -> ICAHTAssessment {
        let early = unique(counts.filter { earlyWindow.contains($0.day) })
        let late = unique(counts.filter { $0.day > 30 })
        let d05 = early.filter { $0.per10e9L <= 0.5 }.count
        let d01 = early.filter { $0.per10e9L <= 0.1 }.count
        let earlyGrade: ICAHTGrade
        let earlyRule: String
        if early.isEmpty {
            earlyGrade = .notEvaluable(reason: "no ANC value in Days 0–30"); earlyRule = "not evaluable: no ANC value in Days 0–30"
        } else {
            let g = d05 >= 30 || d01 >= 7 ? 4 : d05 >= 14 ? 3 : d05 >= 7 ? 2 : d05 >= 1 ? 1 : 0
            earlyGrade = .grade(g)
            earlyRule = "Early grade \(g): \(d05.counted("day")) with ANC ≤ 0.5 and \(d01.counted("day")) with ANC ≤ 0.1 ×10^9/L in Days 0–30 (G1 < 7, G2 7–13, G3 14–29, G4 ≥ 30 days ≤ 0.5 or ≥ 7 days ≤ 0.1)"
        }
        let thresholds: [(Int, Double)] = [(4, 0.1), (3, 0.5), (2, 1.0), (1, 1.5)]
        let lateGrade: ICAHTGrade
        let lateRule: String
        var lateBelow: [String: Int] = [:]
        for (_, t) in thresholds { lateBelow["anc<=\(t)"] = late.filter { $0.per10e9L <= t }.count }
        if late.count < 2 {
            let r = "late ICAHT needs ≥ 2 ANC values after Day 30 (have \(late.count))"
            lateGrade = .notEvaluable(reason: r); lateRule = "not evaluable: " + r
        } else {
            let hit = thresholds.first { lateBelow["anc<=\($0.1)"]! >= 2 }
            let g = hit?.0 ?? 0
            lateGrade = .grade(g)
            lateRule = hit.map { "Late grade \(g): \(lateBelow["anc<=\($0.1)"]!) values with ANC ≤ \($0.1) ×10^9/L after Day 30 (≥ 2 required)" }
                ?? "Late grade 0: fewer than 2 values with ANC ≤ 1.5 ×10^9/L after Day 30"
        }
        return ICAHTAssessment(
            early: earlyGrade, late: lateGrade, earlyMeasuredDays: early.count, lateMeasuredDays: late.count,
            earlyDaysBelow: ["anc<=0.5": d05, "anc<=0.1": d01], lateDaysBelow: lateBelow,
            earlyRule: earlyRule, lateRule: lateRule)
    }

    /// Platelet ICAHT: early from days with PLT < 50 / < 20; late (Days 31–100) from days with
    /// PLT < 100 / < 50 / < 20; late needs ≥ 2 values in the window. Descriptive only in ITP.
    ///
    /// Source: spec/clinical.md §5.3 T-ICAHT table (late PLT < 50 "≥ 1" read as grade 2 [?]).
    public static func platelet(_ counts: [ICAHTDailyCount]) -> ICAHTAssessment {
        let early = unique(counts.filter { earlyWindow.contains($0.day) })
        let late = unique(counts.filter { (31...100).contains($0.day) })
        let e50 = early.filter { $0.per10e9L < 50 }.count
        let e20 = early.filter { $0.per10e9L < 20 }.count
        let earlyGrade: ICAHTGrade
        let earlyRule: String
        if early.isEmpty {
            earlyGrade = .notEvaluable(reason: "no platelet value in Days 0–30"); earlyRule = "not evaluable: no platelet value in Days 0–30"
        } else {
            let g = e20 >= 14 ? 4 : e20 >= 1 ? 3 : e50 >= 7 ? 2 : e50 >= 1 ? 1 : 0
            earlyGrade = .grade(g)
            earlyRule = "Early grade \(g): \(e50.counted("day")) with PLT < 50 and \(e20.counted("day")) with PLT < 20 ×10^9/L in Days 0–30 (G1 1–6 d < 50, G2 ≥ 7 d < 50, G3 1–13 d < 20, G4 ≥ 14 d < 20)"
        }
        let l100 = late.filter { $0.per10e9L < 100 }.count
        let l50 = late.filter { $0.per10e9L < 50 }.count
        let l20 = late.filter { $0.per10e9L < 20 }.count
        let lateGrade: ICAHTGrade
        let lateRule: String
        if late.count < 2 {
            let r = "late ICAHT needs ≥ 2 platelet values in Days 31–100 (have \(late.count))"
            lateGrade = .notEvaluable(reason: r); lateRule = "not evaluable: " + r
        } else {
            let g = l20 >= 14 ? 4 : l20 >= 1 ? 3 : l50 >= 1 ? 2 : l100 >= 1 ? 1 : 0
            lateGrade = .grade(g)
            lateRule = "Late grade \(g): \(l100.counted("day")) < 100, \(l50) < 50, \(l20) < 20 ×10^9/L in Days 31–100 (G1 ≥ 1 d < 100, G2 ≥ 1 d < 50, G3 1–13 d < 20, G4 ≥ 14 d < 20)"
        }
        return ICAHTAssessment(
            early: earlyGrade, late: lateGrade, earlyMeasuredDays: early.count, lateMeasuredDays: late.count,
            earlyDaysBelow: ["plt<50": e50, "plt<20": e20], lateDaysBelow: ["plt<100": l100, "plt<50": l50, "plt<20": l20],
            earlyRule: earlyRule, lateRule: lateRule)
    }

    // One value per day: if a day appears twice the worst (lowest) value is kept.
    static func unique(_ counts: [ICAHTDailyCount]) -> [ICAHTDailyCount] {
        var byDay: [Int: Double] = [:]
        for c in counts { byDay[c.day] = min(byDay[c.day] ?? .infinity, c.per10e9L) }
        return byDay.keys.sorted().map { ICAHTDailyCount(day: $0, per10e9L: byDay[$0]!) }
    }
}
