import CartaModel
import Foundation
import SQLKit

extension CartaStore {
    /// Marks every recorded value of `formOID` (at `eventOID`) verified against source, audited; a value already
    /// verified and unchanged keeps its mark. Refused when a lock covers the form. Returns the marks written.
    ///
    /// Source: issue 7 scope 6; ICH E6(R3) 3.11.4.1.
    public func verifySource(participantID: ParticipantID, eventOID: EventOID, formOID: FormOID, itemOIDs: Set<ItemOID>?,
                             expectedVersion: Int? = nil, byUser: UserID, byName: String, actor: AuditActor) async throws -> [SourceVerification] {
        let at = now()
        let atText = StoreTimestamp.string(at)
        return try await write { db in
            guard let p = try await Self.loadParticipant(db, participantID) else { throw StoreError.notFound("participant \(participantID) does not exist") }
            // The monitor verifies the values the page showed: after any change since, nothing is marked (a value changed
            // meanwhile would otherwise be marked verified by someone who never saw it).
            if let expectedVersion, p.version != expectedVersion {
                throw StoreError.conflict("participant \(p.subjectID) was changed by \(p.updatedBy) since your page was loaded (version \(p.version), your page had version \(expectedVersion)); nothing was marked verified — reload the page and check the values against source again")
            }
            try await Self.refuseIfLocked(db, participant: p, forms: [formOID])
            let values = try await db.select().column("*").from("item_values")
                .where("participant_id", .equal, participantID.rawValue).where("event_oid", .equal, eventOID.rawValue)
                .where("form_oid", .equal, formOID.rawValue).all().map(Self.itemValue(from:))
                .filter { $0.value.map { !$0.text.isEmpty } == true && (itemOIDs?.contains($0.address.itemOID) ?? true) }
            if let itemOIDs, let missing = itemOIDs.first(where: { oid in !values.contains { $0.address.itemOID == oid } }) {
                throw StoreError(.constraint, "\(formOID)/\(missing) has no recorded value to verify")
            }
            let marks = try await Self.sourceVerifications(db, participantID)
            var written: [SourceVerification] = []
            var changes: [AuditChange] = []
            for v in values {
                let old = marks.first { $0.address == v.address }
                if let old, old.covers(v) { continue }
                let stamp = StoreTimestamp.string(v.updatedAt)
                if old == nil {
                    try await db.insert(into: "sdv_marks")
                        .columns("participant_id", "event_oid", "form_oid", "item_oid", "repeat_key", "value_updated_at",
                                 "verified_by", "verified_by_name", "verified_at")
                        .values(participantID.rawValue, eventOID.rawValue, formOID.rawValue, v.address.itemOID.rawValue,
                                v.address.repeatKey, stamp, byUser.rawValue, byName, atText)
                        .run()
                } else {
                    try await db.update("sdv_marks").set("value_updated_at", to: stamp).set("verified_by", to: byUser.rawValue)
                        .set("verified_by_name", to: byName).set("verified_at", to: atText)
                        .where("participant_id", .equal, participantID.rawValue).where("event_oid", .equal, eventOID.rawValue)
                        .where("form_oid", .equal, formOID.rawValue).where("item_oid", .equal, v.address.itemOID.rawValue)
                        .where("repeat_key", .equal, v.address.repeatKey).run()
                }
                changes.append(AuditChange(entity: .sourceVerification, entityID: participantID.rawValue, field: v.address.path,
                                           oldValue: old.map { StoreTimestamp.string($0.valueUpdatedAt) }, newValue: stamp))
                written.append(SourceVerification(participantID: participantID, address: v.address, valueUpdatedAt: v.updatedAt,
                                                  verifiedByName: byName, verifiedAt: at))
            }
            try await Self.appendAudit(db, actor: actor, at: atText, reason: "source data verified", changes)
            return written
        }
    }

    /// The source-verification marks of `participantIDs` (nil: all), in one statement.
    public func sourceVerifications(participantIDs: [ParticipantID]?) async throws -> [SourceVerification] {
        try await read { db in
            var select = db.select().column("*").from("sdv_marks")
            if let participantIDs { select = select.where("participant_id", .in, participantIDs.map(\.rawValue)) }
            return try await select.all().map(Self.sourceVerification(from:))
        }
    }

    static func sourceVerifications(_ db: any SQLDatabase, _ participantID: ParticipantID) async throws -> [SourceVerification] {
        try await db.select().column("*").from("sdv_marks").where("participant_id", .equal, participantID.rawValue).all()
            .map(sourceVerification(from:))
    }

