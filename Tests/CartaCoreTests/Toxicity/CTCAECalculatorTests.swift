import Foundation
import Testing
@testable import CartaCore

/// Calculator `ctcae` through `run(json:)`: spec/clinical.md §4.2, §10.3.
struct CTCAECalculatorTests {
    typealias T = ToxicityTestSupport

    @Test func gradesInStandardUnitsAfterConversion() throws {
        // 74 900 /µL = 74.9 ×10^9/L → grade 2; 75 000 /µL = 75.0 → grade 1 (§4.2 boundary kept after conversion).
        let g2 = try T.run(CTCAECalculator.self, #"{"term": "plateletCountDecreased", "value": 74900, "unit": "/uL", "lowerLimitNormal": 125000}"#)
        #expect(g2["grade"] as? Int == 2)
        #expect(g2["standardUnit"] as? String == "10*9/L")
        let g1 = try T.run(CTCAECalculator.self, #"{"term": "plateletCountDecreased", "value": 75000, "unit": "/uL", "lowerLimitNormal": 125000}"#)
        #expect(g1["grade"] as? Int == 1)
        // Creatinine in mg/dL (× 88.4): 1.1 mg/dL baseline, 1.7 mg/dL > 1.5 × BL → grade 2.
        let cr = try T.run(CTCAECalculator.self, #"{"term": "Creatinine increased", "value": 1.7, "unit": "mg/dL", "upperLimitNormal": 1.2, "baseline": {"value": 1.1, "unit": "mg/dL"}}"#)
        #expect(cr["grade"] as? Int == 2)
        #expect(cr["baselineGrade"] as? Int == 0)
        #expect(cr["treatmentEmergentWorsening"] as? Bool == true)
    }

    @Test func notComputableIsNullNotZero() throws {
        let out = try T.run(CTCAECalculator.self, #"{"term": "plateletCountDecreased", "value": 100, "unit": "10*9/L"}"#)
        #expect(out["grade"] is NSNull)
        #expect((out["notComputableReason"] as? String)?.contains("lower limit of normal") == true)
    }

    // Malformed input → CalculatorError naming the field (rules file §6).
    @Test(arguments: [
        (#"{"value": 40, "unit": "10*9/L"}"#, "missing_field", "term"),
        (#"{"term": "plateletCountDecreased", "unit": "10*9/L"}"#, "missing_field", "value"),
        (#"{"term": "plateletCountDecreased", "value": 40}"#, "missing_field", "unit"),
        (#"{"term": "plateletsLow", "value": 40, "unit": "10*9/L"}"#, "invalid_input", "term"),
        (#"{"term": "plateletCountDecreased", "value": 40, "unit": "g/L"}"#, "unknown_unit", "unit"),
        (#"{"term": "plateletCountDecreased", "value": -1, "unit": "10*9/L"}"#, "out_of_range", "value"),
        (#"{"term": "plateletCountDecreased", "value": 40, "unit": "10*9/L", "lowerLimitNormal": 0}"#, "out_of_range", "lowerLimitNormal"),
        (#"{"term": "plateletCountDecreased", "value": 40, "unit": "10*9/L", "lowerLimitNormal": 400, "upperLimitNormal": 350}"#, "invalid_input", "upperLimitNormal"),
        (#"{"term": "creatinineIncreased", "value": 90, "unit": "umol/L", "baseline": {"value": 60, "unit": "mmol/L"}}"#, "unknown_unit", "baseline.unit"),
        (#"{"term": "creatinineIncreased", "value": 90, "unit": "umol/L", "baseline": {"unit": "umol/L"}}"#, "missing_field", "baseline.value"),
        (#"{"term": "creatinineIncreased", "value": 90, "unit": "umol/L", "onAnticoagulant": true}"#, "invalid_input", "onAnticoagulant"),
        (#"{"term": "plateletCountDecreased", "value": "forty", "unit": "10*9/L"}"#, "invalid_input", "value"),
    ])
    func malformed(json: String, code: String, field: String) throws {
        let e = try #require(T.failure(CTCAECalculator.self, json))
        #expect(e.code == code)
        #expect(e.field == field)
        #expect(e.message.contains(field))
    }

}
