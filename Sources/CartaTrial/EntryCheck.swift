import CartaCore
import CartaModel
import CartaStudy

/// The check of one raw entry against its item definition: skip it, refuse it with field problems,
/// or accept it as a measured value with soft-range warnings.
///
/// Source: issue 2 scope 6 ("every value is checked server-side against the study file: type, unit,
/// hard limit → error naming the field; soft range → warning"); spec/clinical.md §10.3.
enum EntryCheck {
    case skip
    case failed([WorkflowError.FieldProblem])
    case ok(ItemValueInput, warnings: [String])

    /// Checks one entry: the value by the item's type, unit and ranges; the reference limits as numbers.
    ///
    /// A value that changes and looks like a unit slip (`ItemDefinition.unitHold`: outside the expected range
    /// but ordinary in another unit, or the last value `previous` read in another unit) is held — refused
    /// under `confirm.<OID>` naming the likely unit — until the entry comes back `confirmed`.
    static func check(_ item: ItemDefinition, _ entry: ScreeningService.RawEntry, saved: MeasuredValue?,
                      previous: (value: MeasuredValue, where: String)? = nil) -> EntryCheck {
        let hadValue = saved != nil
        let raw = entry.value.trimmedOfWhitespace()
        let unit = entry.unit?.trimmedOfWhitespace(newlines: false)
        if raw.isEmpty {
            if item.required && hadValue {
                return .failed([.init(field: "item.\(item.oid)", message: "\(item.label) is required and cannot be cleared; enter the corrected value.")])
            }
            // Clearing a stored value is a change (audited); a blank that was blank is nothing.
            return hadValue ? .ok(ItemValueInput(itemOID: ItemOID(item.oid), value: nil), warnings: []) : .skip
        }
        switch item.check(raw: raw, unit: unit?.isEmpty == false ? unit : nil) {
        case .invalid(let message):
            return .failed([.init(field: "item.\(item.oid)", message: message)])
        case .valid(let value, let w):
            var errors: [WorkflowError.FieldProblem] = []
            var lln: Double?, uln: Double?
            if item.collectsReferenceRange {
                for (name, text) in [("lln", entry.lowerLimitNormal), ("uln", entry.upperLimitNormal)] {
                    let t = (text ?? "").trimmedOfWhitespace(newlines: false)
                    guard !t.isEmpty else { continue }
                    guard let x = Double(t), x.isFinite, x >= 0 else {
                        errors.append(.init(field: "\(name).\(item.oid)", message: "\(item.label): the \(name == "lln" ? "lower" : "upper") limit of normal must be a non-negative number (got \(t.quotedForMessage))."))
                        continue
                    }
                    if name == "lln" { lln = x } else { uln = x }
                }
                if let lo = lln, let hi = uln, lo > hi {
                    errors.append(.init(field: "lln.\(item.oid)", message: "\(item.label): the lower limit of normal \(lo) is above the upper limit \(hi)."))
                }
            }
            guard errors.isEmpty else { return .failed(errors) }
            if entry.confirmed != true, value.text != saved?.text || value.unit != saved?.unit,
               let held = item.unitHold(value, previous: previous?.value, previousWhere: previous?.where) {
                let typed = value.number.map { EligibilityFormat.quantity($0, value.unit ?? "") } ?? value.text
                return .failed([.init(field: "confirm.\(item.oid)", message: "\(held) Nothing was saved: correct the unit, or confirm that \(typed) is right as typed.")])
            }
            return .ok(ItemValueInput(itemOID: ItemOID(item.oid), value: value.withReferenceRange(lower: lln, upper: uln)), warnings: w)
        }
    }
}
