import Foundation
import Testing
@testable import CartaCore

/// spec/clinical.md §6.1 body surface area.
struct BSATests {
    // spec/clinical.md §6.1 test vectors (H cm, W kg → m², 4 dp), every formula.
    static let vectors: [(Double, Double, BSAFormula, Double)] = [
        (170, 70, .mosteller, 1.8181), (170, 70, .dubois, 1.8097), (170, 70, .haycock, 1.8257), (170, 70, .gehanGeorge, 1.8313), (170, 70, .stevenson, 1.7801),
        (160, 55, .mosteller, 1.5635), (160, 55, .dubois, 1.5632), (160, 55, .haycock, 1.5655), (160, 55, .gehanGeorge, 1.5767), (160, 55, .stevenson, 1.5271),
        (180, 100, .mosteller, 2.2361), (180, 100, .dubois, 2.1950), (180, 100, .haycock, 2.2624), (180, 100, .gehanGeorge, 2.2540), (180, 100, .stevenson, 2.2251),
        (150, 40, .mosteller, 1.2910), (150, 40, .dubois, 1.3029), (150, 40, .haycock, 1.2858), (150, 40, .gehanGeorge, 1.3024), (150, 40, .stevenson, 1.2741),
    ]

    @Test(arguments: vectors)
    func specVector(h: Double, w: Double, formula: BSAFormula, expected: Double) throws {
        #expect(DosingTest.round(formula.bsaM2(heightCm: h, weightKg: w), 4) == expected)
        let bsa = try BodySurfaceArea(weightKg: w, heightCm: h, formula: formula)
        #expect(DosingTest.round(bsa.bsaM2, 4) == expected)
        // Displayed BSA is the unrounded value to 2 dp (not the 4-dp vector re-rounded: DuBois 2.19502 → 2.20).
        #expect(bsa.bsaDisplayM2 == DosingTest.round(bsa.bsaM2, 2))
        #expect(abs(bsa.bsaDisplayM2 - expected) <= 0.0051)
    }

    @Test(arguments: vectors)
    func calculatorMatchesVectorAndListsAllFormulas(h: Double, w: Double, formula: BSAFormula, expected: Double) throws {
        let out = try DosingTest.run(BSACalculator.self, #"{"weightKg": \#(w), "heightCm": \#(h), "formula": "\#(formula.rawValue)"}"#)
        #expect(out["formula"] as? String == formula.rawValue)
        #expect(out["formulaDefaulted"] as? Bool == false)
        #expect(DosingTest.round(try #require(out["bsaM2"] as? Double), 4) == expected)
        let all = try #require(out["bsaM2ByFormula"] as? [String: Double])
        #expect(all.count == 5)
        #expect(DosingTest.round(try #require(all[formula.rawValue]), 4) == expected)
    }

    @Test func defaultFormulaIsMosteller() throws {
        let out = try BSACalculator.compute(.init(weightKg: 70, heightCm: 170))
        #expect(out.formula == .mosteller)
        #expect(out.formulaDefaulted)
        #expect(DosingTest.round(out.bsaM2, 4) == 1.8181)
        #expect(out.bsaDisplayM2 == 1.82)
        #expect(out.warnings.isEmpty)
    }

    @Test func warnsAbove2Point2() throws {
        // §6.5: warn > 2.2 m² (confirm no capping intended); 180 cm / 100 kg Mosteller = 2.2361.
        let out = try BSACalculator.compute(.init(weightKg: 100, heightCm: 180))
        #expect(out.warnings.count == 1)
        #expect(out.warnings[0].contains("capping"))
        let dubois = try BSACalculator.compute(.init(weightKg: 100, heightCm: 180, formula: .dubois))  // 2.1950
        #expect(dubois.warnings.isEmpty)
    }

    // spec/clinical.md §6.5 hard limits: weight 35–150 kg, height 130–210 cm, BSA 1.2–2.6 m².
    @Test(arguments: [
        (34.9, 170.0, "weightKg", "out_of_range"), (150.1, 170.0, "weightKg", "out_of_range"),
        (0.0, 170.0, "weightKg", "invalid_input"), (-70.0, 170.0, "weightKg", "invalid_input"),
        (70.0, 129.9, "heightCm", "out_of_range"), (70.0, 210.1, "heightCm", "out_of_range"),
        (70.0, 0.0, "heightCm", "invalid_input"), (70.0, -170.0, "heightCm", "invalid_input"),
        (35.0, 130.0, "bsaM2", "out_of_range"),     // Mosteller 1.124 < 1.2
        (150.0, 210.0, "bsaM2", "out_of_range"),    // Mosteller 2.958 > 2.6
    ])
    func hardLimits(w: Double, h: Double, field: String, code: String) {
        #expect {
            try BodySurfaceArea(weightKg: w, heightCm: h)
        } throws: { error in
            let e = error as? CalculatorError
            return e?.field == field && e?.code == code && (e?.message.hasPrefix(field + ":") ?? false)
        }
    }

    @Test func limitsAreInclusiveAtTheBoundaries() throws {
        _ = try BodySurfaceArea(weightKg: 35, heightCm: 210)    // Mosteller 1.4337
        _ = try BodySurfaceArea(weightKg: 150, heightCm: 130)   // Mosteller 2.3452
    }

    @Test func limitsCanBeOverriddenFromJSON() throws {
        let json = #"{"weightKg": 30, "heightCm": 150, "limits": {"weightKg": {"min": 25, "max": 150}, "bsaM2": {"min": 1.0, "max": 2.6}}}"#
        let out = try DosingTest.run(BSACalculator.self, json)
        #expect(DosingTest.round(try #require(out["bsaM2"] as? Double), 4) == DosingTest.round((150.0 * 30 / 3600).squareRoot(), 4))
        let e = DosingTest.expectError(BSACalculator.self, #"{"weightKg": 30, "heightCm": 150}"#)
        #expect(e?.field == "weightKg")
    }

    @Test func formulaRawValuesRoundTrip() throws {
        for f in BSAFormula.allCases {
            let data = try JSONEncoder().encode([f])
            #expect(try JSONDecoder().decode([BSAFormula].self, from: data) == [f])
        }
        #expect(BSAFormula.allCases.map(\.rawValue) == ["mosteller", "dubois", "haycock", "gehanGeorge", "stevenson"])
    }
}
