import Testing
@testable import CartaCore

/// CTCAE v5.0 laboratory grading: spec/clinical.md §4.1–§4.2.
struct CTCAELabGraderTests {
    // spec/clinical.md §4.2 test vectors: platelets, LLN 125 ×10^9/L (boundaries as coded in admiral).
    @Test(arguments: [(80.0, 1), (75.0, 1), (74.9, 2), (50.0, 2), (49.9, 3), (25.0, 3), (24.9, 4)])
    func plateletVectors(value: Double, grade: Int) {
        let a = CTCAELabGrader.grade(.plateletCountDecreased, value: value, lowerLimitNormal: 125, upperLimitNormal: 350)
        #expect(a.grade == .grade(grade))
    }

    // spec/clinical.md §4.2 test vectors: ALT with normal baseline, ULN 40 U/L.
    @Test(arguments: [(120.0, 1), (121.0, 2), (801.0, 4)])
    func altNormalBaselineVectors(value: Double, grade: Int) {
        let a = CTCAELabGrader.grade(.alanineAminotransferaseIncreased, value: value, lowerLimitNormal: nil, upperLimitNormal: 40, baseline: 25)
        #expect(a.grade == .grade(grade))
        #expect(a.criteriaVariant == "baseline normal (≤ ULN)")
    }

    // spec/clinical.md §4.2 test vectors: creatinine, ULN 97 µmol/L, baseline 60 µmol/L.
    @Test(arguments: [(95.0, 2), (100.0, 2)])
    func creatinineBaselineVectors(value: Double, grade: Int) {
        let a = CTCAELabGrader.grade(.creatinineIncreased, value: value, lowerLimitNormal: nil, upperLimitNormal: 97, baseline: 60)
        #expect(a.grade == .grade(grade))
        #expect(a.decidingThreshold == "> 1.5 × BL")
        #expect(a.decidingThresholdValue == 90)
    }

    @Test func creatinineWithoutBaselineClauseIsUlnOnly() {
        // No baseline: 100 µmol/L could be grade 1 (> ULN) or grade 2 (> 1.5 × BL) — refuse.
        let open = CTCAELabGrader.grade(.creatinineIncreased, value: 100, lowerLimitNormal: nil, upperLimitNormal: 97)
        #expect(open.grade.value == nil)
        #expect(open.grade.notComputableReason?.contains("baseline value") == true)
        // > 6 × ULN is grade 4 whatever the baseline.
        let g4 = CTCAELabGrader.grade(.creatinineIncreased, value: 583, lowerLimitNormal: nil, upperLimitNormal: 97)
        #expect(g4.grade == .grade(4))
        // Baseline 300 (abnormal): 460 is only 1.53 × BL but 4.7 × ULN → grade 3 via the ULN clause.
        let g3 = CTCAELabGrader.grade(.creatinineIncreased, value: 460, lowerLimitNormal: nil, upperLimitNormal: 97, baseline: 300)
        #expect(g3.grade == .grade(3))
        #expect(g3.decidingThreshold == "> 3.0 × ULN")
    }

    // CTCAE v5.0 ALT/AST abnormal-baseline cells (spec §4.2): 1.5–3.0 / >3–5 / >5–20 / >20 × BL.
    @Test(arguments: [(89.9, 0), (90.0, 1), (180.0, 1), (180.1, 2), (300.0, 2), (300.1, 3), (1200.0, 3), (1200.1, 4)])
    func astAbnormalBaseline(value: Double, grade: Int) {
        let a = CTCAELabGrader.grade(.aspartateAminotransferaseIncreased, value: value, lowerLimitNormal: nil, upperLimitNormal: 40, baseline: 60)
        #expect(a.grade == .grade(grade))
        #expect(a.criteriaVariant == "baseline abnormal (> ULN)")
    }

    // Bilirubin cells (spec §4.2), ULN 21 µmol/L; normal baseline 10, abnormal baseline 30.
    @Test(arguments: [
        (10.0, 21.0, 0), (10.0, 21.1, 1), (10.0, 31.5, 1), (10.0, 31.6, 2), (10.0, 63.1, 3), (10.0, 210.1, 4),
        (30.0, 30.0, 0), (30.0, 30.1, 1), (30.0, 45.1, 2), (30.0, 90.1, 3), (30.0, 300.1, 4),
    ])
    func bilirubin(baseline: Double, value: Double, grade: Int) {
        let a = CTCAELabGrader.grade(.bloodBilirubinIncreased, value: value, lowerLimitNormal: nil, upperLimitNormal: 21, baseline: baseline)
        #expect(a.grade == .grade(grade))
    }

