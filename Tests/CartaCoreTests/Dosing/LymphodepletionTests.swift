import Foundation
import Testing
@testable import CartaCore

/// spec/clinical.md §6.2 lymphodepletion doses, §6.3 renal adjustment, §6.5 limits.
struct LymphodepletionTests {
    func plan(w: Double = 70, h: Double = 170, crcl: Double = 90, _ regimen: LymphodepletionRegimen = .init(),
              previous: Double? = nil) throws -> LymphodepletionPlan {
        try LymphodepletionPlan(weightKg: w, heightCm: h, crClMlMin: crcl, regimen: regimen, weightAtLastCalculationKg: previous)
    }

    // spec/clinical.md §6.2 example: BSA 1.8181 → fludarabine 54.5 → 55 mg/day; cyclophosphamide 545.4 → 550 mg/day.
    @Test func specExample() throws {
        let p = try plan()
        #expect(DosingTest.round(p.bsa.bsaM2, 4) == 1.8181)
        #expect(p.bsaUsedM2 == p.bsa.bsaM2 && !p.bsaCapped)
        let flu = p.drugs[0], cy = p.drugs[1]
        #expect(flu.drug == "fludarabine" && cy.drug == "cyclophosphamide")
        #expect(DosingTest.round(try #require(flu.calculatedMgPerDay), 1) == 54.5)
        #expect(flu.plannedMgPerDay == 55)
        #expect(DosingTest.round(try #require(cy.calculatedMgPerDay), 1) == 545.4)
        #expect(cy.plannedMgPerDay == 550)
        #expect(flu.days.map(\.protocolDay) == [-5, -4, -3])
        #expect(flu.days.allSatisfy { $0.plannedMg == 55 && $0.status == .administer })
        #expect(cy.days.allSatisfy { $0.plannedMg == 550 })
        #expect(flu.cumulativePlannedMg == 165 && cy.cumulativePlannedMg == 1650)
        #expect(flu.cumulativeMgPerM2 == 90 && cy.cumulativeMgPerM2 == 900)   // §6.2 cumulative 90 and 900 mg/m²
        #expect(flu.rule.contains("full dose") && cy.rule == "no renal adjustment")
        #expect(!p.requiresPISignOff && p.requiresSecondPersonVerification)
        #expect(p.warnings.isEmpty)
    }

    // spec/clinical.md §6.2: "or 545 mg (1-mg rounding)" — the site pharmacy rule as a parameter.
    @Test func oneMilligramRoundingForCyclophosphamide() throws {
        var reg = LymphodepletionRegimen()
        reg.drugs[1].roundingStepMg = 1
        #expect(try plan(reg).drugs[1].plannedMgPerDay == 545)
    }

    // spec/clinical.md §6.3 proportional Fludara table for 30 mg/m²: ≥80 full; 50–79 24; 30–49 18; <30 do not administer.
    // CrCl is compared at 1 dp (as displayed): 79.96 shows as 80.0 and gets the full dose.
    @Test(arguments: [
        (120.0, 30.0), (87.5, 30.0), (80.0, 30.0), (79.96, 30.0), (79.9, 24.0), (74.4, 24.0), (50.0, 24.0),
        (49.9, 18.0), (37.8, 18.0), (30.0, 18.0), (29.95, 18.0), (29.9, 0.0), (10.0, 0.0), (0.0, 0.0),
    ])
    func fludaraRenalBands(crcl: Double, mgPerM2: Double) throws {
        let p = try plan(crcl: crcl)
        let flu = p.drugs[0]
        if mgPerM2 == 0 {
            #expect(flu.status == .doNotAdminister)
            #expect(flu.plannedMgPerDay == nil && flu.calculatedMgPerDay == nil)
            #expect(flu.days.allSatisfy { $0.status == .doNotAdminister && $0.plannedMg == nil })
            #expect(flu.rule.contains("do not administer"))
            #expect(p.requiresPISignOff)
        } else {
            #expect(flu.status == .administer)
            #expect(flu.appliedMgPerM2PerDay == mgPerM2)
            #expect(flu.plannedMgPerDay == (mgPerM2 * p.bsa.bsaM2).rounded(.toNearestOrAwayFromZero))
            #expect(p.requiresPISignOff == (mgPerM2 < 30))
            #expect(p.warnings.contains { $0.contains("renal reduction") } == (mgPerM2 < 30))
        }
        // Cyclophosphamide has no renal adjustment at 300 mg/m² (§6.3).
        #expect(p.drugs[1].plannedMgPerDay == 550)
    }

    @Test func reducedRuleTextNamesBandAndReduction() throws {
        let flu = try plan(crcl: 74.4).drugs[0]
        #expect(flu.rule == "CrCl 74.4 mL/min in band 50–<80 mL/min → reduced 20% (80% of dose)")
        #expect(flu.plannedMgPerDay == 44)   // 24 × 1.8181 = 43.6
    }

    // spec/clinical.md §6.2: block if the rounded dose differs from the calculated dose by > 5%.
    @Test func roundingDeviationAboveFivePercentBlocks() throws {
        var reg = LymphodepletionRegimen()
        reg.drugs[0].roundingStepMg = 20   // 54.5 → 60, +10%
        #expect { try plan(reg) } throws: { ($0 as? CalculatorError)?.field == "regimen.drugs[0].roundingStepMg" }
        reg.drugs[0].roundingStepMg = 5    // 54.5 → 55, +0.8%
        #expect(try plan(reg).drugs[0].plannedMgPerDay == 55)
    }

