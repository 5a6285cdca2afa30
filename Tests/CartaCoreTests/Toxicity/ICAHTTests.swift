import Foundation
import Testing
@testable import CartaCore

/// ICAHT grading: spec/clinical.md §5.3.
struct ICAHTTests {
    typealias T = ToxicityTestSupport

    /// Daily counts on Days 0–30: `low` days at `lowValue`, `veryLow` of them at `veryLowValue`, rest at `normal`.
    static func earlySeries(low: Int, lowValue: Double, veryLow: Int = 0, veryLowValue: Double = 0.05, normal: Double) -> [ICAHTDailyCount] {
        (0...30).map { d in
            ICAHTDailyCount(day: d, per10e9L: d < veryLow ? veryLowValue : d < low ? lowValue : normal)
        }
    }

    // spec/clinical.md §5.3 N-ICAHT test vectors.
    @Test func tenDaysAtOrBelow0_5IsEarlyGrade2() {
        let a = ICAHTGrader.neutrophil(Self.earlySeries(low: 10, lowValue: 0.4, normal: 2.0))
        #expect(a.early == .grade(2))
        #expect(a.earlyDaysBelow["anc<=0.5"] == 10)
    }

    @Test func sixteenDaysOfWhichSevenAtOrBelow0_1IsEarlyGrade4() {
        let a = ICAHTGrader.neutrophil(Self.earlySeries(low: 16, lowValue: 0.3, veryLow: 7, normal: 2.0))
        #expect(a.early == .grade(4))
        #expect(a.earlyDaysBelow["anc<=0.1"] == 7)
        #expect(a.earlyRule.hasPrefix("Early grade 4: 16 days with ANC ≤ 0.5 and 7 days with ANC ≤ 0.1"), "\(a.earlyRule)")
        let one = ICAHTGrader.neutrophil(Self.earlySeries(low: 1, lowValue: 0.3, veryLow: 1, normal: 2.0))
        #expect(one.earlyRule.hasPrefix("Early grade 1: 1 day with ANC ≤ 0.5 and 1 day with ANC ≤ 0.1"), "\(one.earlyRule)")
    }