    @Test(arguments: [CTCAELabTerm.alanineAminotransferaseIncreased, .aspartateAminotransferaseIncreased, .bloodBilirubinIncreased, .fibrinogenDecreased])
    func baselineVariantTermsNeedBaseline(term: CTCAELabTerm) {
        let a = CTCAELabGrader.grade(term, value: 1000, lowerLimitNormal: 2, upperLimitNormal: 40)
        #expect(a.grade.value == nil)
        #expect(a.grade.notComputableReason?.contains("baseline value is required") == true)
    }

    // spec §4.2 [D]: "if LLN is missing, grade 1 is not computable (leave null, do not default to 0)".
    @Test func missingLLNOnlyMattersWhenItDecides() {
        let g1 = CTCAELabGrader.grade(.plateletCountDecreased, value: 100, lowerLimitNormal: nil, upperLimitNormal: nil)
        #expect(g1.grade.value == nil)
        #expect(g1.grade.notComputableReason?.contains("lower limit of normal") == true)
        #expect(g1.decidingThreshold == nil)
        let g3 = CTCAELabGrader.grade(.plateletCountDecreased, value: 40, lowerLimitNormal: nil, upperLimitNormal: nil)
        #expect(g3.grade == .grade(3))
        #expect(g3.decidingThreshold == "< 50.0 10*9/L")
        #expect(g3.rule == "Grade 3: < 50.0 – 25.0 10*9/L")
        let aptt = CTCAELabGrader.grade(.activatedPartialThromboplastinTimeProlonged, value: 40, lowerLimitNormal: 25, upperLimitNormal: nil)
        #expect(aptt.grade.value == nil)
    }

    @Test func gradeZeroNamesTheUncrossedThreshold() {
        let a = CTCAELabGrader.grade(.plateletCountDecreased, value: 200, lowerLimitNormal: 125, upperLimitNormal: 350)
        #expect(a.grade == .grade(0))
        #expect(a.decidingThreshold == "< 1.0 × LLN")
        #expect(a.decidingThresholdValue == 125)
        #expect(a.rule.hasPrefix("Grade 0: no grade 1 condition met"))
    }

    // One boundary pair per remaining term, spec §4.2 table (value on the boundary = milder grade).
    @Test(arguments: [
        (CTCAELabTerm.neutrophilCountDecreased, 1.0, 2), (.neutrophilCountDecreased, 0.99, 3), (.neutrophilCountDecreased, 0.49, 4),
        (.anemia, 100.0, 1), (.anemia, 99.0, 2), (.anemia, 79.0, 3), (.anemia, 20.0, 3),
        (.lymphocyteCountDecreased, 0.8, 1), (.lymphocyteCountDecreased, 0.5, 2), (.lymphocyteCountDecreased, 0.19, 4),
        (.whiteBloodCellDecreased, 3.0, 1), (.whiteBloodCellDecreased, 1.99, 3), (.whiteBloodCellDecreased, 0.9, 4),
        (.cd4LymphocytesDecreased, 0.5, 1), (.cd4LymphocytesDecreased, 0.2, 2), (.cd4LymphocytesDecreased, 0.049, 4),
        (.inrIncreased, 1.2, 0), (.inrIncreased, 1.21, 1), (.inrIncreased, 1.5, 1), (.inrIncreased, 2.5, 2), (.inrIncreased, 2.51, 3),
        (.activatedPartialThromboplastinTimeProlonged, 35.0, 0), (.activatedPartialThromboplastinTimeProlonged, 52.6, 2),
        (.activatedPartialThromboplastinTimeProlonged, 87.6, 3),
        (.fibrinogenDecreased, 1.99, 1), (.fibrinogenDecreased, 1.5, 1), (.fibrinogenDecreased, 1.49, 2), (.fibrinogenDecreased, 1.0, 2),
        (.fibrinogenDecreased, 0.74, 3), (.fibrinogenDecreased, 0.49, 4),
        (.lymphocyteCountIncreased, 4.0, 0), (.lymphocyteCountIncreased, 4.1, 2), (.lymphocyteCountIncreased, 20.1, 3),
    ])
    func termBoundaries(term: CTCAELabTerm, value: Double, grade: Int) {
        // LLN/ULN chosen per term: counts LLN 4 (WBC), 1.8 (ANC), 1.0 (lymphocytes, CD4); Hb 130;
        // aPTT ULN 35 s; fibrinogen LLN 2.0 g/L with a normal baseline of 3.0.
        let lln: Double? = [.whiteBloodCellDecreased: 4.0, .neutrophilCountDecreased: 1.8, .lymphocyteCountDecreased: 1.0,
                            .cd4LymphocytesDecreased: 1.0, .anemia: 130, .fibrinogenDecreased: 2.0][term]
        let uln: Double? = term == .activatedPartialThromboplastinTimeProlonged ? 35 : nil
        let baseline: Double? = term == .fibrinogenDecreased ? 3.0 : nil
        let a = CTCAELabGrader.grade(term, value: value, lowerLimitNormal: lln, upperLimitNormal: uln, baseline: baseline)
        #expect(a.grade == .grade(grade), "\(term) \(value)")
    }

