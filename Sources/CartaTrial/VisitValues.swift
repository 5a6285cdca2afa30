import CartaCore
import CartaModel

/// A participant's recorded values indexed event → form → item, built once and read by every derivation
/// of the course (the chain, the toxicity course, the course record), so a whole-study pass hashes the short
/// OIDs of each value once rather than building a "visit/form/item" key string per value and per lookup in
/// each reader (three such indexes were most of a participant's derivation time: BENCHMARKS.md, issue 9).
/// Empty texts are left out: every reader treats an empty text as not recorded. Pure: read from values.
public struct VisitValues: Sendable {
    private var byEvent: [String: [String: [String: MeasuredValue]]] = [:]

    public init(_ values: [ItemValue]) {
        // Values mostly come in key order (event, form, item), so one form's items are gathered and stored with
        // one look-up of their event and form; an address seen again later still replaces the earlier value.
        var event = "", form = "", items: [String: MeasuredValue] = [:]
        func store() {
            guard !items.isEmpty else { return }
            byEvent[event, default: [:]][form, default: [:]].merge(items) { _, later in later }
            items.removeAll(keepingCapacity: true)
        }
        for v in values {
            guard let m = v.value, !m.text.isEmpty else { continue }
            let e = v.address.eventOID.rawValue, f = v.address.formOID.rawValue
            if e != event || f != form { store(); event = e; form = f }
            items[v.address.itemOID.rawValue] = m
        }
        store()
    }

    /// The forms of an event (a visit id, or `SCREENING`) that record at least one value, nil when none does.
    public func forms(of event: String) -> [String: [String: MeasuredValue]]? { byEvent[event] }

    public func value(_ event: String, _ form: String, _ item: String) -> MeasuredValue? { byEvent[event]?[form]?[item] }
    public func text(_ event: String, _ form: String, _ item: String) -> String? { value(event, form, item)?.text }
    public func date(_ event: String, _ form: String, _ item: String) -> ClinicalDate? { text(event, form, item).flatMap(ClinicalDate.init(iso:)) }
}
