/// Calculator `conmed-reduction`: dose-intensity reduction and discontinuation of concomitant ITP drugs.
///
/// Source: spec/clinical.md §9.2 (prednisone equivalents), §9.3 (outcome 6 definitions);
/// docs/calculators/conmed-reduction.md.
public enum ConmedReductionCalculator: Calculator {
    /// Calculator name for `carta compute` and the API path.
    public static let name = "conmed-reduction"
    /// One-line description.
    public static let summary = "Concomitant ITP therapy: dose intensity vs baseline, ≥25%/≥50% reduction, discontinuation"

    /// Computes per-drug results and the participant summary.
    public static func compute(_ input: Input) throws -> Output {
        try input.settings.validate()
        let d0 = input.day0Date
        if let ld = input.lymphodepletionStartDate, ld >= d0 {
            throw CalculatorError.invalid("lymphodepletionStartDate", "must be before day0Date \(d0)")
        }
        let ldDay = input.lymphodepletionStartDate.map { d0.days(to: $0) } ?? input.settings.lymphodepletionStartDay
        let lastDay: Int
        if let c = input.dataCutoffDate {
            guard c >= d0 else { throw CalculatorError.invalid("dataCutoffDate", "must not be before day0Date \(d0)") }
            lastDay = min(d0.days(to: c), input.settings.month6Day)
        } else { lastDay = input.settings.month6Day }

        var drugs: [Output.DrugResult] = []
        var seen: [String: Int] = [:]
        for (i, d) in input.drugs.enumerated() {
            let f = "drugs[\(i)]"
            let drug = try ITPDrug.named(d.drug, field: "\(f).drug")
            if let j = seen[drug.name] {
                throw CalculatorError.invalid("\(f).drug", "\(drug.name) is listed twice (also drugs[\(j)]); give one entry per drug")
            }
            seen[drug.name] = i
            if drug.doseUnit != "native" && d.doseUnit != drug.doseUnit {
                throw CalculatorError(code: "unknown_unit", message: "\(f).doseUnit: \(drug.name) doses must be recorded in \(drug.doseUnit), got \"\(d.doseUnit)\"", field: "\(f).doseUnit")
            }
            var intervals: [DoseInterval] = []
            for (k, x) in d.doses.enumerated() {
                let g = "\(f).doses[\(k)]"
                if x.endDate < x.startDate { throw CalculatorError.invalid("\(g).endDate", "\(x.endDate) is before startDate \(x.startDate)") }
                guard x.dose.isFinite, x.dose >= 0 else { throw CalculatorError.outOfRange("\(g).dose", "must be a finite dose ≥ 0 \(d.doseUnit)") }
                if k > 0, x.startDate <= d.doses[k - 1].endDate {
                    throw CalculatorError.invalid("\(g).startDate", "\(x.startDate) overlaps or precedes \(f).doses[\(k - 1)] (ends \(d.doses[k - 1].endDate)); doses must be sorted, non-overlapping intervals")
                }
                intervals.append(DoseInterval(startDay: d0.days(to: x.startDate), endDay: d0.days(to: x.endDate),
                                              intensity: x.dose * drug.intensityFactor))
            }
            let r = DoseReduction.evaluate(intervals, ldDay: ldDay, lastDay: lastDay, settings: input.settings)
            drugs.append(Output.DrugResult(drug: drug.name, drugClass: drug.drugClass, intensityUnit: drug.intensityUnit, result: r, day0: d0))
        }
        let atBaseline = drugs.filter { $0.baselineIntensity > 0 }.count
        let month6: Int? = lastDay >= input.settings.month6Day ? drugs.filter { $0.takenAtMonth6 == true }.count : nil
        return Output(
            drugs: drugs,
            anyReduction: drugs.contains { $0.reduction != nil },
            anySecondaryReduction: drugs.contains { $0.secondaryReduction != nil },
            anyDiscontinuation: drugs.contains { $0.discontinuation != nil },
            treatmentFailure: drugs.contains { $0.increased || $0.newDrug },
            drugsAtBaseline: atBaseline, drugsAtMonth6: month6,
            changeInDrugCount: month6.map { $0 - atBaseline },
            prednisoneEquivalenceTable: Corticosteroid.tableVersion, settings: input.settings)
    }
}
