import CartaCore
import Foundation
import Yams

extension StudyFileReader {
    /// Reads `schedule`: unique visit ids, non-negative windows, nominal days in order, known forms.
    func readSchedule(_ c: YAMLCursor, formOIDs: Set<String>) -> StudySchedule {
        var schedule = StudySchedule(dayZero: "", visits: [])
        guard c.mapping(known: ["dayZero", "visits"]) else { return schedule }
        schedule.dayZero = c.child("dayZero").string() ?? ""
        var ids = Set<String>(), lastDay: Int?
        schedule.visits = c.child("visits").sequence().compactMap { v in
            guard v.mapping(known: ["id", "name", "day", "windowBefore", "windowAfter", "forms"]) else { return nil }
            let id = v.child("id").string()
            if let id, !ids.insert(id).inserted { v.child("id").problem("duplicate visit id \"\(id)\"") }
            let day = v.child("day").int()
            if let day, let last = lastDay, day < last { v.child("day").problem("day \(day) comes before the previous visit's day \(last); list visits in order") }
            if let day { lastDay = day }
            func window(_ key: String) -> Int {
                let w = v.child(key)
                guard let n = w.int(required: false) else { return 0 }
                if n < 0 { w.problem("must be 0 or more"); return 0 }
                return n
            }
            let name = v.child("name").string() ?? ""
            let before = window("windowBefore"), after = window("windowAfter")
            let formsC = v.child("forms")
            let forms = formsC.strings(required: false)
            for (i, f) in forms.enumerated() where !formOIDs.contains(f) {
                log.add("\(formsC.path)[\(i)]", formsC.here, "unknown form \"\(f)\"")
            }
            guard let id, let day else { return nil }
            return VisitDefinition(id: id, name: name, day: day, windowBefore: before, windowAfter: after, forms: forms)
        }
        return schedule
    }

    /// Reads `dosing`: lymphodepletion agents and the CAR-T dose plan (fractions must sum to 100%).
    func readDosing(_ c: YAMLCursor) -> DosingPlan {
        var plan = DosingPlan(lymphodepletion: [], carT: CarTDosePlan(minCellsPerKg: 0, maxCellsPerKg: 0, fractions: []))
        guard c.mapping(known: ["lymphodepletion", "carT"]) else { return plan }
        plan.lymphodepletion = c.child("lymphodepletion").sequence().compactMap { a in
            guard a.mapping(known: ["drug", "doseMgPerM2PerDay", "days"]) else { return nil }
            let doseC = a.child("doseMgPerM2PerDay"), dose = doseC.double()
            if let dose, dose <= 0 { doseC.problem("must be greater than 0") }
            let daysC = a.child("days")
            let days = daysC.sequence().compactMap { $0.int() }
            if case .sequence? = daysC.node, days.isEmpty { daysC.problem("give at least one day") }
            if days.contains(where: { $0 >= 0 }) { daysC.problem("lymphodepletion days must be before Day 0 (negative)") }
            let drug = a.child("drug").string()
            guard let drug, let dose else { return nil }
            return LymphodepletionAgent(drug: drug, doseMgPerM2PerDay: dose, days: days)
        }
        let t = c.child("carT")
        guard t.mapping(known: ["minCellsPerKg", "maxCellsPerKg", "fractions"]) else { return plan }
        let lo = t.child("minCellsPerKg").double(), hi = t.child("maxCellsPerKg").double()
        if let lo, let hi, lo <= 0 || lo > hi { t.problem("need 0 < minCellsPerKg ≤ maxCellsPerKg") }
        let fc = t.child("fractions")
        let fractions: [DoseFractionPlan] = fc.sequence().compactMap { f in
            guard f.mapping(known: ["day", "percent"]) else { return nil }
            let dayValue = f.child("day").int(), pctValue = f.child("percent").double()
            guard let day = dayValue, let pct = pctValue else { return nil }
            if day < 0 { f.child("day").problem("CAR-T fractions are given on Day 0 or later") }
            if pct <= 0 || pct > 100 { f.child("percent").problem("must be greater than 0 and at most 100") }
            return DoseFractionPlan(day: day, percent: pct)
        }
        let total = fractions.reduce(0) { $0 + $1.percent }
        if !fractions.isEmpty, abs(total - 100) > 1e-9 { fc.problem("fractions add up to \(EligibilityFormat.number(total))%, not 100%") }
        plan.carT = CarTDosePlan(minCellsPerKg: lo ?? 0, maxCellsPerKg: hi ?? 0, fractions: fractions)
        return plan
    }

    /// Reads `endpoints`: the registry outcome measures, unique ids.
    func readEndpoints(_ c: YAMLCursor) -> [Endpoint] {
        var ids = Set<String>()
        return c.sequence().compactMap { e in
            guard e.mapping(known: ["id", "title", "timeFrame", "description"]) else { return nil }
            let id = e.child("id").string()
            if let id, !ids.insert(id).inserted { e.child("id").problem("duplicate endpoint id \"\(id)\"") }
            let title = e.child("title").string(), frame = e.child("timeFrame").string()
            let description = e.child("description").string(required: false)
            guard let id, let title, let frame else { return nil }
            return Endpoint(id: id, title: title, timeFrame: frame, description: description)
        }
    }
}
