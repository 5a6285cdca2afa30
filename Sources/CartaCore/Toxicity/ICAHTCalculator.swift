/// Calculator `icaht`: early and late neutrophil (and platelet) ICAHT grades from dated counts.
///
/// Source: spec/clinical.md §5.3; docs/calculators/icaht.md.
public enum ICAHTCalculator: Calculator {
    /// Name used by `carta compute` and `/api/v1/compute/`.
    public static let name = "icaht"
    /// One-line description for help and the OpenAPI document.
    public static let summary = "EHA/EBMT ICAHT grades (early Days 0–30, late after Day 30) from dated ANC and platelet counts"

    /// One dated count with its unit, e.g. `{"date": "2022-03-05", "value": 0.4, "unit": "10*9/L"}`.
    ///
    /// Source: spec/clinical.md §5.3.
    public struct DatedCount: Codable, Sendable, Equatable {
        public let date: ClinicalDate
        public let value: Double
        public let unit: String
    }

    /// Input: Day 0 (first CAR-T infusion) and dated counts in strictly increasing date order.
    ///
    /// Source: spec/clinical.md §5.3.
    public struct Input: Codable, Sendable {
        public let day0Date: ClinicalDate
        public let ancCounts: [DatedCount]?
        public let plateletCounts: [DatedCount]?
    }

    /// Grades of one cell line.
    ///
    /// Source: spec/clinical.md §5.3.
    public struct LineResult: Codable, Sendable, Equatable {
        public let earlyGrade: Int?
        public let earlyNotEvaluableReason: String?
        public let earlyMeasuredDays: Int
        public let earlyDaysBelowThreshold: [String: Int]
        public let earlyRule: String
        public let lateGrade: Int?
        public let lateNotEvaluableReason: String?
        public let lateMeasuredDays: Int
        public let lateDaysBelowThreshold: [String: Int]
        public let lateRule: String
        public let note: String?
    }

    /// Output: neutrophil and/or platelet results (present when their counts were given).
    ///
    /// Source: spec/clinical.md §5.3.
    public struct Output: Codable, Sendable, Equatable {
        public let day0Date: ClinicalDate
        public let neutrophil: LineResult?
        public let platelet: LineResult?
    }

    /// Validates the series (order, duplicates, units) and grades each line.
    ///
    /// Source: spec/clinical.md §5.3.
    public static func compute(_ input: Input) throws -> Output {
        guard input.ancCounts != nil || input.plateletCounts != nil else {
            throw CalculatorError(code: "missing_field", message: "ancCounts: give ancCounts and/or plateletCounts", field: "ancCounts")
        }
        let anc = try input.ancCounts.map { try days($0, field: "ancCounts", analyte: .anc, day0: input.day0Date) }
        let plt = try input.plateletCounts.map { try days($0, field: "plateletCounts", analyte: .platelets, day0: input.day0Date) }
        return Output(
            day0Date: input.day0Date,
            neutrophil: anc.map { result(ICAHTGrader.neutrophil($0), note: nil) },
            platelet: plt.map { result(ICAHTGrader.platelet($0), note: "In ITP thrombocytopenia is the disease itself: report T-ICAHT descriptively, never as a response input (spec/clinical.md §5.3).") })
    }

    static func days(_ series: [DatedCount], field: String, analyte: Analyte, day0: ClinicalDate) throws -> [ICAHTDailyCount] {
        var out: [ICAHTDailyCount] = []
        for (i, c) in series.enumerated() {
            if i > 0 {
                let prev = series[i - 1].date
                if c.date == prev {
                    throw CalculatorError.invalid("\(field)[\(i)].date", "duplicate date \(c.date) (also \(field)[\(i - 1)].date); give one value per day")
                }
                if c.date < prev {
                    throw CalculatorError.invalid("\(field)[\(i)].date", "out of order: \(c.date) is before \(field)[\(i - 1)].date \(prev); list counts by increasing date")
                }
            }
            guard c.value.isFinite, c.value >= 0 else {
                throw CalculatorError.outOfRange("\(field)[\(i)].value", "must be a finite number ≥ 0")
            }
            let v = try UnitConversion.toStandard(c.value, unit: c.unit, analyte: analyte, field: "\(field)[\(i)].unit")
            out.append(ICAHTDailyCount(day: day0.days(to: c.date), per10e9L: v))
        }
        return out
    }

    static func result(_ a: ICAHTAssessment, note: String?) -> LineResult {
        LineResult(
            earlyGrade: a.early.value, earlyNotEvaluableReason: a.early.notEvaluableReason,
            earlyMeasuredDays: a.earlyMeasuredDays, earlyDaysBelowThreshold: a.earlyDaysBelow, earlyRule: a.earlyRule,
            lateGrade: a.late.value, lateNotEvaluableReason: a.late.notEvaluableReason,
            lateMeasuredDays: a.lateMeasuredDays, lateDaysBelowThreshold: a.lateDaysBelow, lateRule: a.lateRule,
            note: note)
    }
}
