import CartaModel
import Foundation
import SQLKit

extension CartaStore {
    /// Saves one form's values after an optimistic version check; audits each changed field; bumps the version.
    ///
    /// Source: issue 2 scope 3–4 and "Bad input". Stale `expectedVersion` → `StoreError.conflict` naming who changed
    /// the participant and when; nothing is written. Values identical to the stored ones write nothing; if nothing
    /// changed at all the participant is returned unchanged (same version).
    public func saveItems(participantID: ParticipantID, eventOID: EventOID, formOID: FormOID, values: [ItemValueInput],
                          expectedVersion: Int, reason: String?, actor: AuditActor) async throws -> Participant {
        try await saveForms(participantID: participantID, eventOID: eventOID, forms: [(formOID: formOID, values: values)],
                            expectedVersion: expectedVersion, reason: reason, actor: actor)
    }

    /// Every stored value of a participant, ordered by event, form, item and repeat key.
    ///
    /// Source: issue 2 scope 6.
    public func itemValues(participantID: ParticipantID) async throws -> [ItemValue] {
        try await read { db in
            try await db.select().column("*").from("item_values").where("participant_id", .equal, participantID.rawValue)
                .orderBy("event_oid").orderBy("form_oid").orderBy("item_oid").orderBy("repeat_key")
                .all().map(Self.itemValue(from:))
        }
    }

    static func itemRow(_ db: any SQLDatabase, _ id: ParticipantID, _ a: ItemAddress) async throws -> ItemValue? {
        try await db.select().column("*").from("item_values").where("participant_id", .equal, id.rawValue)
            .where("event_oid", .equal, a.eventOID.rawValue).where("form_oid", .equal, a.formOID.rawValue)
            .where("item_oid", .equal, a.itemOID.rawValue).where("repeat_key", .equal, a.repeatKey)
            .first().map(itemValue(from:))
    }

    /// The audit changes between a stored value and an input (one per differing attribute).
    static func diff(old: ItemValue?, new: ItemValueInput, field: String, participantID: ParticipantID) -> [AuditChange] {
        func num(_ d: Double?) -> String? { d.map { String(describing: $0) } }
        let a = old?.value, b = new.value
        let pairs: [(ItemValuePart?, String?, String?)] = [
            (nil, a?.text, b?.text),
            (.unit, a?.unit, b?.unit),
            (.standard, num(a?.standardValue), num(b?.standardValue)),
            (.standardUnit, a?.standardUnit, b?.standardUnit),
            (.lln, num(a?.lowerLimitNormal), num(b?.lowerLimitNormal)),
            (.uln, num(a?.upperLimitNormal), num(b?.upperLimitNormal)),
        ]
        return pairs.compactMap { part, before, after in
            before == after ? nil : AuditChange(entity: .itemValue, entityID: participantID.rawValue,
                                                field: field + (part.map { ":" + $0.rawValue } ?? ""),
                                                oldValue: before, newValue: after)
        }
    }

    static func itemValue(from row: any SQLRow) throws -> ItemValue {
        var v = try passValueWithLimits(from: row)
        v.updatedAt = try date(row, "updated_at")
        v.updatedBy = try row.decode(column: "updated_by", as: String.self)
        return v
    }

    /// An item value with its reference limits (the CTCAE lab grades need them), without its change stamp.
    static func passValueWithLimits(from row: any SQLRow) throws -> ItemValue {
        var v = try passValue(from: row)
        v.value?.lowerLimitNormal = try row.decode(column: "lower_limit_normal", as: Double?.self)
        v.value?.upperLimitNormal = try row.decode(column: "upper_limit_normal", as: Double?.self)
        return v
    }

    /// An item value without its change stamp or reference limits: what a whole-study pass reads
    /// (`participantFiles(…afterSequence:…)`), where parsing a timestamp per value was most of the cost.
    static func passValue(from row: any SQLRow) throws -> ItemValue {
        ItemValue(
            participantID: ParticipantID(rawValue: try row.decode(column: "participant_id", as: String.self)),
            address: ItemAddress(eventOID: EventOID(try row.decode(column: "event_oid", as: String.self)),
                                 formOID: FormOID(try row.decode(column: "form_oid", as: String.self)),
                                 itemOID: ItemOID(try row.decode(column: "item_oid", as: String.self)),
                                 repeatKey: try row.decode(column: "repeat_key", as: String.self)),
            value: try row.decode(column: "value_text", as: String?.self).map { text in
                MeasuredValue(text: text, unit: try row.decode(column: "unit_entered", as: String?.self),
                              standardValue: try row.decode(column: "value_standard", as: Double?.self),
                              standardUnit: try row.decode(column: "unit_standard", as: String?.self))
            },
            updatedAt: Date(timeIntervalSince1970: 0), updatedBy: "")
    }
}
