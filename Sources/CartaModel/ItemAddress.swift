import Foundation

/// The address of one value, the way CDISC ODM addresses ItemData: event, form, item and repeat key.
///
/// Source: DESIGN.md §6 ("keep every value addressable by (participant, event, form, item, repeat)");
/// CDISC ODM 1.3.2 §3.1.4 (StudyEventOID, FormOID, ItemOID, repeat keys).
public struct ItemAddress: Sendable, Hashable, Codable {
    /// Study event OID (e.g. `SCREENING`).
    public var eventOID: EventOID
    /// Form OID (e.g. `LAB`).
    public var formOID: FormOID
    /// Item OID (e.g. `PLT`).
    public var itemOID: ItemOID
    /// Repeat key for repeating groups/forms; empty when not repeating.
    public var repeatKey: String

    /// Creates an address.
    ///
    /// Source: CDISC ODM 1.3.2 §3.1.4.
    public init(eventOID: EventOID, formOID: FormOID, itemOID: ItemOID, repeatKey: String = "") {
        self.eventOID = eventOID
        self.formOID = formOID
        self.itemOID = itemOID
        self.repeatKey = repeatKey
    }

    /// `EVENT/FORM/ITEM` or `EVENT/FORM/ITEM[repeat]`: the audit `field` for this value.
    public var path: String {
        "\(eventOID)/\(formOID)/\(itemOID)" + (repeatKey.isEmpty ? "" : "[\(repeatKey)]")
    }
}
