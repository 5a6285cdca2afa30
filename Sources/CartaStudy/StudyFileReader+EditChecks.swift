import CartaCore
import Foundation

extension StudyFileReader {
    /// Reads `editChecks` (optional): `softRangeQueries`, the items whose soft-range query stops from a visit on
    /// (`softRangeSkips`), and the list of declared checks, each naming an existing item of a type the check can read.
    ///
    /// Source: issue 7 scope 5 (range, cross-field and cross-visit edit checks declared in the study file).
    func readEditChecks(_ c: YAMLCursor, items: [String: ItemDefinition], schedule: StudySchedule) -> EditChecks {
        guard c.isPresent, c.mapping(known: ["softRangeQueries", "softRangeSkips", "checks"]) else { return EditChecks() }
        let softRange = c.child("softRangeQueries").bool(default: false) ?? false
        let skips = readSoftRangeSkips(c.child("softRangeSkips"), items: items, schedule: schedule, softRangeQueries: softRange)
        var ids = Set<String>()
        let checks: [EditCheck] = c.child("checks").sequence(required: false).compactMap { e in
            guard e.mapping(known: ["id", "item", "kind", "range", "op", "other", "maxFraction", "message"]) else { return nil }
            let id = oidField(e.child("id"))
            if let id, !ids.insert(id).inserted { e.child("id").problem("duplicate edit check id \"\(id)\"") }
            let itemC = e.child("item")
            let itemOID = itemC.string()
            let item = itemOID.flatMap { items[$0] }
            if let itemOID, item == nil { itemC.problem("no form has an item \"\(itemOID)\"") }
            let message = e.child("message").string() ?? ""
            let kindC = e.child("kind")
            var kind: EditCheck.Kind?
            switch kindC.string() {
            case "range":
                if let item, !item.type.isNumeric { itemC.problem("a range check needs a numeric item (\(item.oid) is \(item.type.rawValue))") }
                kind = readRange(e.child("range")).map { .range($0) }
                if !e.child("range").isPresent { e.child("range").problem("a range check needs range: {min, max}") }
            case "compare":
                let opC = e.child("op"), otherC = e.child("other")
                let op = opC.string().flatMap { text in
                    let op = EditCheck.Comparison(rawValue: text)
                    if op == nil { opC.problem("must be one of \(EditCheck.Comparison.allCases.map(\.rawValue).joined(separator: " ")) (got \(text.quotedForMessage))") }
                    return op
                }
                let otherOID = otherC.string()
                let other = otherOID.flatMap { items[$0] }
                if let otherOID, other == nil { otherC.problem("no form has an item \"\(otherOID)\"") }
                if let item, let other {
                    let bothNumbers = item.type.isNumeric && other.type.isNumeric
                    let bothDates = item.type == .date && other.type == .date
                    if !bothNumbers && !bothDates {
                        otherC.problem("\(item.oid) (\(item.type.rawValue)) and \(other.oid) (\(other.type.rawValue)) cannot be compared: use two numbers or two dates")
                    } else if bothNumbers, item.standardUnit != other.standardUnit {
                        otherC.problem("\(item.oid) is in \(item.standardUnit ?? "no unit") but \(other.oid) in \(other.standardUnit ?? "no unit")")
                    }
                }
                if let op, let otherOID { kind = .compare(op, other: otherOID) }
            case "change":
                if let item, !item.type.isNumeric { itemC.problem("a change check needs a numeric item (\(item.oid) is \(item.type.rawValue))") }
                let fC = e.child("maxFraction")
                if let f = fC.double() {
                    if f > 0 { kind = .change(maxFraction: f) } else { fC.problem("must be above 0 (e.g. 0.10 for 10 %)") }
                }
            case let other?:
                kindC.problem("unknown kind \"\(other)\"; use range, compare or change")
            case nil:
                break
            }
            guard let id, let itemOID, item != nil, let kind else { return nil }
            return EditCheck(id: id, item: itemOID, kind: kind, message: message)
        }
        return EditChecks(softRangeQueries: softRange, softRangeSkips: skips, checks: checks)
    }

    /// `softRangeSkips`: each names an item with a `softRange`, a scheduled visit after screening (from which on
    /// the item's soft-range query is not raised) and the reason, which a data manager reads in the study file.
    func readSoftRangeSkips(_ c: YAMLCursor, items: [String: ItemDefinition], schedule: StudySchedule,
                            softRangeQueries: Bool) -> [EditChecks.SoftRangeSkip] {
        guard c.isPresent else { return [] }
        if !softRangeQueries { c.problem("softRangeSkips needs softRangeQueries: true (there are no soft-range queries to skip)") }
        var seen = Set<String>()
        return c.sequence().compactMap { e in
            guard e.mapping(known: ["item", "fromVisit", "reason"]) else { return nil }
            let itemC = e.child("item"), visitC = e.child("fromVisit"), reasonC = e.child("reason")
            let itemOID = itemC.string(), visit = visitC.string(), reason = reasonC.string()  // a missing or empty reason is a problem
            if let itemOID {
                if let item = items[itemOID] {
                    if item.softRange == nil { itemC.problem("\(itemOID) has no softRange, so it raises no soft-range query to skip") }
                } else {
                    itemC.problem("no form has an item \"\(itemOID)\"")
                }
                if !seen.insert(itemOID).inserted { itemC.problem("\(itemOID) is skipped twice; give one fromVisit") }
            }
            if let visit {
                let visits = schedule.visits
                if visits.first?.id == visit {
                    visitC.problem("\(visit) is the screening visit: skipping from there means never querying the item; remove its softRange instead")
                } else if !visits.contains(where: { $0.id == visit }) {
                    visitC.problem("no scheduled visit \"\(visit)\"; use one of \(visits.dropFirst().map(\.id).joined(separator: ", "))")
                }
            }
            guard let itemOID, let visit, let reason else { return nil }
            return EditChecks.SoftRangeSkip(item: itemOID, fromVisit: visit, reason: reason)
        }
    }
}
