/// Protocol day and SDTM study day of a calendar date, given the Day 0 date.
///
/// Source: spec/clinical.md §0.3 — protocol Day 0 = first CAR-T infusion; SDTM `--DY` has no day 0
/// (`date − RFSTDTC + 1` on/after the reference date, `date − RFSTDTC` before it). Both are derived,
/// never mixed (DESIGN.md §3).
public enum ClinicalDayCalculator: Calculator {
    public struct Input: Decodable, Sendable {
        /// Date of the first CAR-T infusion (Day 0, and SDTM RFSTDTC).
        public let day0Date: ClinicalDate
        /// Dates to place on the study time axis.
        public let dates: [ClinicalDate]
    }

    public struct Output: Encodable, Sendable, Equatable {
        public struct Row: Encodable, Sendable, Equatable {
            public let date: ClinicalDate
            public let protocolDay: Int
            public let sdtmStudyDay: Int
        }
        public let day0Date: ClinicalDate
        public let days: [Row]
    }

    public static let name = "study-day"
    public static let summary = "Protocol day (Day 0 = first infusion) and SDTM study day (no day 0) of dates"

    /// Protocol day: whole calendar days from Day 0 (negative before).
    public static func protocolDay(of date: ClinicalDate, day0: ClinicalDate) -> Int { day0.days(to: date) }

    /// SDTM study day: like the protocol day but with no day 0 (Day 0 → 1, Day −1 → −1).
    public static func sdtmStudyDay(of date: ClinicalDate, day0: ClinicalDate) -> Int {
        let d = day0.days(to: date)
        return d >= 0 ? d + 1 : d
    }

    public static func compute(_ input: Input) throws -> Output {
        Output(day0Date: input.day0Date, days: input.dates.map {
            .init(date: $0, protocolDay: protocolDay(of: $0, day0: input.day0Date),
                  sdtmStudyDay: sdtmStudyDay(of: $0, day0: input.day0Date))
        })
    }
}
