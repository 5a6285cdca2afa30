import CartaModel
import CartaCore
import Testing
@testable import CartaStudy

/// A complete fictional participant entered through the built-in forms is eligible; one failing
/// value makes exactly the right criterion fail, with a reason naming value and threshold
/// (issue 2 scope items 2 and 6; spec/clinical.md §0.4).
struct StudyEligibilityTests {
    static let study = try! StudyLoader.builtIn()

    /// Raw entries (value, unit, LLN, ULN) for every item a rule reads.
    static let entries: [String: (String, String?, Double?, Double?)] = [
        "CONSENT_DATE": ("2025-01-10", nil, nil, nil), "SEX": ("F", nil, nil, nil),
        "PLANNED_INFUSION_DATE": ("2025-03-01", nil, nil, nil),
        "ECOG": ("1", nil, nil, nil), "SPO2": ("97", nil, nil, nil), "DYSPNEA_GRADE": ("0", nil, nil, nil),
        "HGB": ("118", "g/L", 115, 150), "ANC": ("2.4", "10*9/L", 1.8, 6.3), "PLT": ("12", nil, 125, 350),
        "CREAT": ("0.8", "mg/dL", 0.5, 1.1), "BILI": ("12", nil, 3.4, 20.5), "ALT": ("25", nil, 7, 40), "AST": ("28", nil, 13, 35),
        "PT": ("12.1", nil, 11, 13.5), "INR": ("1.02", nil, 0.8, 1.2), "APTT": ("31", nil, 25, 37),
        "HIV_AB": ("NEG", nil, nil, nil), "SYPHILIS_AB": ("NEG", nil, nil, nil), "HCV_AB": ("NEG", nil, nil, nil),
        "HBSAG": ("NEG", nil, nil, nil), "LVEF": ("63", nil, nil, nil), "ECHO_DATE": ("2025-01-12", nil, nil, nil),
        "TCELL_RESULT": ("PASS", nil, nil, nil), "TCELL_DATE": ("2025-01-20", nil, nil, nil),
        "OTHER_STUDY": ("no", nil, nil, nil),
        "I1_RR_ITP": ("yes", nil, nil, nil), "I3_VENOUS_ACCESS": ("yes", nil, nil, nil), "I5_CONSENT_CAPACITY": ("yes", nil, nil, nil),
        "E1_SECONDARY_ITP": ("no", nil, nil, nil), "E2_THROMBOSIS": ("no", nil, nil, nil), "E3_CARDIOVASCULAR": ("no", nil, nil, nil),
        "E4_UNCONTROLLED": ("no", nil, nil, nil), "E5_MALIGNANCY": ("no", nil, nil, nil), "E9_COAG_HISTORY": ("no", nil, nil, nil),
        "E12_PREGNANCY": ("no", nil, nil, nil), "E13_FERTILITY": ("no", nil, nil, nil), "E14_ALLERGY": ("no", nil, nil, nil),
        "E15_SUBSTANCE": ("no", nil, nil, nil), "E16_INVESTIGATOR": ("no", nil, nil, nil),
    ]

    static func facts(overriding changes: [String: (String, String?, Double?, Double?)] = [:]) throws -> EligibilityFacts {
        var observations: [String: Observation] = [:]
        for (oid, e) in entries.merging(changes, uniquingKeysWith: { $1 }) {
            let item = try #require(study.item(oid))
            guard case .valid(let v, _) = item.check(raw: e.0, unit: e.1) else { throw CheckFailure(oid: oid) }
            observations[oid] = item.observation(of: v.withReferenceRange(lower: e.2, upper: e.3))
        }
        return study.eligibilityFacts(dateOfBirth: ClinicalDate(iso: "1984-07-02"), observations: observations)
    }

    struct CheckFailure: Error { let oid: String }

    @Test func completeParticipantIsEligible() throws {
        let evaluation = Self.study.evaluateEligibility(try Self.facts())
        #expect(evaluation.overall == .eligible, "\(evaluation.results.filter { !$0.result.isMet }.map { "\($0.criterion.id): \($0.result)" })")
        #expect(evaluation.results.count == 21)
    }

    @Test func hemoglobin95FailsE7WithReason() throws {
        let evaluation = Self.study.evaluateEligibility(try Self.facts(overriding: ["HGB": ("95", "g/L", 115, 150)]))
        #expect(evaluation.overall == .notEligible(failed: ["E7"]))
        guard case .notMet(let reason)? = evaluation.result(for: "E7") else { Issue.record("E7 not failed"); return }
        #expect(reason.contains("95") && reason.contains("100"))
        #expect(reason == "Hemoglobin 95 g/L < 100 g/L → excluded (E7)")
    }

    @Test func missingDataMakesTheChecklistIncomplete() throws {
        var facts = try Self.facts()
        facts.observations["ALT"] = nil
        facts.dateOfBirth = nil
        let evaluation = Self.study.evaluateEligibility(facts)
        #expect(evaluation.overall == .incomplete(notEvaluable: ["I2", "E8"]))
        #expect(evaluation.result(for: "E8") == .notEvaluable(missing: ["ALT"]))
        #expect(Self.study.describeMissing("ALT") == "Alanine aminotransferase (ALT)")
        #expect(Self.study.describeMissing("CREAT.ULN") == "Creatinine: upper limit of normal")
        #expect(Self.study.describeMissing("dateOfBirth") == "date of birth")
        #expect(Self.study.describeMissing("plannedInfusionDate") == "Planned CAR-T infusion date (Day 0)")
    }

    // E11 with the built-in anchor: another study 60 days before the planned infusion excludes.
    @Test func recentOtherStudyFailsE11() throws {
        let f = try Self.facts(overriding: ["OTHER_STUDY": ("yes", nil, nil, nil), "OTHER_STUDY_LAST_DATE": ("2025-01-01", nil, nil, nil)])
        let evaluation = Self.study.evaluateEligibility(f)
        #expect(evaluation.overall == .notEligible(failed: ["E11"]))
        #expect(evaluation.result(for: "E11")?.explanation.contains("59 days before") == true)
    }

    @Test func creatinineReasonIsInStandardUnits() throws {
        let evaluation = Self.study.evaluateEligibility(try Self.facts(overriding: ["CREAT": ("2.0", "mg/dL", 0.5, 1.1)]))
        #expect(evaluation.overall == .notEligible(failed: ["E8"]))
        #expect(evaluation.result(for: "E8")?.explanation == "Creatinine 176.8 µmol/L > 1.5 × ULN 97.24 = 145.86 µmol/L → excluded (E8)")
    }
}
