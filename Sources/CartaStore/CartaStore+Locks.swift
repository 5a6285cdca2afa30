import CartaModel
import Foundation
import SQLKit

extension CartaStore {
    /// Places a lock, audited with its reason; refuses a lock that already stands for the same scope.
    ///
    /// Source: issue 7 scope 7; standards.md R-DT-2.
    public func lock(_ scope: DataLock.Scope, participantID: ParticipantID?, formOID: FormOID?, reason: String,
                     lockedBy: User, actor: AuditActor) async throws -> DataLock {
        let at = now()
        let atText = StoreTimestamp.string(at)
        let lock = DataLock(id: UUID().uuidString.lowercased(), scope: scope, participantID: participantID, formOID: formOID,
                            lockedByName: lockedBy.displayName, lockedAt: at, reason: reason)
        return try await write { db in
            if let standing = try await Self.activeLocks(db).first(where: {
                $0.scope == scope && $0.participantID == participantID && $0.formOID == formOID
            }) {
                throw StoreError.conflict("already locked by \(standing.lockedByName) at \(StoreTimestamp.string(standing.lockedAt)): \(standing.reason)")
            }
            try await db.insert(into: "locks")
                .columns("id", "scope", "participant_id", "form_oid", "locked_by", "locked_by_name", "locked_at", "reason")
                .values(lock.id, scope.rawValue, participantID?.rawValue, formOID?.rawValue, lockedBy.id.rawValue,
                        lockedBy.displayName, atText, reason)
                .run()
            try await Self.appendAudit(db, actor: actor, at: atText, reason: reason, [
                AuditChange(entity: .lock, entityID: lock.id, field: "locked", oldValue: nil, newValue: Self.describe(lock)),
            ])
            return lock
        }
    }

    /// Lifts a standing lock, audited with its reason; `notFound` when no such lock stands.
    ///
    /// Source: issue 7 scope 7 ("post-lock change requires unlock with justification").
    public func unlock(id: String, reason: String, by user: User, actor: AuditActor) async throws -> DataLock {
        let atText = StoreTimestamp.string(now())
        return try await write { db in
            guard let lock = try await Self.activeLocks(db).first(where: { $0.id == id }) else {
                throw StoreError(.notFound, "no standing lock \(id)")
            }
            try await db.update("locks").set("unlocked_at", to: atText).set("unlocked_by", to: user.id.rawValue)
                .set("unlock_reason", to: reason).where("id", .equal, id).run()
            try await Self.appendAudit(db, actor: actor, at: atText, reason: reason, [
                AuditChange(entity: .lock, entityID: id, field: "locked", oldValue: Self.describe(lock), newValue: nil),
            ])
            return lock
        }
    }

    /// Every standing lock, oldest first.
    public func activeLocks() async throws -> [DataLock] {
        try await read { db in try await Self.activeLocks(db) }
    }

    static func activeLocks(_ db: any SQLDatabase) async throws -> [DataLock] {
        try await db.select().column("*").from("locks").where(SQLIdentifier("unlocked_at"), .is, SQLLiteral.null)
            .orderBy("locked_at").all().map { row in
                guard let scope = DataLock.Scope(rawValue: try row.decode(column: "scope", as: String.self)) else {
                    throw StoreError(.database, "lock with an unknown scope")
                }
                return DataLock(id: try row.decode(column: "id", as: String.self), scope: scope,
                                participantID: try row.decode(column: "participant_id", as: String?.self).map { ParticipantID(rawValue: $0) },
                                formOID: try row.decode(column: "form_oid", as: String?.self).map { FormOID($0) },
                                lockedByName: try row.decode(column: "locked_by_name", as: String.self),
                                lockedAt: try date(row, "locked_at"), reason: try row.decode(column: "reason", as: String.self))
            }
    }

    /// Refuses a write covered by a standing lock: the database, the participant's casebook, or one of `forms`.
    /// Called inside every participant write transaction, so no path can skip it.
    static func refuseIfLocked(_ db: any SQLDatabase, participant: Participant?, forms: [FormOID] = []) async throws {
        try refuseIfLocked(try await activeLocks(db), participant: participant, forms: forms)
    }

    /// `refuseIfLocked` against locks already read in the transaction.
    static func refuseIfLocked(_ locks: [DataLock], participant: Participant?, forms: [FormOID] = []) throws {
        for lock in locks {
            let covers: Bool = switch lock.scope {
            case .database: true
            case .participant: lock.participantID == participant?.id
            case .form: lock.participantID == participant?.id && lock.formOID.map { forms.contains($0) } == true
            }
            guard covers else { continue }
            let what = switch lock.scope {
            case .database: "the database is locked"
            case .participant: "\(participant?.subjectID.rawValue ?? "the participant")'s casebook is locked"
            case .form: "form \(lock.formOID?.rawValue ?? "") of \(participant?.subjectID.rawValue ?? "the participant") is locked"
            }
            throw StoreError.invalidState("\(what) (by \(lock.lockedByName) at \(StoreTimestamp.string(lock.lockedAt)): \(lock.reason)); nothing was changed — a data manager must unlock it, with a reason, first")
        }
    }

    static func describe(_ lock: DataLock) -> String {
        switch lock.scope {
        case .database: return "database"
        case .participant: return "casebook \(lock.participantID?.rawValue ?? "")"
        case .form: return "form \(lock.formOID?.rawValue ?? "") of \(lock.participantID?.rawValue ?? "")"
        }
    }
}
