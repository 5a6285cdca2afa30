import CartaCore
import Foundation

extension StudyFileReader {
    /// Reads `editChecks` (optional): `softRangeQueries` and the list of declared checks, each naming an
    /// existing item of a type the check can read.
    ///
    /// Source: issue 7 scope 5 (range, cross-field and cross-visit edit checks declared in the study file).
    func readEditChecks(_ c: YAMLCursor, items: [String: ItemDefinition]) -> EditChecks {
        guard c.isPresent, c.mapping(known: ["softRangeQueries", "checks"]) else { return EditChecks() }
        let softRange = c.child("softRangeQueries").bool(default: false) ?? false
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
        return EditChecks(softRangeQueries: softRange, checks: checks)
    }
}
