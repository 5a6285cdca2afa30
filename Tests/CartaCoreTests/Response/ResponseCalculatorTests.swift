import Foundation
import Testing
@testable import CartaCore

/// The `response` calculator: validation naming fields, and the documented example.
struct ResponseCalculatorTests {
    static func error(_ json: String) -> CalculatorError? {
        do { _ = try ResponseCalculator.run(json: Data(json.utf8)); return nil } catch { return error as? CalculatorError }
    }

    static let counts = #""plateletCounts":[{"date":"2024-01-01","plateletsPer10e9L":10},{"date":"2024-01-20","plateletsPer10e9L":50}]"#

    // Input rules: lists sorted by date, one count per date and tube type, known drugs, valid settings.
    @Test(arguments: [
        (#"{"day0Date":"2024-01-10","plateletCounts":[{"date":"2024-01-20","plateletsPer10e9L":10},{"date":"2024-01-01","plateletsPer10e9L":50}]}"#,
         "plateletCounts[1].date", "invalid_input"),
        (#"{"day0Date":"2024-01-10","plateletCounts":[{"date":"2024-01-20","plateletsPer10e9L":10},{"date":"2024-01-20","plateletsPer10e9L":50}]}"#,
         "plateletCounts[1].anticoagulant", "invalid_input"),
        (#"{"day0Date":"2024-01-10","plateletCounts":[{"date":"2024-01-20","plateletsPer10e9L":-1}]}"#,
         "plateletCounts[0].plateletsPer10e9L", "out_of_range"),
        (#"{"day0Date":"2024-01-10",\#(counts),"transfusions":[{"date":"2024-01-20","product":"platelets"},{"date":"2024-01-12","product":"platelets"}]}"#,
         "transfusions[1].date", "invalid_input"),
        (#"{"day0Date":"2024-01-10",\#(counts),"rescueTherapies":[{"startDate":"2024-01-20","lastDoseDate":"2024-01-19","drug":"IVIG","reason":"itp"}]}"#,
         "rescueTherapies[0].lastDoseDate", "invalid_input"),
        (#"{"day0Date":"2024-01-10",\#(counts),"bleedingAssessments":[{"date":"2024-01-20","present":true},{"date":"2024-01-02","present":false}]}"#,
         "bleedingAssessments[1].date", "invalid_input"),
        (#"{"day0Date":"2024-01-10",\#(counts),"corticosteroidCourses":[{"startDate":"2024-01-20","endDate":"2024-01-25","drug":"cortisol-x","doseMgPerDay":10,"reason":"itp"}]}"#,
         "corticosteroidCourses[0].drug", "invalid_input"),
        (#"{"day0Date":"2024-01-10",\#(counts),"rescueTherapies":[{"startDate":"2024-01-20","drug":"IVIG","reason":"because"}]}"#,
         "rescueTherapies[0].reason", "invalid_input"),
        (#"{"day0Date":"2024-01-10",\#(counts),"settings":{"confirmationIntervalDays":0}}"#,
         "settings.confirmationIntervalDays", "out_of_range"),
        (#"{"day0Date":"2024-01-10",\#(counts),"deathDate":"2024-01-15"}"#, "plateletCounts[1].date", "invalid_input"),
        (#"{"day0Date":"2024-01-10",\#(counts),"lymphodepletionStartDate":"2024-01-10"}"#, "lymphodepletionStartDate", "invalid_input"),
        (#"{"plateletCounts":[]}"#, "day0Date", "missing_field"),
    ])
    func rejectsBadInput(json: String, field: String, code: String) throws {
        let e = try #require(Self.error(json))
        #expect(e.field == field && e.code == code, "\(e)")
        #expect(e.message.hasPrefix(field))
    }

    // §9.2 via the calculator: a dexamethasone course is converted to prednisone equivalents before the dependence rule.
    @Test func steroidCourseConverted() throws {
        let json = #"{"day0Date":"2024-01-10",\#(Self.counts),"corticosteroidCourses":[{"startDate":"2024-01-11","endDate":"2024-02-20","drug":"Dexamethasone","doseMgPerDay":1,"reason":"itp"}]}"#
        let s = try ResponseCalculator.subject(from: CalculatorJSON.decoder().decode(ResponseCalculator.Input.self, from: Data(json.utf8)))
        #expect(abs(s.steroidCourses[0].prednisoneEquivalentMgPerDay - 6.6667) < 1e-3)
        let out = try ResponseCalculator.compute(CalculatorJSON.decoder().decode(ResponseCalculator.Input.self, from: Data(json.utf8)))
        #expect(out.corticosteroidDependence.chinese2020)   // 41 days above 5 mg/day
        #expect(!out.corticosteroidDependence.iwg)          // < 60 days
    }
}
