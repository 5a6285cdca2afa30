import Foundation
import Testing
@testable import CartaCore

/// The `km` and `proportion` calculators through `run(json:)`: results, field-named errors, and
/// the examples printed in docs/calculators/km.md and proportion.md.
@Suite struct StatisticsCalculatorTests {
    static func run<C: Calculator>(_ c: C.Type, _ json: String) throws -> [String: Any] {
        let data = try C.run(json: Data(json.utf8))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func error<C: Calculator>(_ c: C.Type, _ json: String) -> CalculatorError? {
        do { _ = try C.run(json: Data(json.utf8)); return nil } catch { return error as? CalculatorError }
    }

    static let referenceSubjects = KaplanMeierReferenceData.subjects
        .map { "{\"id\":\"\($0.id)\",\"time\":\($0.time),\"event\":\($0.event)}" }.joined(separator: ",")

    // Source: reference/km/README.md (R survfit log-log: median 16 [7, NA]; S(12) = 0.605647 [0.340890, 0.791634]).
    @Test func kmOnReferenceData() throws {
        let out = try Self.run(KaplanMeierCalculator.self, """
            {"subjects":[\(Self.referenceSubjects)],"timeUnit":"months","atRiskTimes":[0,12,30]}
            """)
        #expect(out["transform"] as? String == "log-log")
        #expect(out["confidenceLevel"] as? Double == 0.95)
        #expect(out["numberOfSubjects"] as? Int == 20 && out["numberOfEvents"] as? Int == 10 && out["numberCensored"] as? Int == 10)
        let table = try #require(out["table"] as? [[String: Any]])
        #expect(table.count == 15)
        let row12 = try #require(table.first { $0["time"] as? Double == 12 })
        #expect(row12["numberAtRisk"] as? Int == 10 && row12["numberOfEvents"] as? Int == 1 && row12["numberCensored"] as? Int == 1)
        #expect(abs((row12["lowerConfidenceLimit"] as? Double ?? 0) - 0.340889714157985) < 1e-10)
        let median = try #require(out["medianSurvival"] as? [String: Any])
        #expect(median["time"] as? Double == 16 && median["lowerConfidenceLimit"] as? Double == 7)
        #expect(median["upperConfidenceLimit"] is NSNull)
        let atRisk = try #require(out["atRisk"] as? [[String: Any]])
        #expect(atRisk.map { $0["numberAtRisk"] as? Int } == [20, 10, 0])
        #expect(atRisk[0]["survival"] as? Double == 1 && atRisk[2]["survival"] is NSNull)
    }

    @Test func kmRTransformDefaultCanBeOverridden() throws {
        let out = try Self.run(KaplanMeierCalculator.self, """
            {"subjects":[\(Self.referenceSubjects)],"timeUnit":"months","transform":"log"}
            """)
        let median = try #require(out["medianSurvival"] as? [String: Any])
        #expect(median["lowerConfidenceLimit"] as? Double == 9)   // expected_R_median.csv, log
    }

    // Source: issue 3 brief — malformed input → CalculatorError naming the field.
    @Test(arguments: [
        (#"{"subjects":[{"id":"A","time":3,"event":true},{"id":"B","time":-1,"event":false}],"timeUnit":"months"}"#, "subjects[1].time", "out_of_range"),
        (#"{"subjects":[{"id":"A","time":3,"event":true}]}"#, "timeUnit", "missing_field"),
        (#"{"subjects":[{"id":"A","time":3}],"timeUnit":"months"}"#, "subjects[0].event", "missing_field"),
        (#"{"subjects":[{"time":3,"event":true}],"timeUnit":"months"}"#, "subjects[0].id", "missing_field"),
        (#"{"subjects":[{"id":"A","time":"3","event":true}],"timeUnit":"months"}"#, "subjects[0].time", "invalid_input"),
        (#"{"subjects":[],"timeUnit":"months"}"#, "subjects", "invalid_input"),
        (#"{"subjects":[{"id":"A","time":3,"event":true},{"id":"A","time":4,"event":true}],"timeUnit":"months"}"#, "subjects[1].id", "invalid_input"),
        (#"{"subjects":[{"id":"A","time":3,"event":true}],"timeUnit":"fortnights"}"#, "timeUnit", "invalid_input"),
        (#"{"subjects":[{"id":"A","time":3,"event":true}],"timeUnit":"days","transform":"arcsine"}"#, "transform", "invalid_input"),
        (#"{"subjects":[{"id":"A","time":3,"event":true}],"timeUnit":"days","confidenceLevel":95}"#, "confidenceLevel", "out_of_range"),
        (#"{"subjects":[{"id":"A","time":3,"event":true}],"timeUnit":"days","atRiskTimes":[0,-6]}"#, "atRiskTimes[1]", "out_of_range"),
    ])
    func kmRejectsMalformedInput(json: String, field: String, code: String) throws {
        let error = try #require(Self.error(KaplanMeierCalculator.self, json))
        #expect(error.field == field)
        #expect(error.code == code)
        #expect(error.message.contains(field))
    }

    // Source: spec/clinical.md §8 ("3/5 = 60.0%", exact Clopper–Pearson) and the brief's n = 5 values.
    @Test func proportionThreeOfFive() throws {
        let out = try Self.run(ProportionCalculator.self, #"{"successes":3,"total":5}"#)
        #expect(out["proportion"] as? Double == 0.6 && out["percentText"] as? String == "60.0%")
        let exact = try #require(out["exactInterval"] as? [String: Any])
        #expect(abs((exact["lowerConfidenceLimit"] as? Double ?? 0) - 0.146633) < 5e-7)
        #expect(abs((exact["upperConfidenceLimit"] as? Double ?? 0) - 0.947255) < 5e-7)
        #expect(exact["method"] as? String == "Clopper–Pearson exact")
    }

    // Halves round up in exact integer arithmetic: 1/16 = 6.25% → 6.3%, 1/8 = 12.5%, 2/3 = 66.7%.
    @Test(arguments: [(3, 5, "60.0%"), (0, 5, "0.0%"), (5, 5, "100.0%"), (1, 16, "6.3%"), (1, 8, "12.5%"), (2, 3, "66.7%"), (1, 3, "33.3%")])
    func percentText(x: Int, n: Int, expected: String) {
        #expect(ProportionCalculator.percentText(successes: x, total: n) == expected)
    }

    @Test(arguments: [
        (#"{"successes":6,"total":5}"#, "successes", "out_of_range"),
        (#"{"successes":-1,"total":5}"#, "successes", "out_of_range"),
        (#"{"successes":0,"total":0}"#, "total", "out_of_range"),
        (#"{"successes":3}"#, "total", "missing_field"),
        (#"{"successes":2.5,"total":5}"#, "successes", "invalid_input"),
        (#"{"successes":3,"total":5,"confidenceLevel":0}"#, "confidenceLevel", "out_of_range"),
    ])
    func proportionRejectsMalformedInput(json: String, field: String, code: String) throws {
        let error = try #require(Self.error(ProportionCalculator.self, json))
        #expect(error.field == field && error.code == code, "\(error)")
    }
}
