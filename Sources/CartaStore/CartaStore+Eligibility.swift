import CartaModel
import Foundation
import SQLKit

extension CartaStore {
    /// Records a signed eligibility decision for the participant's current data version (audited).
    ///
    /// Source: issue 2 scope 6; 21 CFR Part 11 §11.50. The server has already re-checked the signer's password
    /// and role. A stale `expectedVersion` → conflict: the signer must have seen the current data.
    public func recordEligibilitySignature(participantID: ParticipantID, decision: EligibilityDecisionKind,
                                           criteriaSnapshot: String, signer: UserID, signerName: String,
                                           meaning: String, contentHash: String, expectedVersion: Int,
                                           attestsBindingSignature: Bool = false,
                                           actor: AuditActor) async throws -> EligibilityDecision {
        try await mutateParticipant(participantID, expectedVersion: expectedVersion, allowed: [.screening],
                                    action: "sign eligibility (only during screening)", reason: meaning, actor: actor) { m in
            // A signature covers a version; it does not change the data it signs.
            m.bumpsVersion = false
            let d = EligibilityDecision(id: UUID().uuidString.lowercased(), participantID: participantID, decision: decision,
                                        criteriaSnapshot: criteriaSnapshot, signedBy: signer, signerName: signerName,
                                        signedAt: m.at, meaning: meaning, participantVersion: m.before.version,
                                        contentHash: contentHash)
            try await m.db.insert(into: "eligibility_decisions")
                .columns("id", "participant_id", "decision", "criteria_snapshot", "signed_by", "signer_name",
                         "signed_at", "meaning", "participant_version", "content_sha256")
                .values(d.id, participantID.rawValue, decision.rawValue, criteriaSnapshot, signer.rawValue, signerName,
                        m.atText, meaning, m.before.version, contentHash)
                .run()
            if attestsBindingSignature {
                // 21 CFR 11.100(c): the acknowledgement is stored once, with the first signature, in its transaction.
                try await m.attestBindingSignature(signer)
            }
            m.record(.eligibilityDecision, id: d.id, field: "participant_id", old: nil, new: participantID.rawValue)
            m.record(.eligibilityDecision, id: d.id, field: "decision", old: nil, new: decision.rawValue)
            m.record(.eligibilityDecision, id: d.id, field: "signed_by", old: nil, new: "\(signerName) (\(signer.rawValue))")
            m.record(.eligibilityDecision, id: d.id, field: "criteria_snapshot_sha256", old: nil, new: Self.tokenHash(criteriaSnapshot))
            m.record(.eligibilityDecision, id: d.id, field: "content_sha256", old: nil, new: contentHash)
            return d
        }.result
    }

    /// The most recent signed decision for a participant, or `nil`.
    ///
    /// Source: issue 2 scope 6.
    public func latestEligibilityDecision(participantID: ParticipantID) async throws -> EligibilityDecision? {
        try await read { db in try await Self.latestDecision(db, participantID) }
    }

    /// Enrols a screening participant: needs a signed eligible decision on the current data and a free place.
    ///
    /// Source: issue 2 scope 6 ("Enrolment stops at the study's target (5) unless the study file allows more").
    /// The enrolled count is taken inside the write transaction, so two concurrent enrolments cannot both take
    /// the last place. `maxEnrolled == nil` means no cap. Full → `StoreError.enrolmentFull`.
    public func enrol(participantID: ParticipantID, expectedVersion: Int, maxEnrolled: Int?,
                      actor: AuditActor) async throws -> Participant {
        try await mutateParticipant(participantID, expectedVersion: expectedVersion, allowed: [.screening],
                                    action: "enrol (only a screening participant can be enrolled)", reason: nil, actor: actor) { m in
            let p = m.before
            guard let d = try await Self.latestDecision(m.db, participantID), d.decision == .eligible else {
                throw StoreError.invalidState("participant \(p.subjectID) has no signed eligible decision; an investigator must sign eligibility first")
            }
            guard d.participantVersion == p.version else {
                throw StoreError.invalidState("participant \(p.subjectID)'s data changed after the eligibility decision was signed (signed on version \(d.participantVersion), now \(p.version)); the investigator must sign again")
            }
            if let maxEnrolled {
                // Counted inside the write transaction: two enrolments cannot both take the last place.
                let n = try await m.db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("participants")
                    .where("study_id", .equal, p.studyID.rawValue).where("status", .equal, ParticipantStatus.enrolled.rawValue)
                    .first()?.decode(column: "n", as: Int.self) ?? 0
                guard n < maxEnrolled else {
                    throw StoreError.enrolmentFull("study \(p.studyID) has reached its enrolment target of \(maxEnrolled); \(p.subjectID) was not enrolled")
                }
            }
            try await m.db.update("participants").set("status", to: ParticipantStatus.enrolled.rawValue)
                .set("enrolled_at", to: m.atText).where("id", .equal, participantID.rawValue).run()
            m.recordParticipant(field: "status", old: p.status.rawValue, new: ParticipantStatus.enrolled.rawValue)
        }.participant
    }

