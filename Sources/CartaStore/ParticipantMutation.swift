import CartaModel
import Foundation
import SQLKit

/// One audited change to a participant inside a write transaction: the participant as locked, the
/// transaction's clock, and the audit changes collected so far.
///
/// Built only by `CartaStore.mutateParticipant`, which owns the lock, the version check, the allowed
/// states, the audit append and the version bump, so no writer can forget one of them.
/// Source: issue 6 scope 5; 21 CFR Part 11 §11.10(e) (every change audited with the change itself).
struct ParticipantMutation {
    /// The transaction's connection.
    let db: any SQLDatabase
    /// The participant as it was when locked (version checked).
    let before: Participant
    /// The transaction's time.
    let at: Date
    /// `at` as stored.
    let atText: String
    /// The standing locks, read once at the start of the transaction (the participant's casebook and the database were
    /// checked against them then); a change that touches forms checks those forms against the same list.
    var locks: [DataLock] = []
    /// Audit changes to append, in order.
    private(set) var changes: [AuditChange] = []
    /// Whether the change bumps the participant's version (false for a signature, which covers a version).
    var bumpsVersion = true

    init(db: any SQLDatabase, before: Participant, at: Date) {
        self.db = db
        self.before = before
        self.at = at
        self.atText = StoreTimestamp.string(at)
    }

    /// Records one field change for the audit trail.
    mutating func record(_ entity: AuditEntity, id: String, field: String, old: String?, new: String?) {
        changes.append(AuditChange(entity: entity, entityID: id, field: field, oldValue: old, newValue: new))
    }

    /// Records several prepared changes.
    mutating func record(_ more: [AuditChange]) { changes += more }

    /// Records a change of the participant record itself.
    mutating func recordParticipant(field: String, old: String?, new: String?) {
        record(.participant, id: before.id.rawValue, field: field, old: old, new: new)
    }
}

extension CartaStore {
    /// Runs one audited participant change: locks the participant, checks the caller's version and the
    /// allowed states, runs `body`, then appends its audit changes and bumps the version — all in one
    /// transaction. When `body` records no change, nothing is written and the participant is returned as is.
    ///
    /// `action` completes "cannot …" in the refusal, e.g. "enrol".
    /// Source: issue 6 scope 5; issue 2 "Bad input" (optimistic version check → clear conflict message).
    func mutateParticipant<T: Sendable>(
        _ id: ParticipantID, expectedVersion: Int, allowed: Set<ParticipantStatus>, action: String,
        reason: String?, actor: AuditActor,
        _ body: @escaping @Sendable (inout ParticipantMutation) async throws -> T
    ) async throws -> (result: T, participant: Participant) {
        let at = now()
        return try await write { db in
            let p = try await Self.lockedParticipant(db, id, expectedVersion: expectedVersion)
            let locks = try await Self.activeLocks(db)
            try Self.refuseIfLocked(locks, participant: p)
            guard allowed.contains(p.status) else {
                throw StoreError.invalidState("participant \(p.subjectID) is \(p.status.rawValue); cannot \(action)")
            }
            var mutation = ParticipantMutation(db: db, before: p, at: at)
            mutation.locks = locks
            let result = try await body(&mutation)
            guard !mutation.changes.isEmpty else { return (result, p) }
            try await Self.appendAudit(db, actor: actor, at: mutation.atText, reason: reason, mutation.changes)
            guard mutation.bumpsVersion else { return (result, p) }
            try await Self.bumpVersion(db, p, at: mutation.atText, by: actor.username)
            guard let after = try await Self.loadParticipant(db, id) else {
                throw StoreError.notFound("participant \(id) disappeared during the change")
            }
            return (result, after)
        }
    }
}

extension ParticipantMutation {
    /// Stores a signer's first acknowledgement that their electronic signature is binding (21 CFR 11.100(c)),
    /// with its audit record — only when none is stored yet, read inside this transaction, so a signer whose
    /// copy of the account is stale (two signatures at once) never gets an audit record the row does not hold.
    mutating func attestBindingSignature(_ signer: UserID) async throws {
        let stored = try await db.select().column("signature_attested_at").from("users").where("id", .equal, signer.rawValue).first()?
            .decode(column: "signature_attested_at", as: String?.self)
        guard stored == nil else { return }
        try await db.update("users").set("signature_attested_at", to: atText).where("id", .equal, signer.rawValue).run()
        record(.user, id: signer.rawValue, field: "signature_attested_at", old: nil, new: atText)
    }
}
