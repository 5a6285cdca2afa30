import Testing
@testable import CartaCore

/// spec/clinical.md §0.3: intervals are whole calendar-day differences.
struct ClinicalDateTests {
    @Test(arguments: [
        ("2024-02-28", "2024-03-01", 2),   // leap year
        ("2023-02-28", "2023-03-01", 1),
        ("2022-01-01", "2022-12-31", 364),
        ("1999-12-31", "2000-01-01", 1),
    ])
    func dayDifference(a: String, b: String, days: Int) throws {
        let d1 = try #require(ClinicalDate(iso: a)), d2 = try #require(ClinicalDate(iso: b))
        #expect(d1.days(to: d2) == days)
        #expect(d1.adding(days: days) == d2)
    }

    @Test(arguments: ["2024-02-30", "2024-13-01", "24-01-01", "2024-1-01", "2024-01-01T00:00"])
    func rejectsMalformed(s: String) { #expect(ClinicalDate(iso: s) == nil) }

    @Test func roundTripsThroughDayNumber() {
        // Every 997th day from 0001-01-01 to 9999-12-31, the range ClinicalDate accepts.
        for n in stride(from: -719_162, through: 2_932_896, by: 997) {
            let d = ClinicalDate(dayNumber: n)
            #expect(d.dayNumber == n)
            #expect(ClinicalDate(iso: d.description) == d)
        }
    }

    @Test func ageCountsCompletedYears() throws {
        let dob = try #require(ClinicalDate(iso: "2000-06-15"))
        #expect(dob.age(on: try #require(ClinicalDate(iso: "2018-06-14"))) == 17)
        #expect(dob.age(on: try #require(ClinicalDate(iso: "2018-06-15"))) == 18)
    }
}