    /// Records a screen failure with its reasons (at least one) for a screening participant.
    ///
    /// Source: issue 2 scope 6 ("screen failures keep their reasons").
    public func screenFail(participantID: ParticipantID, reasons: [String], expectedVersion: Int,
                           actor: AuditActor) async throws -> Participant {
        let cleaned = reasons.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        guard !cleaned.isEmpty else { throw StoreError(.constraint, "a screen failure needs at least one reason") }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = String(decoding: try encoder.encode(cleaned), as: UTF8.self)
        return try await mutateParticipant(participantID, expectedVersion: expectedVersion, allowed: [.screening],
                                           action: "record a screen failure (only during screening)",
                                           reason: cleaned.joined(separator: "; "), actor: actor) { m in
            try await m.db.update("participants").set("status", to: ParticipantStatus.screenFailed.rawValue)
                .set("screen_failure_reasons", to: json).where("id", .equal, participantID.rawValue).run()
            m.recordParticipant(field: "status", old: m.before.status.rawValue, new: ParticipantStatus.screenFailed.rawValue)
            m.recordParticipant(field: "screen_failure_reasons", old: nil, new: json)
        }.participant
    }

    static func latestDecision(_ db: any SQLDatabase, _ id: ParticipantID) async throws -> EligibilityDecision? {
        guard let row = try await db.select().column("*").from("eligibility_decisions")
            .where("participant_id", .equal, id.rawValue)
            .orderBy("signed_at", .descending).orderBy("participant_version", .descending).limit(1).first() else { return nil }
        return try decision(from: row, id)
    }

    /// Every signed eligibility decision of a participant, oldest first (the archive export carries them all).
    ///
    /// Source: standards.md R-CP-1, R-ES-1.
    public func eligibilityDecisions(participantID: ParticipantID) async throws -> [EligibilityDecision] {
        try await read { db in
            try await db.select().column("*").from("eligibility_decisions").where("participant_id", .equal, participantID.rawValue)
                .orderBy("signed_at").orderBy("participant_version").all().map { try Self.decision(from: $0, participantID) }
        }
    }

    static func decision(from row: any SQLRow, _ id: ParticipantID) throws -> EligibilityDecision {
        let kindText = try row.decode(column: "decision", as: String.self)
        guard let kind = EligibilityDecisionKind(rawValue: kindText) else {
            throw StoreError(.database, "eligibility decision has unknown value \"\(kindText)\"")
        }
        return EligibilityDecision(
            id: try row.decode(column: "id", as: String.self),
            participantID: id, decision: kind,
            criteriaSnapshot: try row.decode(column: "criteria_snapshot", as: String.self),
            signedBy: UserID(rawValue: try row.decode(column: "signed_by", as: String.self)),
            signerName: try row.decode(column: "signer_name", as: String.self),
            signedAt: try date(row, "signed_at"),
            meaning: try row.decode(column: "meaning", as: String.self),
            participantVersion: try row.decode(column: "participant_version", as: Int.self),
            contentHash: try row.decode(column: "content_sha256", as: String?.self))
    }
}
