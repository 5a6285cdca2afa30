import Testing
@testable import CartaCore

/// Every boundary of spec/clinical.md §0.4, criterion by criterion. "met" is from the eligibility
/// point of view: an exclusion is met when the excluding condition is absent.
struct EligibilityBoundaryTests {
    // §0.4 I2: 18 ≤ age ≤ 65 inclusive, age in completed years at consent [D] (consent 2025-01-10).
    @Test(arguments: [
        ("2007-01-10", EligibilityOutcome.met),     // 18th birthday on the consent date
        ("2007-01-11", .notMet),         // 17 years 364 days
        ("1959-01-11", .met),            // 65 years 364 days: still 65
        ("1959-01-10", .notMet),         // 66th birthday on the consent date
        ("1980-05-20", .met),
    ])
    func ageAtConsent(dob: String, expected: EligibilityOutcome) {
        #expect(EligibilityOutcome(EligibilityFixture.evaluate(EligibilityFixture.i2, EligibilityFixture.facts(dob: dob))) == expected)
    }

    @Test func ageNeedsDateOfBirthAndConsent() {
        let r = EligibilityFixture.evaluate(EligibilityFixture.i2, EligibilityFixture.facts(dob: nil, consent: nil))
        #expect(r == .notEvaluable(missing: ["dateOfBirth", "consentDate"]))
    }

    // §0.4 E7: Hb < 100 g/L excludes; 100 g/L is eligible. Values in other units are standardised (§10.3).
    @Test(arguments: [
        (99.9, "g/L", EligibilityOutcome.notMet), (100, "g/L", .met), (95, "g/L", .notMet), (130, "g/L", .met),
        (9.99, "g/dL", .notMet), (10.0, "g/dL", .met),
    ])
    func hemoglobin(value: Double, unit: String, expected: EligibilityOutcome) {
        let r = EligibilityFixture.evaluate(EligibilityFixture.e7, EligibilityFixture.facts(["HGB": EligibilityFixture.lab(value, unit)]))
        #expect(EligibilityOutcome(r) == expected)
    }

    // §0.4 E7: ANC < 1.5 × 10^9/L excludes; 1.5 is eligible.
    @Test(arguments: [(1.49, EligibilityOutcome.notMet), (1.5, .met), (1.51, .met), (0.5, .notMet)])
    func neutrophils(value: Double, expected: EligibilityOutcome) {
        let r = EligibilityFixture.evaluate(EligibilityFixture.e7, EligibilityFixture.facts(["ANC": EligibilityFixture.lab(value, "10*9/L")]))
        #expect(EligibilityOutcome(r) == expected)
    }

    // §0.4 E8: creatinine and total bilirubin > 1.5 × ULN exclude; exactly 1.5 × ULN does not.
    @Test(arguments: [
        ("CREAT", 199.5, 133.0, EligibilityOutcome.met), ("CREAT", 199.6, 133.0, .notMet),
        ("BILI", 31.5, 21.0, .met), ("BILI", 31.6, 21.0, .notMet),
    ])
    func organFunctionAgainstULN(item: String, value: Double, uln: Double, expected: EligibilityOutcome) {
        let r = EligibilityFixture.evaluate(EligibilityFixture.e8(), EligibilityFixture.facts([item: EligibilityFixture.lab(value, "umol/L", uln: uln)]))
        #expect(EligibilityOutcome(r) == expected)
    }

    // §0.4 E8 [?] "ALT and AST > 3×ULN": default excludes when either exceeds; alternative "both".
    // ULN ALT 40, AST 35: 3×ULN = 120 and 105.
    @Test(arguments: [
        (120.0, 22.0, false, EligibilityOutcome.met),      // ALT exactly 3×ULN
        (121.0, 22.0, false, .notMet),          // ALT only: excluded under "either"
        (121.0, 22.0, true, .met),              // ALT only: not excluded under "both"
        (20.0, 106.0, false, .notMet),          // AST only
        (121.0, 106.0, true, .notMet),          // both exceed: excluded under either reading
        (121.0, 106.0, false, .notMet),
    ])
    func transaminases(alt: Double, ast: Double, both: Bool, expected: EligibilityOutcome) {
        let f = EligibilityFixture.facts(["ALT": EligibilityFixture.lab(alt, "U/L", uln: 40), "AST": EligibilityFixture.lab(ast, "U/L", uln: 35)])
        #expect(EligibilityOutcome(EligibilityFixture.evaluate(EligibilityFixture.e8(transaminasesBoth: both), f)) == expected)
    }

