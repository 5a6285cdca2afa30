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
        // Values mostly come in key order (event, form, item), so one form's items are gathered in a dictionary of
        // their own and stored whole, and one event's forms likewise: an event and a form are looked up once per run
        // of values, not once per value. Out of order (an event or form seen again later), the runs are merged and
        // an address seen again still replaces the earlier value.
        var event = "", form = "", items: [String: MeasuredValue] = [:], forms: [String: [String: MeasuredValue]] = [:]
        func storeForm() {
            guard !items.isEmpty else { return }
            if forms[form] == nil { forms[form] = items } else { forms[form]!.merge(items) { _, later in later } }
            items = [:]
        }
        func storeEvent() {
            storeForm()
            guard !forms.isEmpty else { return }
            if byEvent[event] == nil {
                byEvent[event] = forms
            } else {
                for (f, its) in forms { byEvent[event]![f, default: [:]].merge(its) { _, later in later } }
            }
            forms = [:]
        }
        for i in values.indices {
            guard let m = values[i].value, !m.text.isEmpty else { continue }
            let address = values[i].address
            if address.eventOID.rawValue != event { storeEvent(); event = address.eventOID.rawValue; form = address.formOID.rawValue }
            else if address.formOID.rawValue != form { storeForm(); form = address.formOID.rawValue }
            items[address.itemOID.rawValue] = m
        }
        storeEvent()
    }

    /// The forms of an event (a visit id, or `SCREENING`) that record at least one value, nil when none does.
    public func forms(of event: String) -> [String: [String: MeasuredValue]]? { byEvent[event] }

    public func value(_ event: String, _ form: String, _ item: String) -> MeasuredValue? { byEvent[event]?[form]?[item] }
    public func text(_ event: String, _ form: String, _ item: String) -> String? { value(event, form, item)?.text }
    public func date(_ event: String, _ form: String, _ item: String) -> ClinicalDate? { text(event, form, item).flatMap(ClinicalDate.init(iso:)) }
}
