import Foundation
import Testing
@testable import CartaCore

/// spec/clinical.md §6.3 Cockcroft–Gault.
struct CrClTests {
    // spec/clinical.md §6.3 test vectors (mL/min, 1 dp).
    // "50 y, 70 kg, SCr 1.0 mg/dL → 87.5 (male), 74.4 (female); SI with 88.4 µmol/L → 87.7 / 74.1.
    //  60 y female, 60 kg, SCr 1.5 mg/dL (132.6 µmol/L) → 37.8 mL/min."
    static let vectors: [(Double, CockcroftGault.Sex, Double, Double, String, CockcroftGault.SIConstant?, Double)] = [
        (50, .male, 70, 1.0, "mg/dL", nil, 87.5),
        (50, .female, 70, 1.0, "mg/dL", nil, 74.4),
        (50, .male, 70, 88.4, "umol/L", nil, 87.7),
        (50, .female, 70, 88.4, "µmol/L", nil, 74.1),
        (60, .female, 60, 1.5, "mg/dL", nil, 37.8),
        // The 37.8 vector quotes 132.6 µmol/L in parentheses; with the spec's rounded k (1.04) the SI form
        // gives 37.6, with the exact constant (0.85 × 88.4/72) it gives the mg/dL result 37.8.
        (60, .female, 60, 132.6, "umol/L", .rounded, 37.6),
        (60, .female, 60, 132.6, "umol/L", .exact, 37.8),
        (50, .male, 70, 88.4, "umol/L", .exact, 87.5),
    ]

    @Test(arguments: vectors)
    func specVector(age: Double, sex: CockcroftGault.Sex, w: Double, scr: Double, unit: String,
                    k: CockcroftGault.SIConstant?, expected: Double) throws {
        let out = try CrClCalculator.compute(.init(ageYears: age, sex: sex, weightKg: w,
                                                   serumCreatinine: .init(value: scr, unit: unit), siConstant: k))
        #expect(out.crClDisplayMlMin == expected)
        #expect(DosingTest.round(out.crClMlMin, 1) == expected)
        #expect(out.form == (unit == "mg/dL" ? "conventional" : "si"))
        #expect(out.weightBasis == .actual && out.weightUsedKg == w)
    }

    @Test func directFormulas() {
        #expect(CockcroftGault.crClConventional(ageYears: 50, weightKg: 70, creatinineMgPerDL: 1, sex: .male) == 87.5)
        #expect(abs(CockcroftGault.crClConventional(ageYears: 50, weightKg: 70, creatinineMgPerDL: 1, sex: .female) - 74.375) < 1e-12)
        #expect(abs(CockcroftGault.crClSI(ageYears: 50, weightKg: 70, creatinineUmolPerL: 88.4, sex: .male) - 90 * 70 * 1.23 / 88.4) < 1e-12)
        #expect(CockcroftGault.k(sex: .male, constant: .rounded) == 1.23)
        #expect(CockcroftGault.k(sex: .female, constant: .rounded) == 1.04)
    }

    // spec/clinical.md §6.3 Devine IBW: 50 (men) / 45.5 (women) + 2.3 kg per inch over 60 in.
    @Test(arguments: [
        (152.4, CockcroftGault.Sex.male, 50.0), (152.4, .female, 45.5),
        (177.8, .male, 73.0), (177.8, .female, 68.5),     // 70 in
        (160.02, .female, 52.4),                            // 63 in
        (147.32, .female, 40.9),                            // 58 in: line extended below 60 in
    ])
    func devineIBW(h: Double, sex: CockcroftGault.Sex, expected: Double) {
        #expect(abs(CockcroftGault.idealBodyWeightKg(heightCm: h, sex: sex) - expected) < 1e-9)
    }

    @Test func idealWeightBasisUsesIBW() throws {
        // 50 y male, 177.8 cm (IBW 73.0 kg), actual 110 kg, SCr 1.0 mg/dL → 90 × 73 / 72 = 91.25.
        let out = try CrClCalculator.compute(.init(ageYears: 50, sex: .male, weightKg: 110, heightCm: 177.8,
                                                   serumCreatinine: .init(value: 1.0, unit: "mg/dL"), weightBasis: .ideal))
        #expect(abs(out.weightUsedKg - 73.0) < 1e-9)
        #expect(out.crClDisplayMlMin == 91.3)
        #expect(out.warnings.isEmpty)
    }