    @Test func anc0_9OnDays45And52IsLateGrade2() throws {
        let out = try T.run(ICAHTCalculator.self, #"""
        {"day0Date": "2022-03-01", "ancCounts": [
          {"date": "2022-03-01", "value": 1.9, "unit": "10*9/L"},
          {"date": "2022-04-15", "value": 0.9, "unit": "10*9/L"},
          {"date": "2022-04-22", "value": 900, "unit": "/uL"}]}
        """#)
        let n = try #require(out["neutrophil"] as? [String: Any])
        #expect(n["lateGrade"] as? Int == 2)
        #expect(n["lateMeasuredDays"] as? Int == 2)
    }

    // Early N-ICAHT cells: G1 < 7, G2 7–13, G3 14–29, G4 ≥ 30 (exactly 30 → G4 per spec §5.3 [?]).
    @Test(arguments: [(0, 0), (1, 1), (6, 1), (7, 2), (13, 2), (14, 3), (29, 3), (30, 4), (31, 4)])
    func earlyNeutrophilCells(days: Int, grade: Int) {
        let a = ICAHTGrader.neutrophil(Self.earlySeries(low: days, lowValue: 0.5, normal: 0.51))
        #expect(a.early == .grade(grade))
    }

    @Test func sixDaysAtOrBelow0_1IsNotGrade4() {
        let a = ICAHTGrader.neutrophil(Self.earlySeries(low: 6, lowValue: 0.3, veryLow: 6, veryLowValue: 0.1, normal: 2.0))
        #expect(a.early == .grade(1))
    }

    // Late N-ICAHT needs ≥ 2 values at the threshold (spec §5.3).
    @Test(arguments: [([1.6, 2.0], 0), ([1.5, 1.5], 1), ([0.4, 0.9], 2), ([0.5, 0.45], 3), ([0.1, 0.05, 3.0], 4), ([0.05, 1.2], 1)])
    func lateNeutrophil(values: [Double], grade: Int) {
        let counts = values.enumerated().map { ICAHTDailyCount(day: 40 + 7 * $0.offset, per10e9L: $0.element) }
        #expect(ICAHTGrader.neutrophil(counts).late == .grade(grade))
    }

    @Test func lateWithOneValueIsNotEvaluable() {
        let a = ICAHTGrader.neutrophil([ICAHTDailyCount(day: 5, per10e9L: 2), ICAHTDailyCount(day: 45, per10e9L: 0.05)])
        #expect(a.late.value == nil)
        #expect(a.late.notEvaluableReason?.contains("≥ 2") == true)
        #expect(ICAHTGrader.neutrophil([ICAHTDailyCount(day: 45, per10e9L: 0.05)]).early.value == nil)
    }

    @Test func countsBeforeDay0AreIgnored() {
        let a = ICAHTGrader.neutrophil([ICAHTDailyCount(day: -3, per10e9L: 0.1), ICAHTDailyCount(day: 1, per10e9L: 3)])
        #expect(a.early == .grade(0))
        #expect(a.earlyMeasuredDays == 1)
    }

    // spec §5.3 T-ICAHT table (platelet extension; late PLT < 50 read as grade 2 [?]).
    @Test(arguments: [(0, 0, 0), (3, 0, 1), (6, 0, 1), (7, 0, 2), (7, 1, 3), (20, 13, 3), (20, 14, 4)])
    func earlyPlatelet(daysBelow50: Int, daysBelow20: Int, grade: Int) {
        let a = ICAHTGrader.platelet(Self.earlySeries(low: daysBelow50, lowValue: 49.9, veryLow: daysBelow20, veryLowValue: 19.9, normal: 50))
        #expect(a.early == .grade(grade))
    }

    @Test(arguments: [([150.0, 120.0], 0), ([99.0, 150.0], 1), ([49.0, 150.0], 2), ([19.0, 60.0], 3)])
    func latePlatelet(values: [Double], grade: Int) {
        let counts = values.enumerated().map { ICAHTDailyCount(day: 35 + $0.offset, per10e9L: $0.element) }
        #expect(ICAHTGrader.platelet(counts).late == .grade(grade))
    }

    @Test func latePlateletGrade4NeedsFourteenDaysBelow20AndIgnoresAfterDay100() {
        let fourteen = (31...44).map { ICAHTDailyCount(day: $0, per10e9L: 10) }
        #expect(ICAHTGrader.platelet(fourteen).late == .grade(4))
        let afterWindow = fourteen + (101...120).map { ICAHTDailyCount(day: $0, per10e9L: 5) }
        #expect(ICAHTGrader.platelet(afterWindow).lateMeasuredDays == 14)
    }

    // Malformed input → CalculatorError naming the field (dates out of order or duplicate).
    @Test(arguments: [
        (#"{"ancCounts": []}"#, "missing_field", "day0Date"),
        (#"{"day0Date": "2022-03-01"}"#, "missing_field", "ancCounts"),
        (#"{"day0Date": "2022-03-01", "ancCounts": [{"date": "2022-03-02", "value": 1, "unit": "10*9/L"}, {"date": "2022-03-03", "value": 1, "unit": "10*9/L"}, {"date": "2022-03-03", "value": 1, "unit": "10*9/L"}]}"#, "invalid_input", "ancCounts[2].date"),
        (#"{"day0Date": "2022-03-01", "ancCounts": [{"date": "2022-03-05", "value": 1, "unit": "10*9/L"}, {"date": "2022-03-04", "value": 1, "unit": "10*9/L"}]}"#, "invalid_input", "ancCounts[1].date"),
        (#"{"day0Date": "2022-03-01", "ancCounts": [{"date": "2022-3-5", "value": 1, "unit": "10*9/L"}]}"#, "invalid_input", "ancCounts[0].date"),
        (#"{"day0Date": "2022-03-01", "plateletCounts": [{"date": "2022-03-05", "value": 1, "unit": "g/L"}]}"#, "unknown_unit", "plateletCounts[0].unit"),
        (#"{"day0Date": "2022-03-01", "plateletCounts": [{"date": "2022-03-05", "value": -4, "unit": "10*9/L"}]}"#, "out_of_range", "plateletCounts[0].value"),
        (#"{"day0Date": "2022-03-01", "plateletCounts": [{"date": "2022-03-05", "unit": "10*9/L"}]}"#, "missing_field", "plateletCounts[0].value"),
    ])
    func malformed(json: String, code: String, field: String) throws {
        let e = try #require(T.failure(ICAHTCalculator.self, json))
        #expect(e.code == code)
        #expect(e.field == field)
        #expect(e.message.contains(field))
    }

}