    static func sourceVerification(from row: any SQLRow) throws -> SourceVerification {
        SourceVerification(
            participantID: ParticipantID(rawValue: try row.decode(column: "participant_id", as: String.self)),
            address: ItemAddress(eventOID: EventOID(rawValue: try row.decode(column: "event_oid", as: String.self)),
                                 formOID: FormOID(try row.decode(column: "form_oid", as: String.self)),
                                 itemOID: ItemOID(try row.decode(column: "item_oid", as: String.self)),
                                 repeatKey: try row.decode(column: "repeat_key", as: String.self)),
            valueUpdatedAt: try date(row, "value_updated_at"),
            verifiedByName: try row.decode(column: "verified_by_name", as: String.self), verifiedAt: try date(row, "verified_at"))
    }

    // MARK: casebook signatures

    /// Records an investigator's signature on the whole casebook, bound to `contentHash`, audited. A stale
    /// `expectedVersion` is a conflict, and the same signer cannot sign the same content twice (a replayed
    /// request is refused).
    ///
    /// Source: issue 7 scope 4; 21 CFR 11.50, 11.70.
    public func signCasebook(participantID: ParticipantID, signer: UserID, signerName: String, meaning: String,
                             contentHash: String, expectedVersion: Int, attestsBindingSignature: Bool, formOID: FormOID? = nil,
                             eventOID: EventOID? = nil, actor: AuditActor) async throws -> CasebookSignature {
        try await mutateParticipant(participantID, expectedVersion: expectedVersion, allowed: Set(ParticipantStatus.allCases),
                                    action: "sign the casebook", reason: meaning, actor: actor) { m in
            m.bumpsVersion = false
            if try await Self.casebookSignatures(m.db, participantID).contains(where: {
                $0.signedBy == signer && $0.contentHash == contentHash && $0.formOID == formOID && $0.eventOID == eventOID
            }) {
                let what = eventOID.map { "visit \($0)" } ?? formOID.map { "form \($0)" } ?? "casebook"
                throw StoreError.conflict("\(signerName) has already signed this content of \(m.before.subjectID)'s \(what); nothing was signed again")
            }
            var s = CasebookSignature(id: UUID().uuidString.lowercased(), participantID: participantID, signedBy: signer,
                                      signerName: signerName, signedAt: m.at, meaning: meaning, contentHash: contentHash)
            s.formOID = formOID
            s.eventOID = eventOID
            try await m.db.insert(into: "casebook_signatures")
                .columns("id", "participant_id", "signed_by", "signed_by_name", "signed_at", "meaning", "content_sha256", "form_oid", "event_oid")
                .values(s.id, participantID.rawValue, signer.rawValue, signerName, m.atText, meaning, contentHash, formOID?.rawValue, eventOID?.rawValue).run()
            if let formOID { m.record(.casebookSignature, id: s.id, field: "form_oid", old: nil, new: formOID.rawValue) }
            if let eventOID { m.record(.casebookSignature, id: s.id, field: "event_oid", old: nil, new: eventOID.rawValue) }
            if attestsBindingSignature {
                try await m.attestBindingSignature(signer)
            }
            m.record(.casebookSignature, id: s.id, field: "participant_id", old: nil, new: participantID.rawValue)
            m.record(.casebookSignature, id: s.id, field: "signed_by", old: nil, new: "\(signerName) (\(signer.rawValue))")
            m.record(.casebookSignature, id: s.id, field: "content_sha256", old: nil, new: contentHash)
            return s
        }.result
    }

    /// A participant's casebook signatures, oldest first.
    public func casebookSignatures(participantID: ParticipantID) async throws -> [CasebookSignature] {
        try await read { db in try await Self.casebookSignatures(db, participantID) }
    }

    static func casebookSignatures(_ db: any SQLDatabase, _ participantID: ParticipantID) async throws -> [CasebookSignature] {
        try await db.select().column("*").from("casebook_signatures").where("participant_id", .equal, participantID.rawValue)
            .orderBy("signed_at").all().map { row in
                var s = CasebookSignature(id: try row.decode(column: "id", as: String.self), participantID: participantID,
                                          signedBy: UserID(rawValue: try row.decode(column: "signed_by", as: String.self)),
                                          signerName: try row.decode(column: "signed_by_name", as: String.self), signedAt: try date(row, "signed_at"),
                                          meaning: try row.decode(column: "meaning", as: String.self),
                                          contentHash: try row.decode(column: "content_sha256", as: String.self))
                s.formOID = try row.decode(column: "form_oid", as: String?.self).map { FormOID($0) }
                s.eventOID = try row.decode(column: "event_oid", as: String?.self).map { EventOID(rawValue: $0) }
                return s
            }
    }
}
