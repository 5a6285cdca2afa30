/// Calculator `response`: the ITP response derivation for one participant, every dated record explained.
///
/// Validates date order and values (errors name the JSON field), converts dates to day numbers once,
/// runs `ResponseEngine`, and renders dates and explanations.
/// Source: spec/clinical.md §1.5–§1.7; docs/calculators/response.md.
public enum ResponseCalculator: Calculator {
    /// Calculator name for `carta compute` and the API path.
    public static let name = "response"
    /// One-line description.
    public static let summary = "ITP response (IWG primary, protocol-literal CR, Chinese 2020 relapse), TTR, DoR, flags"

    /// Computes the response derivation.
    public static func compute(_ input: Input) throws -> Output {
        let subject = try subject(from: input)
        let result = ResponseEngine.evaluate(subject, settings: input.settings)
        return render(result, input: input, subject: subject)
    }

    /// Validates `input` and converts it to a sorted `ResponseSubject`.
    public static func subject(from input: Input) throws -> ResponseSubject {
        try input.settings.validate()
        let d0 = input.day0Date
        if let ld = input.lymphodepletionStartDate, ld >= d0 {
            throw CalculatorError.invalid("lymphodepletionStartDate", "must be before day0Date \(d0)")
        }
        if let c = input.dataCutoffDate, c < d0 { throw CalculatorError.invalid("dataCutoffDate", "must not be before day0Date \(d0)") }
        if let x = input.deathDate, x < d0 { throw CalculatorError.invalid("deathDate", "must not be before day0Date \(d0)") }
        try sorted(input.plateletCounts.map(\.date), "plateletCounts", "date")
        var counts: [PlateletCount] = []
        counts.reserveCapacity(input.plateletCounts.count)
        for (i, c) in input.plateletCounts.enumerated() {
            guard c.plateletsPer10e9L.isFinite, c.plateletsPer10e9L >= 0 else {
                throw CalculatorError.outOfRange("plateletCounts[\(i)].plateletsPer10e9L", "must be a finite count ≥ 0 (10^9/L), got \(c.plateletsPer10e9L)")
            }
            if let death = input.deathDate, c.date > death {
                throw CalculatorError.invalid("plateletCounts[\(i)].date", "\(c.date) is after deathDate \(death)")
            }
            let a = c.anticoagulant ?? .unknown
            var k = i - 1
            while k >= 0 && input.plateletCounts[k].date == c.date {
                if (input.plateletCounts[k].anticoagulant ?? .unknown) == a {
                    throw CalculatorError.invalid("plateletCounts[\(i)].anticoagulant",
                        "a second count on \(c.date) with the same anticoagulant (\(a.rawValue)) as plateletCounts[\(k)] is ambiguous; keep one or record the tube type")
                }
                k -= 1
            }
            counts.append(PlateletCount(dayNumber: c.date.dayNumber, plateletsPer10e9L: c.plateletsPer10e9L, anticoagulant: a))
        }
        try sorted(input.transfusions.map(\.date), "transfusions", "date")
        try sorted(input.rescueTherapies.map(\.startDate), "rescueTherapies", "startDate")
        for (i, r) in input.rescueTherapies.enumerated() {
            if let l = r.lastDoseDate, l < r.startDate {
                throw CalculatorError.invalid("rescueTherapies[\(i)].lastDoseDate", "\(l) is before startDate \(r.startDate)")
            }
        }
        try sorted(input.bleedingAssessments.map(\.date), "bleedingAssessments", "date")
        try sorted(input.corticosteroidCourses.map(\.startDate), "corticosteroidCourses", "startDate")
        var courses: [SteroidCourse] = []
        for (i, c) in input.corticosteroidCourses.enumerated() {
            let drug = try Corticosteroid.named(c.drug, field: "corticosteroidCourses[\(i)].drug")
            if c.endDate < c.startDate {
                throw CalculatorError.invalid("corticosteroidCourses[\(i)].endDate", "\(c.endDate) is before startDate \(c.startDate)")
            }
            guard c.doseMgPerDay.isFinite, c.doseMgPerDay >= 0 else {
                throw CalculatorError.outOfRange("corticosteroidCourses[\(i)].doseMgPerDay", "must be a finite dose ≥ 0 mg/day")
            }
            courses.append(SteroidCourse(startDayNumber: c.startDate.dayNumber, endDayNumber: c.endDate.dayNumber,
                                         prednisoneEquivalentMgPerDay: drug.prednisoneEquivalentMg(c.doseMgPerDay), reason: c.reason))
        }
        return ResponseSubject(
            day0DayNumber: d0.dayNumber, lymphodepletionStartDayNumber: input.lymphodepletionStartDate?.dayNumber,
            counts: counts,
            transfusions: input.transfusions.map { Transfusion(dayNumber: $0.date.dayNumber, product: $0.product) },
            rescues: input.rescueTherapies.map {
                RescueTherapy(startDayNumber: $0.startDate.dayNumber, lastDoseDayNumber: $0.lastDoseDate?.dayNumber, drug: $0.drug, reason: $0.reason)
            },
            bleeding: input.bleedingAssessments.map { BleedingRecord(dayNumber: $0.date.dayNumber, present: $0.present, grade: $0.grade) },
            steroidCourses: courses, deathDayNumber: input.deathDate?.dayNumber, cutoffDayNumber: input.dataCutoffDate?.dayNumber)
    }

    /// Throws naming `list[i].key` at the first date earlier than its predecessor.
    static func sorted(_ dates: [ClinicalDate], _ list: String, _ key: String) throws {
        for i in dates.indices.dropFirst() where dates[i] < dates[i - 1] {
            throw CalculatorError.invalid("\(list)[\(i)].\(key)",
                "\(dates[i]) is earlier than \(list)[\(i - 1)].\(key) \(dates[i - 1]); \(list) must be sorted by \(key)")
        }
    }
}
