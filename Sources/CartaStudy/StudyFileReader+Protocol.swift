import CartaCore
import Foundation
import Yams

extension StudyFileReader {
    /// Reads `schedule`: unique visit ids, non-negative windows, nominal days in order, known forms.
    func readSchedule(_ c: YAMLCursor, formOIDs: Set<String>) -> StudySchedule {
        var schedule = StudySchedule(dayZero: "", visits: [])
        guard c.mapping(known: ["dayZero", "infusionAfterLymphodepletion", "visits"]) else { return schedule }
        schedule.dayZero = c.child("dayZero").string() ?? ""
        let interval = c.child("infusionAfterLymphodepletion")
        if interval.isPresent, interval.mapping(known: ["minDays", "maxDays"]),
           let lo = interval.child("minDays").int(), let hi = interval.child("maxDays").int() {
            if lo < 0 || hi < lo { interval.problem("needs 0 ≤ minDays ≤ maxDays (got \(lo) and \(hi))") }
            schedule.infusionAfterLymphodepletion = DayInterval(minDays: lo, maxDays: hi)
        }
        var ids = Set<String>(), lastDay: Int?
        schedule.visits = c.child("visits").sequence().compactMap { v in
            guard v.mapping(known: ["id", "name", "kind", "day", "windowBefore", "windowAfter", "forms"]) else { return nil }
            let kind = v.child("kind").choice(VisitKind.self, required: false) ?? .visit
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
            // A form is collected once per visit: its values are stored by visit, form and item, so a second listing
            // would only show the same entries twice (and count a fraction twice).
            for (i, f) in forms.enumerated() {
                if let first = forms[..<i].firstIndex(of: f) {
                    log.add("\(formsC.path)[\(i)]", formsC.here, "form \"\(f)\" is already listed at \(formsC.path)[\(first)]; a visit collects each form once")
                }
            }
            guard let id, let day else { return nil }
            return VisitDefinition(id: id, name: name, kind: kind, day: day, windowBefore: before, windowAfter: after, forms: forms)
        }
        return schedule
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