    @Test func idealAboveActualWarns() throws {
        let out = try CrClCalculator.compute(.init(ageYears: 50, sex: .male, weightKg: 60, heightCm: 185,
                                                   serumCreatinine: .init(value: 1.0, unit: "mg/dL"), weightBasis: .ideal))
        #expect(out.weightUsedKg > 60)
        #expect(out.warnings.count == 1)
    }

    @Test func idealWithoutHeightIsRefused() {
        let e = DosingTest.expectError(CrClCalculator.self,
            #"{"ageYears": 50, "sex": "male", "weightKg": 70, "serumCreatinine": {"value": 1, "unit": "mg/dL"}, "weightBasis": "ideal"}"#)
        #expect(e?.field == "heightCm")
        #expect(e?.code == "missing_field")
    }

    @Test(arguments: [
        (#""ageYears": 17, "sex": "male", "weightKg": 70, "serumCreatinine": {"value": 1, "unit": "mg/dL"}"#, "ageYears", "out_of_range"),
        (#""ageYears": 50, "sex": "male", "weightKg": -70, "serumCreatinine": {"value": 1, "unit": "mg/dL"}"#, "weightKg", "invalid_input"),
        (#""ageYears": 50, "sex": "male", "weightKg": 200, "serumCreatinine": {"value": 1, "unit": "mg/dL"}"#, "weightKg", "out_of_range"),
        (#""ageYears": 50, "sex": "male", "weightKg": 70, "serumCreatinine": {"value": 0, "unit": "mg/dL"}"#, "serumCreatinine.value", "invalid_input"),
        (#""ageYears": 50, "sex": "male", "weightKg": 70, "serumCreatinine": {"value": 1, "unit": "mg/mL"}"#, "serumCreatinine.unit", "unknown_unit"),
        (#""ageYears": 50, "sex": "unknown", "weightKg": 70, "serumCreatinine": {"value": 1, "unit": "mg/dL"}"#, "sex", "invalid_input"),
        (#""ageYears": 50, "sex": "male", "weightKg": 70"#, "serumCreatinine", "missing_field"),
        (#""ageYears": 50, "sex": "male", "weightKg": 70, "serumCreatinine": {"value": 1}"#, "serumCreatinine.unit", "missing_field"),
        (#""ageYears": 50, "sex": "male", "weightKg": 70, "heightCm": 100, "serumCreatinine": {"value": 1, "unit": "mg/dL"}"#, "heightCm", "out_of_range"),
    ])
    func badInputNamesTheField(body: String, field: String, code: String) {
        let e = DosingTest.expectError(CrClCalculator.self, "{\(body)}")
        #expect(e?.field == field)
        #expect(e?.code == code)
        #expect(e?.message.contains(field) == true)
    }

    /// Issue 8: creatinine 1.0 "µmol/L" (an ordinary mg/dL value) once gave 7,749 mL/min and a full fludarabine
    /// dose. The calculator now refuses what the form's hard range refuses, naming the likely unit; the
    /// boundaries of the range (10 and 2000 µmol/L) are accepted.
    @Test(arguments: [
        (1.0, "umol/L", "was the unit mg/dL?"), (9.9, "umol/L", "was the unit mg/dL?"), (2001, "umol/L", ""),
        (80, "mg/dL", "was the unit umol/L?"), (0.1, "mg/dL", ""),
    ])
    func impossibleCreatinineIsRefusedWithTheLikelyUnit(value: Double, unit: String, hint: String) throws {
        do {
            _ = try CrClCalculator.compute(.init(ageYears: 50, sex: .male, weightKg: 70, serumCreatinine: .init(value: value, unit: unit)))
            Issue.record("\(value) \(unit) was accepted")
        } catch let e as CalculatorError {
            #expect(e.field == "serumCreatinine.value" && e.code == "out_of_range")
            #expect(e.message.contains("physiological limits 10–2000 µmol/L"))
            if !hint.isEmpty { #expect(e.message.contains(hint), "\(e.message)") }
        }
        for ok in [10.0, 2000.0] {
            #expect(try CrClCalculator.compute(.init(ageYears: 50, sex: .male, weightKg: 70, serumCreatinine: .init(value: ok, unit: "umol/L"))).crClMlMin > 0)
        }
    }

    /// A clearance no kidney produces is refused by the lymphodepletion plan instead of dosed as normal function.
    @Test func lymphodepletionRefusesAnImpossibleClearance() throws {
        #expect(throws: CalculatorError.self) {
            _ = try LymphodepletionPlan(weightKg: 70, heightCm: 170, crClMlMin: 7_749)
        }
        _ = try LymphodepletionPlan(weightKg: 70, heightCm: 170, crClMlMin: LymphodepletionPlan.maxPlausibleCrClMlMin)
    }
}
