import Foundation
import Testing
@testable import CartaCore

/// Overall verdict, reasons and robustness of the evaluation (issue 2 scope item 6).
struct EligibilityEvaluationTests {
    let criteria = [EligibilityFixture.i2, EligibilityFixture.e6, EligibilityFixture.e7, EligibilityFixture.e8(), EligibilityFixture.e9(), EligibilityFixture.e10, EligibilityFixture.e11]

    @Test func eligibleWhenEverythingPasses() {
        let ev = EligibilityEvaluation.evaluate(criteria, facts: EligibilityFixture.facts())
        #expect(ev.overall == .eligible)
        #expect(ev.results.map(\.criterion.id) == ["I2", "E6", "E7", "E8", "E9", "E10", "E11"])
    }

    @Test func failedCriterionWinsOverMissingData() {
        let f = EligibilityFixture.facts(["HGB": EligibilityFixture.lab(95, "g/L"), "TCELL": nil])
        let ev = EligibilityEvaluation.evaluate(criteria, facts: f)
        #expect(ev.overall == .notEligible(failed: ["E7"]))
        #expect(ev.result(for: "E6") == .notEvaluable(missing: ["TCELL"]))
    }

    @Test func incompleteListsTheOpenCriteria() {
        let f = EligibilityFixture.facts(["TCELL": nil, "ALT": nil])
        let ev = EligibilityEvaluation.evaluate(criteria, facts: f)
        #expect(ev.overall == .incomplete(notEvaluable: ["E6", "E8"]))
    }

    @Test func reasonsNameValueAndThreshold() throws {
        let labels = ["HGB": "Hemoglobin", "CREAT": "Creatinine"]
        let hb = EligibilityFixture.evaluate(EligibilityFixture.e7, EligibilityFixture.facts(["HGB": EligibilityFixture.lab(95, "g/L")]), labels: labels)
        #expect(hb == .notMet(reason: "Hemoglobin 95 g/L < 100 g/L → excluded (E7)"))

        let creat = EligibilityCriterion(id: "E8", kind: .exclusion, text: "",
            rule: .relativeToLimit(item: "CREAT", op: .greaterThan, multiple: 1.5, limit: .upperLimitNormal))
        let r = EligibilityFixture.evaluate(creat, EligibilityFixture.facts(["CREAT": EligibilityFixture.lab(140, "umol/L", uln: 133)]), labels: labels)
        #expect(r == .met(reason: "Creatinine 140 µmol/L ≤ 1.5 × ULN 133 = 199.5 µmol/L → not excluded (E8)"))

        let age = EligibilityFixture.evaluate(EligibilityFixture.i2, EligibilityFixture.facts(dob: "2007-01-11"))
        #expect(age == .notMet(reason: "age 17 years at consent (2025-01-10) is outside 18–65 years inclusive → requirement not met (I2)"))

        let anc = EligibilityFixture.evaluate(EligibilityFixture.e7, EligibilityFixture.facts(["ANC": EligibilityFixture.lab(1.2, "10*9/L")]))
        #expect(anc == .notMet(reason: "ANC 1.2 ×10⁹/L < 1.5 ×10⁹/L → excluded (E7)"))
    }

    @Test func passingAnyListsEveryPart() throws {
        let r = EligibilityFixture.evaluate(EligibilityFixture.e7, EligibilityFixture.facts(), labels: ["HGB": "Hb"])
        #expect(r == .met(reason: "Hb 130 g/L ≥ 100 g/L; ANC 3 ×10⁹/L ≥ 1.5 ×10⁹/L → not excluded (E7)"))
    }

    @Test func wrongKindOfValueIsNotEvaluableAndSaysWhy() {
        let r = EligibilityFixture.evaluate(EligibilityFixture.e7, EligibilityFixture.facts(["HGB": .code("high")]))
        #expect(r == .notEvaluable(missing: ["HGB (expected a number, got a code)"]))
        let u = EligibilityFixture.evaluate(EligibilityFixture.e7, EligibilityFixture.facts(["HGB": EligibilityFixture.lab(95, "mg")]))
        #expect(u == .notEvaluable(missing: ["HGB (unit \"mg\" cannot be converted to g/L)"]))
    }

    @Test func itemKeysListsEveryItemOnce() {
        #expect(EligibilityFixture.e10.rule.itemKeys == ["HIV", "SYPH", "HCVAB", "HCVRNA", "HBSAG", "HBVDNA"])
        #expect(EligibilityFixture.i2.rule.itemKeys.isEmpty)
    }

    @Test func rulesRoundTripThroughJSON() throws {
        for c in criteria {
            let data = try JSONEncoder().encode(c)
            #expect(try JSONDecoder().decode(EligibilityCriterion.self, from: data) == c)
        }
    }

    // Formatting used in reasons.
    @Test(arguments: [(95.0, "95"), (1.5, "1.5"), (199.5, "199.5"), (0.1 + 0.2, "0.3"), (-3, "-3"), (1.0e7, "10000000")])
    func numberFormatting(x: Double, text: String) {
        #expect(EligibilityFormat.number(x) == text)
    }
}

/// Floating-point boundaries: a threshold computed as multiple × limit must not miss by one ulp.
struct EligibilityFloatingPointTests {
    // 3 × 1.2 = 3.5999999999999996 in binary floating point; 3.6 is exactly on the boundary.
    @Test(arguments: [(3.6, true), (3.61, false)])
    func boundaryIsExact(value: Double, met: Bool) {
        let c = EligibilityCriterion(id: "EX", kind: .exclusion, text: "",
                                     rule: .relativeToLimit(item: "INR", op: .greaterThan, multiple: 3, limit: .upperLimitNormal))
        let r = EligibilityFixture.evaluate(c, EligibilityFixture.facts(["INR": EligibilityFixture.lab(value, "{INR}", uln: 1.2)]))
        #expect(r.isMet == met)
    }
}