    // Fibrinogen with abnormal baseline (< LLN): % decrease from baseline, spec §4.2.
    @Test(arguments: [(1.6, 0), (1.59, 1), (1.2, 2), (0.8, 3), (0.4, 4)])
    func fibrinogenAbnormalBaseline(value: Double, grade: Int) {
        let a = CTCAELabGrader.grade(.fibrinogenDecreased, value: value, lowerLimitNormal: 2.0, upperLimitNormal: 4.0, baseline: 1.6)
        #expect(a.grade == .grade(grade))
    }

    @Test func inrOnAnticoagulantIsNotComputable() {
        let a = CTCAELabGrader.grade(.inrIncreased, value: 2.0, lowerLimitNormal: nil, upperLimitNormal: nil, onAnticoagulant: true)
        #expect(a.grade.value == nil)
    }

    // spec §4.2 [D]: report treatment-emergent worsening only (post grade > baseline grade).
    @Test(arguments: [(40.0, 20.0, 3, 4, true), (20.0, 15.0, 4, 4, false), (20.0, 60.0, 4, 2, false), (150.0, 100.0, 0, 1, true)])
    func treatmentEmergentWorsening(baseline: Double, value: Double, baseGrade: Int, grade: Int, worse: Bool) {
        let a = CTCAELabGrader.grade(.plateletCountDecreased, value: value, lowerLimitNormal: 125, upperLimitNormal: 350, baseline: baseline)
        #expect(a.baselineGrade == .grade(baseGrade))
        #expect(a.grade == .grade(grade))
        #expect(a.treatmentEmergentWorsening == worse)
    }

    @Test func worseningUnknownWithoutBaselineOrGrade() {
        let none = CTCAELabGrader.grade(.plateletCountDecreased, value: 20, lowerLimitNormal: 125, upperLimitNormal: nil)
        #expect(none.baselineGrade == nil && none.treatmentEmergentWorsening == nil)
        let unknown = CTCAELabGrader.grade(.plateletCountDecreased, value: 20, lowerLimitNormal: nil, upperLimitNormal: nil, baseline: 100)
        #expect(unknown.baselineGrade?.value == nil)
        #expect(unknown.treatmentEmergentWorsening == nil)
    }

    @Test func abnormalAltBaselineGradesZeroAgainstItself() {
        let a = CTCAELabGrader.grade(.alanineAminotransferaseIncreased, value: 200, lowerLimitNormal: nil, upperLimitNormal: 40, baseline: 100)
        #expect(a.baselineGrade == .grade(0))
        #expect(a.grade == .grade(1))
        #expect(a.treatmentEmergentWorsening == true)
    }

    @Test(arguments: ["plateletCountDecreased", "Platelet count decreased", "PLATELET COUNT DECREASED", "ALT increased", "aPTT prolonged"])
    func termLookup(name: String) { #expect(CTCAELabTerm(lookup: name) != nil) }
}
