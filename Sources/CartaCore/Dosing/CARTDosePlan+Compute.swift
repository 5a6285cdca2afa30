import Foundation

extension CARTDosePlan {
    /// Builds the plan and evaluates each recorded fraction; throws `CalculatorError` naming the field.
    /// `records[i]` is the record of fraction i (fewer records than fractions = not yet done).
    /// Source: spec/clinical.md §6.4, §6.5.
    public init(weightKg: Double, targetCellsPerKg: Double, carPositivePercent: Double? = nil,
                regimen: CARTDoseRegimen = CARTDoseRegimen(), records: [CARTFractionRecord] = []) throws {
        try regimen.validate(field: "regimen")
        let limits = regimen.limits
        try DosingCheck.within(weightKg, limits.weightKg, "weightKg", unit: "kg", rule: "weight hard limit, spec §6.5")
        try DosingCheck.within(targetCellsPerKg, regimen.minCellsPerKg...regimen.maxCellsPerKg, "targetCellsPerKg",
                               unit: "cells/kg", rule: "protocol dose range, spec §6.4")
        if let p = carPositivePercent {
            try DosingCheck.within(p, 0...100, "carPositivePercent", unit: "%", rule: "a percentage")
        }
        guard records.count <= regimen.fractions.count else {
            throw CalculatorError.invalid("fractions", "\(records.count) records for \(regimen.fractions.count) planned fractions")
        }
        let basisTotal = weightKg * targetCellsPerKg
        let cap = min(limits.cartMaxCellsPerKg * weightKg * (1 + limits.cartPerKgToleranceFraction), limits.cartMaxTotalCells)
        guard basisTotal <= cap else {
            throw CalculatorError.outOfRange("targetCellsPerKg",
                "planned \(DosingCheck.fmt(basisTotal)) cells exceeds the CAR-T hard limit \(DosingCheck.fmt(cap)) cells (min of \(DosingCheck.fmt(limits.cartMaxCellsPerKg))/kg × weight × \(DosingCheck.fmt(1 + limits.cartPerKgToleranceFraction)) and \(DosingCheck.fmt(limits.cartMaxTotalCells)) absolute, spec §6.5)")
        }
        let fraction = carPositivePercent.map { $0 / 100 }
        // Converts a count of the dose basis to (total, CAR+); nil where the CAR+ % is needed but missing.
        func split(basis: Double) -> (Double?, Double?) {
            switch regimen.doseBasis {
            case .totalCells: return (basis, fraction.map { basis * $0 })
            case .carPositiveCells: return (fraction.flatMap { $0 > 0 ? basis / $0 : nil }, basis)
            }
        }
        func basisOf(total: Double, field: String) throws -> Double {
            switch regimen.doseBasis {
            case .totalCells: return total
            case .carPositiveCells:
                guard let fraction else {
                    throw CalculatorError(code: "missing_field", message: "carPositivePercent: required to count delivered CAR+ cells when doseBasis is carPositiveCells (\(field))", field: "carPositivePercent")
                }
                return total * fraction
            }
        }

        var warnings: [String] = []
        var out: [Fraction] = []
        var deliveredBasis = 0.0, deliveredTotal = 0.0
        var closed: (DecisionKind, String)?   // a hold/stop/block carried to later fractions
        var complete = true
        for (i, planned) in regimen.fractions.enumerated() {
            let f = "fractions[\(i)]"
            let rec = i < records.count ? records[i] : nil
            let fractionBasis = basisTotal * planned.percent / 100
            for (g, name) in [(rec?.crsGradeBefore, "crsGradeBefore"), (rec?.icansGradeBefore, "icansGradeBefore")] {
                if let g, !(0...5).contains(g) { throw CalculatorError.outOfRange("\(f).\(name)", "grade must be 0–5, got \(g)") }
            }
            var kind: DecisionKind, reason: String, missing: [String] = []
            var investigatorConsidered = false
            if let (k, r) = closed {
                kind = k; reason = r
            } else if i == 0 {
                kind = .give; reason = "first fraction (Day 0)"
            } else {
                switch regimen.holdRule.evaluate(crsGrade: rec?.crsGradeBefore, icansGrade: rec?.icansGradeBefore, field: "\(f).") {
                case .give(let r): kind = .give; reason = r
                case .hold(let r): kind = .hold; reason = r; closed = (.hold, "held since fraction \(i): \(r)")
                case .stop(let r): kind = .stop; reason = r; closed = (.stop, "stopped since fraction \(i): \(r)")
                case .notEvaluable(let m): kind = .notEvaluable; reason = "assess CRS and ICANS before this fraction"; missing = m
                case .investigatorDecides(let r):
                    kind = .investigatorDecides; reason = r
                    if let d = rec?.investigatorDecision {
                        investigatorConsidered = true
                        guard let why = rec?.investigatorReason?.trimmingCharacters(in: .whitespaces), !why.isEmpty else {
                            throw CalculatorError(code: "missing_field", message: "\(f).investigatorReason: the reason must be recorded with an investigator decision (spec §6.4)", field: "\(f).investigatorReason")
                        }
                        kind = d == .give ? .give : .hold
                        reason = "\(r); investigator decided \(d.rawValue): \(why)"
                        if d == .hold { closed = (.hold, "held since fraction \(i): \(reason)") }
                    }
                }
                if kind == .give, deliveredBasis + fractionBasis > cap * (1 + 1e-12) {
                    kind = .blockedByLimit
                    reason = "delivered \(DosingCheck.fmt(deliveredBasis)) + planned \(DosingCheck.fmt(fractionBasis)) cells would exceed the hard limit \(DosingCheck.fmt(cap)) (spec §6.5)"
                    closed = (.blockedByLimit, "blocked since fraction \(i): \(reason)")
                }
            }
            if let d = rec?.investigatorDecision, !investigatorConsidered {
                warnings.append("\(f): investigator decision \"\(d.rawValue)\" ignored; the rule did not leave this fraction to the investigator")
            }
            var deliveredT: Double?, deliveredC: Double?
            if let t = rec?.deliveredTotalCells {
                guard t.isFinite, t >= 0 else {
                    throw CalculatorError.invalid("\(f).deliveredTotalCells", "must be a cell count ≥ 0, got \(t)")
                }
                let b = try basisOf(total: t, field: "\(f).deliveredTotalCells")
                deliveredBasis += b; deliveredTotal += t
                deliveredT = t; deliveredC = fraction.map { t * $0 }
                if kind != .give {
                    warnings.append("\(f): \(DosingCheck.fmt(t)) cells delivered although the decision was \(kind.rawValue) — record a deviation")
                }
            } else if kind == .give || kind == .investigatorDecides || kind == .notEvaluable {
                complete = false
            }
            let (pt, pc) = split(basis: fractionBasis)
            out.append(Fraction(index: i, protocolDay: planned.protocolDay, percent: planned.percent,
                                plannedTotalCells: pt, plannedCarPositiveCells: pc, plannedCellsPerKg: fractionBasis / weightKg,
                                decision: kind, reason: reason, missing: missing,
                                deliveredTotalCells: deliveredT, deliveredCarPositiveCells: deliveredC))
        }
        if deliveredBasis > cap {
            warnings.append("delivered \(DosingCheck.fmt(deliveredBasis)) cells exceeds the hard limit \(DosingCheck.fmt(cap)) — report a deviation (spec §6.5)")
        }
        let perKg = deliveredBasis / weightKg
        if complete, perKg < limits.cartMinDeliveredCellsPerKg {
            warnings.append("delivered \(DosingCheck.fmt(perKg)) cells/kg is below \(DosingCheck.fmt(limits.cartMinDeliveredCellsPerKg)) cells/kg — record the reason (spec §6.5)")
        }
        let (plannedT, plannedC) = split(basis: basisTotal)
        self.init(weightKg: weightKg, targetCellsPerKg: targetCellsPerKg, doseBasis: regimen.doseBasis,
                  carPositivePercent: carPositivePercent, plannedTotalCells: plannedT, plannedCarPositiveCells: plannedC,
                  fractions: out, deliveredTotalCells: deliveredTotal, deliveredCarPositiveCells: fraction.map { deliveredTotal * $0 },
                  deliveredCellsPerKg: perKg, remainingCells: max(0, basisTotal - deliveredBasis),
                  deliveredPercentOfPlanned: deliveredBasis / basisTotal * 100, complete: complete,
                  requiresSecondPersonVerification: true, warnings: warnings)
    }
}
