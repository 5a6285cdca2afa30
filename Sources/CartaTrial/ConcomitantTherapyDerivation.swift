import CartaCore
import CartaModel

/// Concomitant ITP therapy (registry outcome CONMED) from the regimens recorded at visits, through the
/// `conmed-reduction` calculator. Each record lists the whole regimen at its visit and holds until the
/// next record; the first record, taken at lymphodepletion, is the baseline regimen of the 4 weeks before.
/// Incomplete or contradictory records are refused with the reason, never guessed.
///
/// Source: spec/clinical.md §9.2 (prednisone equivalents), §9.3 (baseline = last 4 weeks before LD;
/// reduction ≥ 25 % / ≥ 50 % sustained ≥ 4 weeks; discontinuation; % change at months 3 and 6;
/// item 5: an increase or a new ITP drug after Day 0 is a treatment failure).
enum ConcomitantTherapyDerivation {
    struct Result {
        var outcome: StudyOutcomes.ConcomitantTherapy?
        var steroidDose: [StudyOutcomes.DosePoint] = []
        var problems: [String] = []
    }

    /// A checked entry of a record.
    struct Entry {
        var drug: ITPDrug
        var dose: Double
        var unit: String
    }

    /// `finalVisit`: the schedule's last visit (Month 6); a regimen recorded there stands for month 6, as the
    /// response's month-6 status is the assessment nearest Day 183 within that visit's window.
    static func derive(_ r: ParticipantCourseRecord, settings: ConmedSettings, finalVisit: String?) -> Result {
        guard let d0 = r.chain.dayZero else { return Result() }
        let form = ParticipantCourseRecord.conmedForm
        guard !r.conmedRecords.isEmpty else {
            return Result(problems: ["No concomitant ITP therapy recorded (\(form)): the concomitant-therapy outcome is not derived."])
        }
        guard let ld = r.chain.lymphodepletionDates.values.min(), let first = r.conmedRecords.first, first.source.date <= ld else {
            return Result(problems: ["No baseline ITP regimen (\(form) on or before the first lymphodepletion day): the concomitant-therapy outcome is not derived, since every later drug would count as new."])
        }
        var checked: [[Entry]] = []
        var units: [String: String] = [:]
        for record in r.conmedRecords {
            let at = "\(record.source.visitID) \(form)"
            if !record.any {
                if !record.entries.isEmpty { return refused("\(at) says no ITP medication but lists medicine \(record.entries[0].slot)") }
                checked.append([]); continue
            }
            if record.entries.isEmpty { return refused("\(at) says ITP medication is taken but lists none") }
            var entries: [Entry] = []
            for e in record.entries {
                let slot = "\(at) medicine \(e.slot)"
                guard let name = e.drug, let dose = e.dose, let unit = e.unit else {
                    return refused("\(slot) lacks its \(e.drug == nil ? "drug" : e.dose == nil ? "dose" : "unit")")
                }
                guard let drug = try? ITPDrug.named(name, field: "CM\(e.slot)_DRUG") else { return refused("\(slot): unknown ITP drug \"\(name)\"") }
                if drug.doseUnit != "native", unit != drug.doseUnit {
                    return refused("\(slot): \(drug.name) is recorded in \(unit), but its dose must be in \(drug.doseUnit) (spec §9.3 item 1)")
                }
                if let u = units[drug.name], u != unit {
                    return refused("\(slot): \(drug.name) is recorded in \(unit) here and in \(u) elsewhere; record one unit throughout")
                }
                if entries.contains(where: { $0.drug.name == drug.name }) { return refused("\(slot): \(drug.name) is listed twice") }
                units[drug.name] = unit
                entries.append(Entry(drug: drug, dose: dose, unit: unit))
            }
            checked.append(entries)
        }
        var cutoff = r.chain.visitDates.values.max() ?? d0
        if let finalVisit, r.conmedRecords.contains(where: { $0.source.visitID == finalVisit }) {
            cutoff = max(cutoff, d0.adding(days: settings.month6Day))
        }
        // Record k holds from its date (the first from the start of the baseline window) to the day before record k + 1.
        let starts = r.conmedRecords.enumerated().map { k, x in k == 0 ? min(x.source.date, ld.adding(days: -settings.baselineWindowDays)) : x.source.date }
        var doses: [String: [ConmedReductionCalculator.Input.Dose]] = [:]
        var steroid: [StudyOutcomes.DosePoint] = []
        for (k, entries) in checked.enumerated() {
            let end = k + 1 < starts.count ? starts[k + 1].adding(days: -1) : cutoff
            guard end >= starts[k] else { continue }
            for e in entries { doses[e.drug.name, default: []].append(.init(startDate: starts[k], endDate: end, dose: e.dose)) }
            let mg = entries.filter { $0.drug.drugClass == .corticosteroid }.reduce(0.0) { $0 + $1.dose * $1.drug.intensityFactor }
            if steroid.last?.mgPerDay != mg { steroid.append(.init(day: d0.days(to: starts[k]), mgPerDay: (mg * 10).rounded() / 10)) }
        }
        if let last = steroid.last, d0.days(to: cutoff) > last.day { steroid.append(.init(day: d0.days(to: cutoff), mgPerDay: last.mgPerDay)) }
        let drugs = units.keys.sorted().map { ConmedReductionCalculator.Input.Drug(drug: $0, doseUnit: units[$0]!, doses: doses[$0] ?? []) }
        let output: ConmedReductionCalculator.Output
        do {
            output = try ConmedReductionCalculator.compute(.init(day0Date: d0, lymphodepletionStartDate: ld, dataCutoffDate: cutoff, drugs: drugs, settings: settings))
        } catch {
            return refused("the conmed-reduction calculator refused the regimen: \(error)")
        }
        func day(_ d: ClinicalDate?) -> Int? { d.map { d0.days(to: $0) } }
        let outcomes = output.drugs.map { x in
            StudyOutcomes.DrugOutcome(drug: x.drug, drugClass: x.drugClass.rawValue, intensityUnit: x.intensityUnit, baselineIntensity: x.baselineIntensity,
                                      reductionDay: day(x.reduction), secondaryReductionDay: day(x.secondaryReduction), discontinuationDay: day(x.discontinuation),
                                      daysOff: x.daysOff, daysReduced: x.daysReduced, percentChangeMonth3: x.percentChangeMonth3, percentChangeMonth6: x.percentChangeMonth6,
                                      increased: x.increased, newDrug: x.newDrug)
        }
        let steroidBaseline = output.drugs.filter { $0.drugClass == .corticosteroid }.reduce(0.0) { $0 + $1.baselineIntensity }
        func steroidChange(_ protocolDay: Int) -> Double? {
            guard steroidBaseline > 0, protocolDay <= d0.days(to: cutoff), let step = steroid.last(where: { $0.day <= protocolDay }) else { return nil }
            return ((step.mgPerDay - steroidBaseline) / steroidBaseline * 10_000).rounded() / 100
        }
        var problems: [String] = []
        if output.treatmentFailure, r.rescues.isEmpty {
            let what = outcomes.filter { $0.increased || $0.newDrug }.map { "\($0.drug) \($0.newDrug ? "started" : "increased")" }.joined(separator: ", ")
            problems.append("Concomitant ITP therapy after Day 0 (\(what)) is a treatment failure (spec §9.3 item 5), but no rescue therapy is recorded on \(ParticipantCourseRecord.rescueForm); the response is not censored for it — check the rescue form.")
        }
        return Result(outcome: .init(drugs: outcomes, anyReduction: output.anyReduction, anySecondaryReduction: output.anySecondaryReduction,
                                     anyDiscontinuation: output.anyDiscontinuation, treatmentFailure: output.treatmentFailure,
                                     drugsAtBaseline: output.drugsAtBaseline, drugsAtMonth6: output.drugsAtMonth6,
                                     steroidBaselineMgPerDay: (steroidBaseline * 10).rounded() / 10,
                                     steroidPercentChangeMonth3: steroidChange(settings.month3Day), steroidPercentChangeMonth6: steroidChange(settings.month6Day),
                                     equivalenceTable: output.prednisoneEquivalenceTable),
                      steroidDose: steroid, problems: problems)
    }

    static func refused(_ why: String) -> Result {
        Result(problems: ["Concomitant therapy not derived: \(why)."])
    }
}