    // §0.4 E8: LVEF ≤ 50% excludes (exactly 50% is excluded); SpO2 < 91% excludes; dyspnea ≥ grade 1 excludes.
    @Test(arguments: [
        ("LVEF", 50.0, "%", EligibilityOutcome.notMet), ("LVEF", 50.1, "%", .met), ("LVEF", 45, "%", .notMet),
        ("SPO2", 90.9, "%", .notMet), ("SPO2", 91, "%", .met),
        ("DYSPNEA", 1, "", .notMet), ("DYSPNEA", 0, "", .met),
    ])
    func cardiopulmonary(item: String, value: Double, unit: String, expected: EligibilityOutcome) {
        let r = EligibilityFixture.evaluate(EligibilityFixture.e8(), EligibilityFixture.facts([item: EligibilityFixture.lab(value, unit)]))
        #expect(EligibilityOutcome(r) == expected)
    }

    // §0.4 E9 [?]: default excludes PT/INR/APTT > 1.2 × ULN; the alternative also excludes < 0.8 × LLN.
    // PT LLN 11, ULN 13 → 1.2×ULN = 15.6, 0.8×LLN = 8.8.
    @Test(arguments: [
        (15.6, false, EligibilityOutcome.met), (15.7, false, .notMet), (15.7, true, .notMet),
        (8.7, false, .met), (8.7, true, .notMet), (8.8, true, .met),
    ])
    func prothrombinTime(pt: Double, twoSided: Bool, expected: EligibilityOutcome) {
        let f = EligibilityFixture.facts(["PT": EligibilityFixture.lab(pt, "s", lln: 11, uln: 13)])
        #expect(EligibilityOutcome(EligibilityFixture.evaluate(EligibilityFixture.e9(twoSided: twoSided), f)) == expected)
    }

    // §0.4 E9: INR and APTT follow the same rule; a coagulation-history attestation also excludes.
    @Test(arguments: [
        ("INR", 1.44, EligibilityOutcome.met), ("INR", 1.45, .notMet),   // ULN 1.2 → 1.44
        ("APTT", 42.0, .met), ("APTT", 42.1, .notMet),         // ULN 35 → 42
    ])
    func inrAndAptt(item: String, value: Double, expected: EligibilityOutcome) {
        let base = EligibilityFixture.normal[item]!
        guard case .number(_, let unit, let lln, let uln) = base else { Issue.record("fixture"); return }
        let f = EligibilityFixture.facts([item: .number(value: value, unit: unit, lowerLimitNormal: lln, upperLimitNormal: uln)])
        #expect(EligibilityOutcome(EligibilityFixture.evaluate(EligibilityFixture.e9(), f)) == expected)
    }

    @Test func coagulationHistoryExcludes() {
        let r = EligibilityFixture.evaluate(EligibilityFixture.e9(), EligibilityFixture.facts(["COAG_HISTORY": .boolean(true)]))
        #expect(EligibilityOutcome(r) == .notMet)
    }

    // Missing reference limit → not evaluable, naming the limit.
    @Test func missingLimitIsNamed() {
        let e8 = EligibilityFixture.evaluate(EligibilityFixture.e8(), EligibilityFixture.facts(["CREAT": EligibilityFixture.lab(80, "umol/L")]))
        #expect(e8 == .notEvaluable(missing: ["CREAT.ULN"]))
        let e9 = EligibilityFixture.evaluate(EligibilityFixture.e9(twoSided: true), EligibilityFixture.facts(["PT": EligibilityFixture.lab(12, "s", uln: 13)]))
        #expect(e9 == .notEvaluable(missing: ["PT.LLN"]))
        // The one-sided default reading does not need the lower limit.
        #expect(EligibilityOutcome(EligibilityFixture.evaluate(EligibilityFixture.e9(), EligibilityFixture.facts(["PT": EligibilityFixture.lab(12, "s", uln: 13)]))) == .met)
    }

