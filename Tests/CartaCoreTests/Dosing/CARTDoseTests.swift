import Foundation
import Testing
@testable import CartaCore

/// spec/clinical.md §6.4 CAR-T cell dose and §6.5 CAR-T limits.
struct CARTDoseTests {
    typealias Rec = CARTFractionRecord

    func close(_ a: Double?, _ b: Double) -> Bool { a.map { abs($0 - b) <= 1e-9 * b } ?? false }

    // spec/clinical.md §6.4 examples: 60 kg → 6.0e8 to 1.2e9 cells; 70 kg at 2.0e7/kg → 1.4e9 cells.
    @Test(arguments: [(60.0, 1.0e7, 6.0e8), (60.0, 2.0e7, 1.2e9), (70.0, 2.0e7, 1.4e9)])
    func specTotals(w: Double, perKg: Double, total: Double) throws {
        let p = try CARTDosePlan(weightKg: w, targetCellsPerKg: perKg)
        #expect(close(p.plannedTotalCells, total))
        #expect(p.plannedCarPositiveCells == nil)      // no CAR+ % given: not derivable
        #expect(p.doseBasis == .totalCells)
    }

    // spec/clinical.md §6.4 example: 60 kg × 1.0e7/kg, 10/30/60 → 6.0e7, 1.8e8, 3.6e8 on Days 0/1/2.
    @Test func specFractionExample() throws {
        let p = try CARTDosePlan(weightKg: 60, targetCellsPerKg: 1.0e7)
        #expect(p.fractions.map(\.protocolDay) == [0, 1, 2])
        #expect(p.fractions.map(\.percent) == [10, 30, 60])
        #expect(close(p.fractions[0].plannedTotalCells, 6.0e7))
        #expect(close(p.fractions[1].plannedTotalCells, 1.8e8))
        #expect(close(p.fractions[2].plannedTotalCells, 3.6e8))
        #expect(abs(p.fractions[2].plannedCellsPerKg - 6.0e6) < 1e-3)
        #expect(p.fractions[0].decision == .give)
        // Later fractions need a CRS/ICANS assessment first: not evaluable, never assumed.
        #expect(p.fractions[1].decision == .notEvaluable)
        #expect(p.fractions[1].missing == ["fractions[1].crsGradeBefore", "fractions[1].icansGradeBefore"])
        #expect(!p.complete && p.deliveredTotalCells == 0 && close(p.remainingCells, 6.0e8))
        #expect(p.warnings.isEmpty)
    }

    // spec/clinical.md §6.4 hold rule [D]: hold if CRS ≥ 2 or any ICANS; CRS 1 → investigator decides.
    @Test(arguments: [
        (0, 0, CARTDosePlan.DecisionKind.give), (1, 0, .investigatorDecides), (2, 0, .hold), (3, 0, .hold),
        (4, 0, .hold), (0, 1, .hold), (1, 1, .hold), (0, 3, .hold), (2, 2, .hold),
    ])
    func holdRule(crs: Int, icans: Int, expected: CARTDosePlan.DecisionKind) throws {
        let p = try CARTDosePlan(weightKg: 60, targetCellsPerKg: 1.0e7, records: [
            Rec(deliveredTotalCells: 6.0e7), Rec(crsGradeBefore: crs, icansGradeBefore: icans),
        ])
        #expect(p.fractions[1].decision == expected)
        if expected == .hold {
            #expect(p.fractions[2].decision == .hold)          // remaining fractions held
            #expect(p.fractions[2].reason.contains("held since fraction 1"))
        } else {
            #expect(p.fractions[2].decision == .notEvaluable)
        }
    }

    @Test func holdRuleMissingGrade() {
        let d = CARTHoldRule().evaluate(crsGrade: 0, icansGrade: nil, field: "x.")
        #expect(d == .notEvaluable(missing: ["x.icansGradeBefore"]))
    }

    @Test func stopThresholdIsAParameter() throws {
        var reg = CARTDoseRegimen()
        reg.holdRule.stopAtCRSGrade = 3
        let p = try CARTDosePlan(weightKg: 60, targetCellsPerKg: 1.0e7, regimen: reg, records: [
            Rec(deliveredTotalCells: 6.0e7), Rec(crsGradeBefore: 3, icansGradeBefore: 0),
        ])
        #expect(p.fractions[1].decision == .stop && p.fractions[2].decision == .stop)
        #expect(p.complete)
    }

