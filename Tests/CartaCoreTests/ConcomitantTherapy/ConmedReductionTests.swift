import Foundation
import Testing
@testable import CartaCore

/// spec/clinical.md §9.3: dose intensity, reduction and discontinuation relative to baseline.
struct ConmedReductionTests {
    static func run(_ json: String) throws -> ConmedReductionCalculator.Output {
        try ConmedReductionCalculator.compute(CalculatorJSON.decoder().decode(ConmedReductionCalculator.Input.self, from: Data(json.utf8)))
    }

    // §9.3 item 2: ≥ 25% fall sustained ≥ 28 days is a reduction; 50% is reported too.
    @Test func prednisoneTaperedByHalf() throws {
        // Baseline 20 mg/day for the 28 days before LD (Day −5 = 2024-01-05), 10 mg/day from Day 10, stopped from Day 100.
        let out = try Self.run(#"""
        {"day0Date":"2024-01-10","drugs":[{"drug":"prednisone","doseUnit":"mg/day","doses":[
          {"startDate":"2023-11-01","endDate":"2024-01-19","dose":20},
          {"startDate":"2024-01-20","endDate":"2024-04-18","dose":10}]}]}
        """#)
        let d = try #require(out.drugs.first)
        #expect(d.baselineIntensity == 20)
        #expect(d.reduction == ClinicalDate(iso: "2024-01-20") && d.secondaryReduction == ClinicalDate(iso: "2024-01-20"))
        #expect(d.discontinuation == ClinicalDate(iso: "2024-04-19"))   // Day 100, sustained
        #expect(d.percentChangeMonth3 == -50)                          // Day 91 at 10 mg
        #expect(d.percentChangeMonth6 == -100)
        #expect(d.daysOff == 84 && d.daysReduced == 90)                 // Days 100–183 off; Days 10–99 at 10 mg
        #expect(out.anyReduction && out.anySecondaryReduction && out.anyDiscontinuation && !out.treatmentFailure)
        #expect(out.drugsAtBaseline == 1 && out.drugsAtMonth6 == 0 && out.changeInDrugCount == -1)
    }

    // §9.3 item 1: TPO-RA intensity as a fraction of the labelled maximum; a 20% cut is not a reduction.
    @Test func eltrombopagFraction() throws {
        let out = try Self.run(#"""
        {"day0Date":"2024-01-10","drugs":[{"drug":"Eltrombopag","doseUnit":"mg/day","doses":[
          {"startDate":"2023-11-01","endDate":"2024-01-09","dose":75},
          {"startDate":"2024-01-10","endDate":"2024-08-01","dose":60}]}]}
        """#)
        let d = try #require(out.drugs.first)
        #expect(d.drugClass == .thrombopoietinReceptorAgonist && d.baselineIntensity == 1)
        #expect(d.reduction == nil && d.discontinuation == nil)
        #expect(abs((d.percentChangeMonth6 ?? 0) + 20) < 1e-9)
    }

    // §9.3 items 2 and 5: a short stop is not a discontinuation unless it runs to Month 6; new drugs flag failure.
    @Test func shortStopAndNewDrug() throws {
        let out = try Self.run(#"""
        {"day0Date":"2024-01-10","drugs":[
          {"drug":"danazol","doseUnit":"mg/day","doses":[{"startDate":"2023-11-01","endDate":"2024-06-20","dose":400}]},
          {"drug":"romiplostim","doseUnit":"ug/kg/week","doses":[{"startDate":"2024-03-01","endDate":"2024-04-01","dose":5}]}]}
        """#)
        // danazol stops after 2024-06-20 (Day 162): 21 days off to Day 183 → discontinuation "to Month 6".
        #expect(out.drugs[0].discontinuation == ClinicalDate(iso: "2024-06-21"))
        #expect(out.drugs[1].newDrug && out.treatmentFailure)
        #expect(out.drugs[1].intensityUnit.contains("10 ug/kg/week"))
    }

    // Input rules: unknown drug, wrong unit, overlapping intervals, duplicate drug.
    @Test(arguments: [
        (#"{"day0Date":"2024-01-10","drugs":[{"drug":"aspirin","doseUnit":"mg/day","doses":[]}]}"#, "drugs[0].drug", "invalid_input"),
        (#"{"day0Date":"2024-01-10","drugs":[{"drug":"romiplostim","doseUnit":"mg/day","doses":[]}]}"#, "drugs[0].doseUnit", "unknown_unit"),
        (#"{"day0Date":"2024-01-10","drugs":[{"drug":"prednisone","doseUnit":"mg/day","doses":[{"startDate":"2024-01-01","endDate":"2024-01-05","dose":5},{"startDate":"2024-01-05","endDate":"2024-01-09","dose":5}]}]}"#, "drugs[0].doses[1].startDate", "invalid_input"),
        (#"{"day0Date":"2024-01-10","drugs":[{"drug":"prednisone","doseUnit":"mg/day","doses":[{"startDate":"2024-01-01","endDate":"2024-01-05","dose":-5}]}]}"#, "drugs[0].doses[0].dose", "out_of_range"),
        (#"{"day0Date":"2024-01-10","drugs":[{"drug":"prednisone","doseUnit":"mg/day","doses":[]},{"drug":"Prednisone","doseUnit":"mg/day","doses":[]}]}"#, "drugs[1].drug", "invalid_input"),
        (#"{"day0Date":"2024-01-10","drugs":[],"settings":{"reductionFraction":0}}"#, "settings.reductionFraction", "out_of_range"),
    ])
    func rejectsBadInput(json: String, field: String, code: String) throws {
        do {
            _ = try ConmedReductionCalculator.run(json: Data(json.utf8))
            Issue.record("expected an error for \(field)")
        } catch let e as CalculatorError {
            #expect(e.field == field && e.code == code, "\(e)")
        }
    }
}
