import Foundation
import Testing
@testable import CartaCore

/// spec/clinical.md §0.3: protocol day has a Day 0; SDTM study day has none.
struct ClinicalDayCalculatorTests {
    @Test(arguments: [
        ("2024-03-10", 0, 1),
        ("2024-03-11", 1, 2),
        ("2024-03-09", -1, -1),
        ("2024-03-05", -5, -5),
        ("2024-04-10", 31, 32),
    ])
    func days(date: String, protocolDay: Int, sdtmDay: Int) throws {
        let day0 = try #require(ClinicalDate(iso: "2024-03-10"))
        let d = try #require(ClinicalDate(iso: date))
        #expect(ClinicalDayCalculator.protocolDay(of: d, day0: day0) == protocolDay)
        #expect(ClinicalDayCalculator.sdtmStudyDay(of: d, day0: day0) == sdtmDay)
    }

    @Test func runsThroughTheRegistry() throws {
        let out = try CalculatorRegistry.run(name: "study-day", json: Data(#"{"day0Date":"2024-03-10","dates":["2024-03-09"]}"#.utf8))
        let obj = try #require(try JSONSerialization.jsonObject(with: out) as? [String: Any])
        let rows = try #require(obj["days"] as? [[String: Any]])
        #expect(rows.first?["protocolDay"] as? Int == -1)
        #expect(rows.first?["sdtmStudyDay"] as? Int == -1)
    }

    @Test func badDateNamesTheField() {
        #expect {
            _ = try CalculatorRegistry.run(name: "study-day", json: Data(#"{"day0Date":"2024-03-10","dates":["2024-3-9"]}"#.utf8))
        } throws: { ($0 as? CalculatorError)?.field == "dates[0]" }
    }

    @Test func missingFieldNamesTheField() {
        #expect {
            _ = try CalculatorRegistry.run(name: "study-day", json: Data(#"{"dates":[]}"#.utf8))
        } throws: { ($0 as? CalculatorError)?.field == "day0Date" && ($0 as? CalculatorError)?.code == "missing_field" }
    }

    @Test func unknownCalculatorIsAnError() {
        #expect {
            _ = try CalculatorRegistry.run(name: "nope", json: Data("{}".utf8))
        } throws: { ($0 as? CalculatorError)?.code == "unknown_calculator" }
    }
}

/// Linux Foundation reports a fractional number in an integer field as "not valid JSON" with no
/// path; `Calculator.run` must still tell the user which value is wrong.
struct CalculatorJSONTests {
    struct IntCalculator: Calculator {
        struct Input: Decodable, Sendable { let n: Int; let x: Double }
        struct Output: Encodable, Sendable { let n: Int }
        static let name = "int-test"
        static let summary = "test"
        static func compute(_ input: Input) throws -> Output { Output(n: input.n) }
    }

    @Test func fractionalNumberInIntegerFieldIsNamed() {
        #expect {
            _ = try IntCalculator.run(json: Data(#"{"n": 2.5, "x": 3}"#.utf8))
        } throws: { e in
            guard let e = e as? CalculatorError else { return false }
            return e.code == "invalid_input" && e.field == "n" && e.message.contains("n")
        }
    }

    @Test func malformedJSONIsReportedAsSuch() {
        #expect {
            _ = try IntCalculator.run(json: Data(#"{"n": 2,"#.utf8))
        } throws: { ($0 as? CalculatorError)?.code == "malformed_json" }
    }
}