    @Test func investigatorDecisionNeedsReason() throws {
        let give = try CARTDosePlan(weightKg: 60, targetCellsPerKg: 1.0e7, records: [
            Rec(deliveredTotalCells: 6.0e7),
            Rec(crsGradeBefore: 1, icansGradeBefore: 0, investigatorDecision: .give, investigatorReason: "fever only, haemodynamically stable"),
        ])
        #expect(give.fractions[1].decision == .give)
        #expect(give.fractions[1].reason.contains("fever only"))
        let hold = try CARTDosePlan(weightKg: 60, targetCellsPerKg: 1.0e7, records: [
            Rec(deliveredTotalCells: 6.0e7),
            Rec(crsGradeBefore: 1, icansGradeBefore: 0, investigatorDecision: .hold, investigatorReason: "rising CRP"),
        ])
        #expect(hold.fractions[1].decision == .hold && hold.fractions[2].decision == .hold)
        let e = DosingTest.expectError(CARTDoseCalculator.self, #"""
            {"weightKg": 60, "targetCellsPerKg": 1e7, "fractions": [{"deliveredTotalCells": 6e7},
             {"crsGradeBefore": 1, "icansGradeBefore": 0, "investigatorDecision": "give"}]}
            """#)
        #expect(e?.field == "fractions[1].investigatorReason")
    }

    @Test func investigatorDecisionCannotOverrideHold() throws {
        let p = try CARTDosePlan(weightKg: 60, targetCellsPerKg: 1.0e7, records: [
            Rec(deliveredTotalCells: 6.0e7),
            Rec(crsGradeBefore: 2, icansGradeBefore: 0, investigatorDecision: .give, investigatorReason: "wants to"),
        ])
        #expect(p.fractions[1].decision == .hold)
        #expect(p.warnings.contains { $0.contains("ignored") })
    }

    // spec/clinical.md §6.4: delivered = Σ actual fraction cells; delivered/planned %; §6.5 warn < 1.0e7/kg delivered.
    @Test func deliveredVersusPlannedAfterHold() throws {
        let p = try CARTDosePlan(weightKg: 60, targetCellsPerKg: 1.0e7, carPositivePercent: 30, records: [
            Rec(deliveredTotalCells: 6.0e7),
            Rec(crsGradeBefore: 0, icansGradeBefore: 0, deliveredTotalCells: 1.8e8),
            Rec(crsGradeBefore: 2, icansGradeBefore: 0),
        ])
        #expect(p.fractions.map(\.decision) == [.give, .give, .hold])
        #expect(p.complete)
        #expect(close(p.deliveredTotalCells, 2.4e8))
        #expect(close(p.deliveredCarPositiveCells, 7.2e7))
        #expect(close(p.deliveredCellsPerKg, 4.0e6))
        #expect(close(p.remainingCells, 3.6e8))
        #expect(close(p.deliveredPercentOfPlanned, 40))
        #expect(close(p.plannedCarPositiveCells, 1.8e8))
        #expect(close(p.fractions[0].deliveredCarPositiveCells, 1.8e7))
        #expect(p.warnings.count == 1 && p.warnings[0].contains("record the reason"))
    }

    @Test func fullDeliveryHasNoWarnings() throws {
        let p = try CARTDosePlan(weightKg: 60, targetCellsPerKg: 1.0e7, records: [
            Rec(deliveredTotalCells: 6.0e7),
            Rec(crsGradeBefore: 0, icansGradeBefore: 0, deliveredTotalCells: 1.8e8),
            Rec(crsGradeBefore: 1, icansGradeBefore: 0, investigatorDecision: .give, investigatorReason: "fever only", deliveredTotalCells: 3.6e8),
        ])
        #expect(p.complete && close(p.deliveredPercentOfPlanned, 100) && p.remainingCells < 1)
        #expect(p.warnings.isEmpty)
    }

    @Test func carPositiveBasis() throws {
        var reg = CARTDoseRegimen()
        reg.doseBasis = .carPositiveCells
        let p = try CARTDosePlan(weightKg: 60, targetCellsPerKg: 1.0e7, carPositivePercent: 40, regimen: reg)
        #expect(close(p.plannedCarPositiveCells, 6.0e8))
        #expect(close(p.plannedTotalCells, 1.5e9))
        #expect(throws: CalculatorError.self) {
            try CARTDosePlan(weightKg: 60, targetCellsPerKg: 1.0e7, regimen: reg, records: [Rec(deliveredTotalCells: 1e8)])
        }
    }

    // spec/clinical.md §6.4 dose range 1.0–2.0e7 cells/kg; §6.5 block > 2.0e7/kg × weight × 1.10 or > 2.0e9 absolute.
    @Test(arguments: [(60.0, 0.99e7), (60.0, 2.01e7), (101.0, 2.0e7), (150.0, 1.4e7)])
    func refusedTargets(w: Double, perKg: Double) {
        #expect { try CARTDosePlan(weightKg: w, targetCellsPerKg: perKg) } throws: {
            ($0 as? CalculatorError)?.field == "targetCellsPerKg" && ($0 as? CalculatorError)?.code == "out_of_range"
        }
    }

    @Test func absoluteCapBoundaryIsAllowed() throws {
        #expect(close(try CARTDosePlan(weightKg: 100, targetCellsPerKg: 2.0e7).plannedTotalCells, 2.0e9))
    }

    @Test func overDeliveryBlocksLaterFractions() throws {
        // 70 kg × 2e7 = 1.4e9 planned; cap min(2e7 × 70 × 1.1, 2e9) = 1.54e9.
        let p = try CARTDosePlan(weightKg: 70, targetCellsPerKg: 2.0e7, records: [
            Rec(deliveredTotalCells: 1.0e9),                                   // planned 1.4e8
            Rec(crsGradeBefore: 0, icansGradeBefore: 0, deliveredTotalCells: 4.2e8),
            Rec(crsGradeBefore: 0, icansGradeBefore: 0),
        ])
        #expect(p.fractions[1].decision == .give)
        #expect(p.fractions[2].decision == .blockedByLimit)
        #expect(p.complete)
    }

    @Test func deliveryDespiteHoldIsFlagged() throws {
        let p = try CARTDosePlan(weightKg: 60, targetCellsPerKg: 1.0e7, records: [
            Rec(deliveredTotalCells: 6.0e7), Rec(crsGradeBefore: 2, icansGradeBefore: 0, deliveredTotalCells: 1.8e8),
        ])
        #expect(p.warnings.contains { $0.contains("deviation") })
        #expect(close(p.deliveredTotalCells, 2.4e8))
    }

    // spec/clinical.md §6.4: LEGEND-2 20/30/50 within 7 days as a parameterised plan.
    @Test func alternativeFractionPlan() throws {
        var reg = CARTDoseRegimen()
        reg.fractions = [.init(protocolDay: 0, percent: 20), .init(protocolDay: 3, percent: 30), .init(protocolDay: 6, percent: 50)]
        let p = try CARTDosePlan(weightKg: 60, targetCellsPerKg: 1.0e7, regimen: reg)
        #expect(p.fractions.map(\.protocolDay) == [0, 3, 6])
        #expect(close(p.fractions[2].plannedTotalCells, 3.0e8))
    }

    @Test(arguments: [
        (#"[{"protocolDay": 0, "percent": 10}, {"protocolDay": 1, "percent": 30}]"#, "regimen.fractions"),
        (#"[{"protocolDay": 1, "percent": 100}]"#, "regimen.fractions[0].protocolDay"),
        (#"[{"protocolDay": 0, "percent": 50}, {"protocolDay": 0, "percent": 50}]"#, "regimen.fractions[1].protocolDay"),
        (#"[{"protocolDay": 0, "percent": 110}, {"protocolDay": 1, "percent": -10}]"#, "regimen.fractions[1].percent"),
        (#"[]"#, "regimen.fractions"),
    ])
    func badFractionPlans(fractions: String, field: String) {
        let e = DosingTest.expectError(CARTDoseCalculator.self,
            #"{"weightKg": 60, "targetCellsPerKg": 1e7, "regimen": {"fractions": \#(fractions)}}"#)
        #expect(e?.field == field)
    }

    @Test(arguments: [
        (#""fractions": [{}, {"crsGradeBefore": 6, "icansGradeBefore": 0}]"#, "fractions[1].crsGradeBefore"),
        (#""fractions": [{}, {}, {}, {}]"#, "fractions"),
        (#""fractions": [{"deliveredTotalCells": -1}]"#, "fractions[0].deliveredTotalCells"),
        (#""carPositivePercent": 120"#, "carPositivePercent"),
    ])
    func badRecords(extra: String, field: String) {
        let e = DosingTest.expectError(CARTDoseCalculator.self, #"{"weightKg": 60, "targetCellsPerKg": 1e7, \#(extra)}"#)
        #expect(e?.field == field)
    }

    @Test func regimenRoundTripsThroughJSON() throws {
        var reg = CARTDoseRegimen()
        reg.holdRule.stopAtICANSGrade = 2
        reg.doseBasis = .carPositiveCells
        #expect(try JSONDecoder().decode(CARTDoseRegimen.self, from: JSONEncoder().encode(reg)) == reg)
        #expect(try JSONDecoder().decode(CARTDoseRegimen.self, from: Data("{}".utf8)) == CARTDoseRegimen())
    }
}
