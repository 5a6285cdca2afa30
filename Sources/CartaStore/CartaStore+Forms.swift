import Foundation
import SQLKit

extension CartaStore {
    /// Saves the values of several forms of one event in ONE transaction after one optimistic
    /// version check; audits each changed field; bumps the version once.
    ///
    /// Source: issue 2 scope 3–4 ("every change and its audit record commit in one transaction";
    /// the screening page saves all screening forms with one button). Same rules as `saveItems`.
    public func saveForms(participantID: ParticipantID, eventOID: String, forms: [(formOID: String, values: [ItemValueInput])],
                          expectedVersion: Int, reason: String?, actor: AuditActor) async throws -> Participant {
        var seen = Set<String>()
        for (formOID, values) in forms {
            for v in values where !seen.insert(formOID + "\u{0}" + v.itemOID + "\u{0}" + v.repeatKey).inserted {
                throw StoreError(.constraint, "item \(v.itemOID) appears twice in one save")
            }
        }
        let at = now()
        let atText = StoreTimestamp.string(at)
        return try await write { db in
            var p = try await Self.lockedParticipant(db, participantID, expectedVersion: expectedVersion)
            var changes: [AuditChange] = []
            for (formOID, values) in forms {
                for input in values {
                    changes += try await Self.upsertItem(db, participantID, ItemAddress(
                        eventOID: eventOID, formOID: formOID, itemOID: input.itemOID, repeatKey: input.repeatKey),
                        input, at: atText, by: actor.username)
                }
            }
            guard !changes.isEmpty else { return p }
            try await Self.appendAudit(db, actor: actor, at: atText, reason: reason, changes)
            try await Self.bumpVersion(db, p, at: atText, by: actor.username)
            p.version += 1
            p.updatedAt = at
            p.updatedBy = actor.username
            return p
        }
    }

    /// Inserts or updates one value and returns its audit changes (none when nothing differs).
    static func upsertItem(_ db: any SQLDatabase, _ participantID: ParticipantID, _ address: ItemAddress,
                           _ input: ItemValueInput, at atText: String, by username: String) async throws -> [AuditChange] {
        let old = try await itemRow(db, participantID, address)
        let fieldChanges = diff(old: old, new: input, field: address.path, participantID: participantID)
        guard !fieldChanges.isEmpty else { return [] }
        if old == nil {
            try await db.insert(into: "item_values")
                .columns("participant_id", "event_oid", "form_oid", "item_oid", "repeat_key", "value_text",
                         "unit_entered", "value_standard", "unit_standard", "lower_limit_normal",
                         "upper_limit_normal", "updated_at", "updated_by")
                .values(participantID.rawValue, address.eventOID, address.formOID, input.itemOID, input.repeatKey, input.valueText,
                        input.unitEntered, input.valueStandard, input.unitStandard, input.lowerLimitNormal,
                        input.upperLimitNormal, atText, username)
                .run()
        } else {
            try await db.update("item_values")
                .set("value_text", to: input.valueText).set("unit_entered", to: input.unitEntered)
                .set("value_standard", to: input.valueStandard).set("unit_standard", to: input.unitStandard)
                .set("lower_limit_normal", to: input.lowerLimitNormal)
                .set("upper_limit_normal", to: input.upperLimitNormal)
                .set("updated_at", to: atText).set("updated_by", to: username)
                .where("participant_id", .equal, participantID.rawValue).where("event_oid", .equal, address.eventOID)
                .where("form_oid", .equal, address.formOID).where("item_oid", .equal, input.itemOID)
                .where("repeat_key", .equal, input.repeatKey)
                .run()
        }
        return fieldChanges
    }
}