    // spec/clinical.md §6.5: LD days other than D−5, −4, −3 block; LD end → Day 0 < 2 days blocks, > 7 warns.
    @Test func daysAreCheckedAgainstLimits() throws {
        var reg = LymphodepletionRegimen()
        reg.days = [-6, -5, -4]
        #expect { try plan(reg) } throws: { ($0 as? CalculatorError)?.field == "regimen.days" }
        reg.limits.ldDays = nil
        #expect(try plan(reg).drugs[0].days.map(\.protocolDay) == [-6, -5, -4])
        reg.days = [-3, -2, -1]
        #expect { try plan(reg) } throws: { ($0 as? CalculatorError)?.code == "out_of_range" }
        reg.days = [-10, -9, -8]
        #expect(try plan(reg).warnings.contains { $0.contains("more than 7") })
        reg.days = [-5, -5, -4]
        #expect { try plan(reg) } throws: { ($0 as? CalculatorError)?.field == "regimen.days" }
    }

    @Test func bsaCapIsAParameter() throws {
        let uncapped = try plan(w: 100, h: 180)             // Mosteller 2.2361: warn, no cap by default
        #expect(!uncapped.bsaCapped && uncapped.warnings.contains { $0.contains("capping") })
        var reg = LymphodepletionRegimen()
        reg.bsaCapM2 = 2.0
        let capped = try plan(w: 100, h: 180, reg)
        #expect(capped.bsaCapped && capped.bsaUsedM2 == 2.0)
        #expect(capped.drugs[0].plannedMgPerDay == 60 && capped.drugs[1].plannedMgPerDay == 600)
        #expect(!capped.warnings.contains { $0.contains("confirm that no capping") })
    }

    @Test func bsaFormulaIsAParameter() throws {
        var reg = LymphodepletionRegimen()
        reg.bsaFormula = .stevenson      // 1.7801 → flu 53.4 → 53, cy 534.0 → 530
        let p = try plan(reg)
        #expect(p.bsa.formula == .stevenson)
        #expect(p.drugs[0].plannedMgPerDay == 53 && p.drugs[1].plannedMgPerDay == 530)
    }

    // spec/clinical.md §6.2: re-calculate if weight changes by > 10% from the value used.
    @Test func weightChangeWarning() throws {
        #expect(try plan(w: 70, previous: 63.5).warnings.count == 1)     // 6.5 / 63.5 = 10.2%
        #expect(try plan(w: 70, previous: 64).warnings.isEmpty)          // 9.4%
        #expect(try plan(w: 70, previous: 80).warnings.count == 1)       // 12.5%
    }

    @Test func regimenOverridesFromJSON() throws {
        let json = #"""
        {"weightKg": 70, "heightCm": 170, "crClMlMin": 65,
         "regimen": {"bsaFormula": "dubois",
                     "drugs": [{"name": "fludarabine", "mgPerM2PerDay": 30,
                                "renalAdjustment": {"bands": [{"minCrClMlMin": 70, "percentOfDose": 100},
                                                              {"minCrClMlMin": 30, "percentOfDose": 80},
                                                              {"minCrClMlMin": 0, "doNotAdminister": true}]}},
                               {"name": "cyclophosphamide", "mgPerM2PerDay": 300, "roundingStepMg": 10, "renalAdjustment": null}]}}
        """#
        let out = try DosingTest.run(LymphodepletionCalculator.self, json)
        let drugs = try #require(out["drugs"] as? [[String: Any]])
        // "Other US labels": 30–70 → −20%; DuBois 1.8097 × 24 = 43.4 → 43; × 300 = 542.9 → 540.
        #expect(drugs[0]["plannedMgPerDay"] as? Double == 43)
        #expect((drugs[0]["rule"] as? String)?.contains("30–<70") == true)
        #expect(drugs[1]["plannedMgPerDay"] as? Double == 540)
        #expect(out["requiresPISignOff"] as? Bool == true)
    }

    @Test func drugMustStateItsRenalAdjustment() {
        let e = DosingTest.expectError(LymphodepletionCalculator.self,
            #"{"weightKg": 70, "heightCm": 170, "crClMlMin": 90, "regimen": {"drugs": [{"name": "fludarabine", "mgPerM2PerDay": 30}]}}"#)
        #expect(e?.field == "regimen.drugs[0].renalAdjustment")
        #expect(e?.code == "missing_field")
    }

    @Test(arguments: [
        (#"{"bands": []}"#, "regimen.drugs[0].renalAdjustment.bands"),
        (#"{"bands": [{"minCrClMlMin": 50, "percentOfDose": 100}]}"#, "regimen.drugs[0].renalAdjustment.bands"),
        (#"{"bands": [{"minCrClMlMin": 0, "percentOfDose": 100, "doNotAdminister": true}]}"#, "regimen.drugs[0].renalAdjustment.bands[0]"),
        (#"{"bands": [{"minCrClMlMin": 0, "percentOfDose": 120}]}"#, "regimen.drugs[0].renalAdjustment.bands[0].percentOfDose"),
    ])
    func badRenalTables(table: String, field: String) {
        let e = DosingTest.expectError(LymphodepletionCalculator.self,
            #"{"weightKg": 70, "heightCm": 170, "crClMlMin": 90, "regimen": {"drugs": [{"name": "fludarabine", "mgPerM2PerDay": 30, "renalAdjustment": \#(table)}]}}"#)
        #expect(e?.field == field)
    }

    @Test func regimenRoundTripsThroughJSON() throws {
        var reg = LymphodepletionRegimen()
        reg.bsaCapM2 = 2.2
        reg.limits.ldDays = nil
        let data = try JSONEncoder().encode(reg)
        #expect(try JSONDecoder().decode(LymphodepletionRegimen.self, from: data) == reg)
        #expect(try JSONDecoder().decode(LymphodepletionRegimen.self, from: Data("{}".utf8)) == LymphodepletionRegimen())
    }
}
