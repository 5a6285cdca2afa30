import Foundation
import Testing
@testable import CartaCore

/// Invariants (DESIGN.md §4: "dose monotone in weight"): BSA and doses never decrease as weight or height grow.
struct DosingPropertyTests {
    static let weights = Array(stride(from: 35.0, through: 150.0, by: 0.5))
    static let heights = Array(stride(from: 130.0, through: 210.0, by: 0.5))

    // spec/clinical.md §6.1: every formula is non-decreasing in weight and in height over the §6.5 ranges.
    @Test(arguments: BSAFormula.allCases)
    func bsaMonotone(formula: BSAFormula) {
        for h in Self.heights.enumerated().filter({ $0.offset % 10 == 0 }).map(\.element) {
            var previous = -Double.infinity
            for w in Self.weights {
                let b = formula.bsaM2(heightCm: h, weightKg: w)
                #expect(b >= previous, "\(formula) not monotone in weight at H \(h), W \(w)")
                previous = b
            }
        }
        for w in Self.weights.enumerated().filter({ $0.offset % 10 == 0 }).map(\.element) {
            var previous = -Double.infinity
            for h in Self.heights {
                let b = formula.bsaM2(heightCm: h, weightKg: w)
                #expect(b >= previous, "\(formula) not monotone in height at W \(w), H \(h)")
                previous = b
            }
        }
    }

    /// Planned daily dose per drug for the valid (w, h), or nil when §6.5 blocks it (BSA out of range).
    func doses(w: Double, h: Double, formula: BSAFormula, crcl: Double) -> [Double]? {
        var reg = LymphodepletionRegimen()
        reg.bsaFormula = formula
        guard let p = try? LymphodepletionPlan(weightKg: w, heightCm: h, crClMlMin: crcl, regimen: reg) else { return nil }
        return p.drugs.map { $0.plannedMgPerDay ?? 0 }
    }

    // spec/clinical.md §6.2: planned (rounded) daily doses are non-decreasing in weight and height at fixed CrCl.
    @Test(arguments: BSAFormula.allCases)
    func lymphodepletionMonotone(formula: BSAFormula) {
        for crcl in [90.0, 60.0, 40.0] {
            for h in stride(from: 130.0, through: 210.0, by: 10) {
                var previous: [Double] = [0, 0]
                for w in stride(from: 35.0, through: 150.0, by: 1) {
                    guard let d = doses(w: w, h: h, formula: formula, crcl: crcl) else { continue }
                    #expect(d[0] >= previous[0] && d[1] >= previous[1], "\(formula) CrCl \(crcl) H \(h) W \(w)")
                    previous = d
                }
            }
            for w in stride(from: 35.0, through: 150.0, by: 5) {
                var previous: [Double] = [0, 0]
                for h in stride(from: 130.0, through: 210.0, by: 1) {
                    guard let d = doses(w: w, h: h, formula: formula, crcl: crcl) else { continue }
                    #expect(d[0] >= previous[0] && d[1] >= previous[1], "\(formula) CrCl \(crcl) W \(w) H \(h)")
                    previous = d
                }
            }
        }
    }

    // spec/clinical.md §6.3: a lower CrCl never gives a higher fludarabine dose.
    @Test func fludarabineMonotoneInCrCl() throws {
        var previous = 0.0
        for crcl in stride(from: 0.0, through: 150.0, by: 0.05) {
            let p = try LymphodepletionPlan(weightKg: 70, heightCm: 170, crClMlMin: crcl)
            let d = p.drugs[0].plannedMgPerDay ?? 0
            #expect(d >= previous, "CrCl \(crcl)")
            previous = d
        }
    }

    // spec/clinical.md §6.4/§6.5: CAR-T total is non-decreasing in weight until the cap, then refused.
    @Test(arguments: [1.0e7, 1.5e7, 2.0e7])
    func cartTotalMonotoneUntilCap(perKg: Double) {
        var previous = 0.0
        var refusedFrom: Double?
        for w in stride(from: 35.0, through: 150.0, by: 0.25) {
            do {
                let p = try CARTDosePlan(weightKg: w, targetCellsPerKg: perKg)
                let total = try #require(p.plannedTotalCells)
                #expect(refusedFrom == nil, "accepted \(w) kg after refusing \(refusedFrom ?? 0) kg")
                #expect(total >= previous && total <= 2.0e9 * (1 + 1e-12))
                #expect(p.fractions.reduce(0) { $0 + ($1.plannedTotalCells ?? 0) } <= total * (1 + 1e-12))
                previous = total
            } catch let e as CalculatorError {
                #expect(e.field == "targetCellsPerKg")
                #expect(w * perKg > 2.0e9)
                if refusedFrom == nil { refusedFrom = w }
            } catch { Issue.record("\(error)") }
        }
        #expect((refusedFrom != nil) == (150 * perKg > 2.0e9))
    }
}