    // §0.4 E10: HIV+ or syphilis+; HCV Ab+ AND HCV-RNA > ULN; HBsAg+ AND HBV-DNA > ULN.
    @Test(arguments: [
        (["HIV": Observation.code("POS")], EligibilityOutcome.notMet),
        (["SYPH": .code("POS")], .notMet),
        (["HCVAB": .code("POS"), "HCVRNA": EligibilityFixture.lab(10, "[IU]/mL", uln: 15)], .met),
        (["HCVAB": .code("POS"), "HCVRNA": EligibilityFixture.lab(16, "[IU]/mL", uln: 15)], .notMet),
        (["HCVAB": .code("POS")], .notEvaluable(["HCVRNA"])),
        (["HCVAB": .code("NEG"), "HCVRNA": EligibilityFixture.lab(1000, "[IU]/mL", uln: 15)], .met),
        (["HBSAG": .code("POS"), "HBVDNA": EligibilityFixture.lab(21, "[IU]/mL", uln: 20)], .notMet),
        (["HBSAG": .code("POS"), "HBVDNA": EligibilityFixture.lab(20, "[IU]/mL", uln: 20)], .met),
        (["HBSAG": .code("POS"), "HBVDNA": EligibilityFixture.lab(20, "[IU]/mL")], .notEvaluable(["HBVDNA.ULN"])),
        (["HIV": .code("POS"), "HBSAG": .code("POS")], .notMet),  // decided although HBV-DNA is missing
    ] as [([String: Observation], EligibilityOutcome)])
    func serology(changes: [String: Observation], expected: EligibilityOutcome) {
        let r = EligibilityFixture.evaluate(EligibilityFixture.e10, EligibilityFixture.facts(changes.mapValues { Optional($0) }))
        #expect(EligibilityOutcome(r) == expected)
    }

    // §0.4 E6: failed T-cell expansion test excludes.
    @Test(arguments: [("FAIL", EligibilityOutcome.notMet), ("PASS", .met)])
    func tCellExpansion(code: String, expected: EligibilityOutcome) {
        #expect(EligibilityOutcome(EligibilityFixture.evaluate(EligibilityFixture.e6, EligibilityFixture.facts(["TCELL": .code(code)]))) == expected)
    }

    // §0.4 E11: another study within 3 months = 90 days [D] before the planned infusion (Day 0).
    // Planned infusion 2025-03-01; consent 2025-01-10.
    @Test(arguments: [
        (true, "2024-12-01" as String?, "2025-03-01" as String?, EligibilityOutcome.notMet),  // exactly 90 days before
        (true, "2024-11-30", "2025-03-01", .met),                                  // 91 days before
        (true, "2025-03-05", "2025-03-01", .notMet),                               // after the anchor
        (true, "2024-09-01", nil, .met),          // 131 days before consent: decided without the infusion date
        (true, "2024-12-01", nil, .notEvaluable(["plannedInfusionDate"])),
        (true, nil, "2025-03-01", .notEvaluable(["PRIOR_DATE"])),
        (false, nil, nil, .met),                  // no other study: the date is not needed
    ])
    func priorStudyWindow(participated: Bool, lastDate: String?, infusion: String?, expected: EligibilityOutcome) {
        let f = EligibilityFixture.facts(["PRIOR": .boolean(participated), "PRIOR_DATE": lastDate.map { .date(EligibilityFixture.d($0)) }],
                              infusion: infusion)
        #expect(EligibilityOutcome(EligibilityFixture.evaluate(EligibilityFixture.e11, f)) == expected)
    }
}
