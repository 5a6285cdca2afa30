import Foundation
import Testing
@testable import CartaCore

/// ASTCT 2019 CRS grading: spec/clinical.md §5.1.
struct CRSTests {
    typealias T = ToxicityTestSupport

    // spec/clinical.md §5.1 CRS test vectors.
    @Test(arguments: [
        ("38.5 °C, normal BP, room air",
         #"{"temperature": {"value": 38.5, "unit": "Cel"}, "hypotension": false, "oxygen": {"device": "roomAir"}}"#, 1),
        ("38.9 °C, hypotension responsive to fluids, 2 L/min nasal cannula",
         #"{"temperature": {"value": 38.9, "unit": "Cel"}, "hypotension": true, "oxygen": {"device": "nasalCannula", "flowLPerMin": 2}}"#, 2),
        ("38.2 °C, room air, 8 L/min high-flow nasal cannula",
         #"{"temperature": {"value": 38.2, "unit": "Cel"}, "hypotension": false, "oxygen": {"device": "highFlowNasalCannula", "flowLPerMin": 8}}"#, 3),
        ("Afebrile after tocilizumab, norepinephrine alone, 4 L/min nasal cannula",
         #"{"temperature": {"value": 37.1, "unit": "Cel"}, "feverMaskingTreatmentGiven": true, "crsOngoing": true, "hypotension": true, "vasopressors": ["norepinephrine"], "oxygen": {"device": "nasalCannula", "flowLPerMin": 4}}"#, 3),
        ("Norepinephrine + vasopressin",
         #"{"temperature": {"value": 38.6, "unit": "Cel"}, "hypotension": true, "vasopressors": ["norepinephrine", "vasopressin"], "oxygen": {"device": "roomAir"}}"#, 3),
        ("Norepinephrine + phenylephrine",
         #"{"temperature": {"value": 38.6, "unit": "Cel"}, "hypotension": true, "vasopressors": ["norepinephrine", "phenylephrine"], "oxygen": {"device": "roomAir"}}"#, 4),
        ("Fever + BiPAP",
         #"{"temperature": {"value": 39.0, "unit": "Cel"}, "hypotension": false, "oxygen": {"device": "bipap"}}"#, 4),
        ("37.6 °C, no prior CRS treatment, on 2 L/min O2 for pneumonia",
         #"{"temperature": {"value": 37.6, "unit": "Cel"}, "feverMaskingTreatmentGiven": false, "hypotension": false, "oxygen": {"device": "nasalCannula", "flowLPerMin": 2}}"#, 0),
    ])
    func specVectors(caseName: String, json: String, grade: Int) throws {
        let out = try T.run(CRSCalculator.self, json)
        #expect(out["grade"] as? Int == grade, "\(caseName)")
        #expect(out["crs"] as? Bool == (grade > 0))
    }

    @Test func vasopressinIsNotASecondPressorButCountsAsOne() {
        let alone = CRSGrader.grade(CRSSigns(temperatureCel: 38.5, feverMaskingTreatmentGiven: false, crsOngoing: false,
                                             hypotension: true, vasopressors: [.vasopressin], oxygen: OxygenSupport(device: .roomAir)))
        #expect(alone.grade == 3)
        #expect(alone.vasopressorsCountedTowardMultiple == 0)
        let three = CRSGrader.grade(CRSSigns(temperatureCel: 38.5, feverMaskingTreatmentGiven: false, crsOngoing: false,
                                             hypotension: true, vasopressors: [.norepinephrine, .vasopressin, .epinephrine], oxygen: OxygenSupport(device: .roomAir)))
        #expect(three.grade == 4)
        #expect(three.vasopressorsCountedTowardMultiple == 2)
    }

    @Test func gradeIsTheMoreSevereAndNamesIt() {
        // spec §5.1 rule 2: one pressor + low-flow O2 = grade 3, decided by hypotension.
        let a = CRSGrader.grade(CRSSigns(temperatureCel: 38.4, feverMaskingTreatmentGiven: false, crsOngoing: false, hypotension: true,
                                         vasopressors: [.norepinephrine], oxygen: OxygenSupport(device: .nasalCannula, flowLPerMin: 3)))
        #expect(a.grade == 3 && a.hypotensionGrade == 3 && a.hypoxiaGrade == 2)
        #expect(a.decidedBy == ["hypotension"])
    }

    @Test func fahrenheitAndNoradrenalineAreAccepted() throws {
        // 100.4 °F is exactly the 38.0 °C threshold (spec §10.3).
        let out = try T.run(CRSCalculator.self, #"{"temperature": {"value": 100.4, "unit": "[degF]"}, "hypotension": true, "vasopressors": ["Noradrenaline", "norepinephrine"], "oxygen": {"device": "roomAir"}}"#)
        #expect(out["feverPresent"] as? Bool == true)
        #expect(out["grade"] as? Int == 3)
        #expect(out["vasopressors"] as? [String] == ["norepinephrine"])
    }

    @Test func treatedButNoOngoingCRSIsNoCRS() throws {
        let out = try T.run(CRSCalculator.self, #"{"temperature": {"value": 37.0, "unit": "Cel"}, "feverMaskingTreatmentGiven": true, "crsOngoing": false, "hypotension": true, "oxygen": {"device": "roomAir"}}"#)
        #expect(out["grade"] as? Int == 0)
    }

    // Malformed input → CalculatorError naming the field.
    @Test(arguments: [
        (#"{"hypotension": false, "oxygen": {"device": "roomAir"}}"#, "missing_field", "temperature"),
        (#"{"temperature": {"value": 38.5, "unit": "K"}, "hypotension": false, "oxygen": {"device": "roomAir"}}"#, "unknown_unit", "temperature.unit"),
        (#"{"temperature": {"value": 385, "unit": "Cel"}, "hypotension": false, "oxygen": {"device": "roomAir"}}"#, "out_of_range", "temperature.value"),
        (#"{"temperature": {"value": 38.5, "unit": "Cel"}, "oxygen": {"device": "roomAir"}}"#, "missing_field", "hypotension"),
        (#"{"temperature": {"value": 38.5, "unit": "Cel"}, "hypotension": true, "vasopressors": ["norepinephrine", "dobutamine"], "oxygen": {"device": "roomAir"}}"#, "invalid_input", "vasopressors[1]"),
        (#"{"temperature": {"value": 38.5, "unit": "Cel"}, "hypotension": false, "vasopressors": ["norepinephrine"], "oxygen": {"device": "roomAir"}}"#, "invalid_input", "hypotension"),
        (#"{"temperature": {"value": 38.5, "unit": "Cel"}, "hypotension": false, "oxygen": {"device": "oxygenTent"}}"#, "invalid_input", "oxygen.device"),
        (#"{"temperature": {"value": 38.5, "unit": "Cel"}, "hypotension": false, "oxygen": {"device": "nasalCannula"}}"#, "missing_field", "oxygen.flowLPerMin"),
        (#"{"temperature": {"value": 38.5, "unit": "Cel"}, "hypotension": false, "oxygen": {"device": "facemask", "flowLPerMin": 10}}"#, "invalid_input", "oxygen.flowLPerMin"),
        (#"{"temperature": {"value": 38.5, "unit": "Cel"}, "hypotension": false}"#, "missing_field", "oxygen"),
        (#"{"temperature": {"value": 37.0, "unit": "Cel"}, "hypotension": false, "oxygen": {"device": "roomAir"}}"#, "missing_field", "feverMaskingTreatmentGiven"),
        (#"{"temperature": {"value": 37.0, "unit": "Cel"}, "feverMaskingTreatmentGiven": true, "hypotension": false, "oxygen": {"device": "roomAir"}}"#, "missing_field", "crsOngoing"),
    ])
    func malformed(json: String, code: String, field: String) throws {
        let e = try #require(T.failure(CRSCalculator.self, json))
        #expect(e.code == code)
        #expect(e.field == field)
        #expect(e.message.contains(field))
    }

}
