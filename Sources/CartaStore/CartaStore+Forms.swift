import CartaModel
import Foundation
import SQLKit

extension CartaStore {
    /// Saves the values of several forms of one event in ONE transaction after one optimistic
    /// version check; audits each changed field; bumps the version once.
    ///
    /// Source: issue 2 scope 3–4 ("every change and its audit record commit in one transaction";
    /// the screening page saves all screening forms with one button). Same rules as `saveItems`.
    public func saveForms(participantID: ParticipantID, eventOID: EventOID, forms: [(formOID: FormOID, values: [ItemValueInput])],
                          expectedVersion: Int, reason: String?, actor: AuditActor,
                          allowed: Set<ParticipantStatus> = [.screening],
                          editCheckFindings: [EditCheckFinding]? = nil, deviceEnteredAt: String? = nil) async throws -> Participant {
        var seen = Set<String>()
        for (formOID, values) in forms {
            for v in values where !seen.insert(formOID.rawValue + "\u{0}" + v.itemOID.rawValue + "\u{0}" + v.repeatKey).inserted {
                throw StoreError(.constraint, "item \(v.itemOID) appears twice in one save")
            }
        }
        return try await mutateParticipant(participantID, expectedVersion: expectedVersion, allowed: allowed,
                                           action: "change \(eventOID) data", reason: reason, actor: actor) { m in
            // A database or casebook lock refused any save before this body (`mutateParticipant`); a form lock refuses only
            // a save that changes that form — a page posts every form of its visit, and the blank or unchanged fields of a
            // locked form held up the others.
            var changed = Set<ItemAddress>()
            for (formOID, values) in forms {
                for input in values {
                    let address = ItemAddress(eventOID: eventOID, formOID: formOID, itemOID: input.itemOID, repeatKey: input.repeatKey)
                    let changes = try await Self.upsertItem(m.db, participantID, address, input, at: m.atText, by: actor.username,
                                                            saveReason: reason)
                    if !changes.isEmpty { changed.insert(address) }
                    m.record(changes)
                }
            }
            // Thrown inside the transaction: the writes above roll back with it.
            try Self.refuseIfLocked(m.locks, participant: m.before, forms: Array(Set(changed.map(\.formOID))))
            // Data captured offline: the device's entry time is kept beside the server's receipt time (the record's `at`).
            if let deviceEnteredAt, !changed.isEmpty {
                m.record([AuditChange(entity: .deviceEntry, entityID: participantID.rawValue,
                                      field: "\(eventOID)/" + forms.map(\.formOID.rawValue).joined(separator: ","),
                                      oldValue: nil, newValue: deviceEnteredAt)])
            }
            // The edit checks' queries are raised and resolved in the same transaction as the values they read.
            if let editCheckFindings {
                m.record(try await Self.applyEditChecks(m.db, participantID, findings: editCheckFindings, changed: changed, at: m.atText))
            }
        }.participant
    }

    /// Inserts or updates one value and returns its audit changes (none when nothing differs).
    static func upsertItem(_ db: any SQLDatabase, _ participantID: ParticipantID, _ address: ItemAddress,
                           _ input: ItemValueInput, at atText: String, by username: String,
                           saveReason: String?) async throws -> [AuditChange] {
        let old = try await itemRow(db, participantID, address)
        var fieldChanges = diff(old: old, new: input, field: address.path, participantID: participantID)
        guard !fieldChanges.isEmpty else { return [] }
        // A saved value changes only with a reason (issue 7 scope 3; ICH E6(R3) 4.2.4): the last line of
        // defence behind the application layer, so no path (import, script) can skip it.
        if old?.value != nil {
            guard let reason = input.reason ?? saveReason, !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw StoreError(.constraint, "changing the saved value of \(address.path) needs a reason for change; nothing was saved")
            }
            for i in fieldChanges.indices { fieldChanges[i].reason = reason }
        }
        let v = input.value
        if old == nil {
            try await db.insert(into: "item_values")
                .columns("participant_id", "event_oid", "form_oid", "item_oid", "repeat_key", "value_text",
                         "unit_entered", "value_standard", "unit_standard", "lower_limit_normal",
                         "upper_limit_normal", "updated_at", "updated_by")
                .values(participantID.rawValue, address.eventOID.rawValue, address.formOID.rawValue, input.itemOID.rawValue,
                        input.repeatKey, v?.text, v?.unit, v?.standardValue, v?.standardUnit, v?.lowerLimitNormal,
                        v?.upperLimitNormal, atText, username)
                .run()
        } else {
            try await db.update("item_values")
                .set("value_text", to: v?.text).set("unit_entered", to: v?.unit)
                .set("value_standard", to: v?.standardValue).set("unit_standard", to: v?.standardUnit)
                .set("lower_limit_normal", to: v?.lowerLimitNormal)
                .set("upper_limit_normal", to: v?.upperLimitNormal)
                .set("updated_at", to: atText).set("updated_by", to: username)
                .where("participant_id", .equal, participantID.rawValue).where("event_oid", .equal, address.eventOID.rawValue)
                .where("form_oid", .equal, address.formOID.rawValue).where("item_oid", .equal, input.itemOID.rawValue)
                .where("repeat_key", .equal, input.repeatKey)
                .run()
        }
        return fieldChanges
    }
}
