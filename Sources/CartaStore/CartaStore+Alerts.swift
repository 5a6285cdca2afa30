import CartaModel
import Foundation
import SQLKit

extension CartaStore {
    /// Records that `actor` acknowledged the alert `key` of a participant, with its text as shown and an
    /// optional note; audited in the same transaction. An alert is acknowledged once (`conflict` after).
    ///
    /// Source: issue 8 scope 9 ("alerts stay listed until a person acknowledges them").
    public func acknowledgeAlert(participantID: ParticipantID, key: String, text: String, note: String?,
                                 actor: AuditActor, at date: Date) async throws {
        let at = StoreTimestamp.string(StoreTimestamp.truncated(date))
        try await write { db in
            let existing = try await db.select().column("acknowledged_by").from("alert_acknowledgements")
                .where("participant_id", .equal, participantID.rawValue).where("alert_key", .equal, key).first()
            if let existing {
                throw StoreError(.conflict, "this alert was already acknowledged by \(try existing.decode(column: "acknowledged_by", as: String.self))")
            }
            try await db.insert(into: "alert_acknowledgements")
                .columns("participant_id", "alert_key", "alert_text", "acknowledged_by", "acknowledged_at", "note")
                .values(participantID.rawValue, key, text, actor.username, at, note)
                .run()
            try await Self.appendAudit(db, actor: actor, at: at, reason: note, [
                AuditChange(entity: .alert, entityID: participantID.rawValue, field: key, oldValue: nil, newValue: "acknowledged: \(text)"),
            ])
        }
    }

    /// The acknowledged alert keys of the given participants (one statement).
    public func acknowledgedAlerts(participantIDs: [ParticipantID]) async throws -> [ParticipantID: Set<String>] {
        guard !participantIDs.isEmpty else { return [:] }
        return try await read { db in
            var out: [ParticipantID: Set<String>] = [:]
            for row in try await db.select().columns("participant_id", "alert_key").from("alert_acknowledgements")
                .where("participant_id", .in, participantIDs.map(\.rawValue)).all() {
                out[ParticipantID(rawValue: try row.decode(column: "participant_id", as: String.self)), default: []]
                    .insert(try row.decode(column: "alert_key", as: String.self))
            }
            return out
        }
    }
}
