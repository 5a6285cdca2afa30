import CartaCore
import Testing
@testable import CartaStudy

/// The built-in NCT05315778 file loads, validates and encodes the registry record (spec/clinical.md §0.2, §0.4).
struct BuiltInStudyTests {
    @Test func loadsAndValidates() throws {
        let study = try StudyLoader.builtIn()
        #expect(study.id == "NCT05315778")
        #expect(study.otherIDs == ["BCRITP"])
        #expect(study.targetEnrolment == 5)
        #expect(study.allowEnrolmentBeyondTarget == false)
        #expect(study.ageRange == AgeRange(minYears: 18, maxYears: 65))
        #expect(study.phase == "Phase 2")
        #expect(study.sites.map(\.id) == ["SUZHOU"])
        #expect(study.subjectID(sequence: 1) == "BCRITP-001")
        #expect(study.subjectID(sequence: 42) == "BCRITP-042")
    }

    // §0.4: I1–I5 and E1–E16, in order.
    @Test func hasEveryCriterion() throws {
        let study = try StudyLoader.builtIn()
        #expect(study.eligibility.inclusion.map(\.id) == (1...5).map { "I\($0)" })
        #expect(study.eligibility.exclusion.map(\.id) == (1...16).map { "E\($0)" })
        #expect(study.eligibility.criteria.allSatisfy { $0.kind == ($0.id.hasPrefix("I") ? .inclusion : .exclusion) })
    }

    // §0.4: measurable criteria carry a machine rule; the others are attestations.
    @Test func measurableCriteriaHaveMachineRules() throws {
        let study = try StudyLoader.builtIn()
        let attested = study.eligibility.criteria.filter { if case .attestation = $0.rule { return true }; return false }.map(\.id)
        #expect(attested == ["I1", "I3", "I5", "E1", "E2", "E3", "E4", "E5", "E12", "E13", "E14", "E15", "E16"])
        let e8 = try #require(study.eligibility.criteria.first { $0.id == "E8" })
        #expect(e8.rule.itemKeys == ["CREAT", "BILI", "ALT", "AST", "LVEF", "DYSPNEA_GRADE", "SPO2"])
        #expect(e8.note?.contains("transaminaseReading = either") == true)
        let e7 = try #require(study.eligibility.criteria.first { $0.id == "E7" })
        #expect(e7.rule == .any([.compare(item: "HGB", analyte: .hemoglobin, op: .lessThan, threshold: 100),
                                 .compare(item: "ANC", analyte: .anc, op: .lessThan, threshold: 1.5)]))
        let e11 = try #require(study.eligibility.criteria.first { $0.id == "E11" })
        #expect(e11.rule == .all([.attestation(item: "OTHER_STUDY"),
                                  .withinDays(item: "OTHER_STUDY_LAST_DATE", anchor: .plannedInfusion, days: 90)]))
    }

    // §10.2: LOINC codes and UCUM units of the screening labs.
    @Test(arguments: [
        ("HGB", "718-7", "g/L"), ("ANC", "751-8", "10*9/L"), ("PLT", "777-3", "10*9/L"), ("WBC", "6690-2", "10*9/L"),
        ("CREAT", "14682-9", "umol/L"), ("BILI", "14631-6", "umol/L"), ("ALT", "1742-6", "U/L"), ("AST", "1920-8", "U/L"),
        ("PT", "5902-2", "s"), ("INR", "6301-6", "{INR}"), ("APTT", "3173-2", "s"),
        ("SPO2", "59408-5", "%"), ("LVEF", "10230-1", "%"), ("WEIGHT", "29463-7", "kg"), ("HEIGHT", "8302-2", "cm"),
        ("HBSAG", "5196-1", nil), ("HCV_AB", "16128-1", nil), ("HIV_AB", "56888-1", nil), ("SYPHILIS_AB", "20507-0", nil),
    ] as [(String, String, String?)])
    func labCodes(oid: String, loinc: String, unit: String?) throws {
        let item = try #require(try StudyLoader.builtIn().item(oid))
        #expect(item.loinc == loinc)
        #expect(item.unit == unit)
        if let analyte = item.analyte { #expect(analyte.loinc == loinc || oid == "BILI") }
    }

    @Test func identifyingDataIsNotInTheForms() throws {
        let study = try StudyLoader.builtIn()
        let labels = study.allItems.map { $0.label.lowercased() }
        #expect(!labels.contains { $0.contains("birth") || $0.contains("name") || $0.contains("hospital number") })
    }

    // Registry: LD Days −5…−3 at 30 / 300 mg/m²/day; 1.0–2.0 × 10^7 cells/kg; 10/30/60 fractions (§6.4 [D]).
    @Test func dosingScheduleAndEndpoints() throws {
        let study = try StudyLoader.builtIn()
        let ld = study.settings.lymphodepletion, carT = study.settings.carT
        #expect(ld.drugs.map(\.name) == ["fludarabine", "cyclophosphamide"])
        #expect(ld.drugs.map(\.mgPerM2PerDay) == [30, 300])
        #expect(ld.days == [-5, -4, -3])
        #expect(carT.minCellsPerKg == 1.0e7 && carT.maxCellsPerKg == 2.0e7)
        #expect(carT.fractions.map(\.percent) == [10, 30, 60])
        let days = study.schedule.visits.map(\.day)
        #expect(Array(days.filter { (0...14).contains($0) }) == Array(0...14))
        // The last scheduled visit is month 6; early termination is an always-open procedure page after it.
        #expect(study.schedule.visits.last { $0.kind == .visit }?.day == 180)
        #expect(study.schedule.visits.last?.id == "ET" && study.schedule.visits.last?.kind == .procedure)
        #expect(study.schedule.visits.first { $0.id == "M6" }?.windowDays == 166...194)
        #expect(study.endpoints.count == 7)
        #expect(study.endpoints.map(\.title).contains("Evaluation of health-related quality of life"))
    }

    @Test func settingsHoldTheSpecDefaults() throws {
        let s = try StudyLoader.builtIn().settings
        #expect(s.eligibility.transaminaseReading == .either)
        #expect(s.eligibility.coagulationReading == .aboveUpperLimit)
        #expect(s.eligibility.priorStudyWindowDays == 90)
        #expect(s.lymphodepletion.bsaFormula == .mosteller)
        #expect(s.response.rescueWindowDays == 56)
        #expect(s.lymphodepletion.drugs[0].renalAdjustment == .fludaraProportional)
        // Every setting in the file reaches its rule: SettingsWiringTests.
    }
}
