import CartaModel
import Crypto
import Foundation
import SQLKit

/// Storage of the TOTP second factor: the secret sealed under a key kept outside the database, the
/// enrolment and removal (audited on the account), and the last accepted time step.
///
/// Source: issue 7 scope 2; RFC 6238 §5.1 ("keys SHOULD be … stored … encrypted … and only decrypted when
/// needed") and §5.2 (a code is accepted at most once); 21 CFR 11.300 (controls for identification codes).
extension CartaStore {
    /// AES-GCM under a key derived (HKDF-SHA256, its own label) from the audit key file, so the sealed
    /// secret is useless to whoever copies the database without that file.
    func sealingKey() -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: integrity.key.key, info: Data("carta second-factor secret v1".utf8), outputByteCount: 32)
    }

    func seal(_ secret: Data) throws -> String {
        guard let combined = try AES.GCM.seal(secret, using: sealingKey()).combined else {
            throw StoreError(.database, "cannot seal the second-factor secret")
        }
        return combined.base64EncodedString()
    }

    func unseal(_ text: String) throws -> Data {
        guard let data = Data(base64Encoded: text) else { throw StoreError(.database, "malformed sealed second-factor secret") }
        do {
            return try AES.GCM.open(AES.GCM.SealedBox(combined: data), using: sealingKey())
        } catch {
            throw StoreError(.database, "the second-factor secret does not open with this audit key file (\(integrity.key.path)); was the key file replaced?")
        }
    }

    /// Stores a new secret awaiting its first code (replacing any earlier pending one). The account's
    /// factor is unchanged until `enrolSecondFactor` confirms it, so nothing here is audited.
    public func setPendingSecondFactor(_ userID: UserID, secret: Data) async throws {
        let sealed = try seal(secret)
        try await write { db in
            try await db.update("users").set("totp_pending_secret", to: sealed).where("id", .equal, userID.rawValue).run()
        }
    }

    /// The secret awaiting confirmation, if any.
    public func pendingSecondFactor(_ userID: UserID) async throws -> Data? {
        let text = try await read { db in
            try await db.select().column("totp_pending_secret").from("users").where("id", .equal, userID.rawValue).first()?
                .decode(column: "totp_pending_secret", as: String?.self)
        }
        return try text.map(unseal)
    }

    /// The enrolled secret and the last step accepted, or nil without a second factor.
    public func secondFactor(_ userID: UserID) async throws -> (secret: Data, lastStep: Int64?)? {
        let row = try await read { db in
            try await db.select().column("totp_secret").column("totp_last_step").from("users")
                .where("id", .equal, userID.rawValue).first()
        }
        guard let row, let sealed = try row.decode(column: "totp_secret", as: String?.self) else { return nil }
        return (try unseal(sealed), try row.decode(column: "totp_last_step", as: Int64?.self))
    }

    /// Makes the pending secret the account's second factor, with `step` as its first used step;
    /// audited as an account change ("second_factor: (none) → TOTP").
    public func enrolSecondFactor(_ userID: UserID, step: Int64, actor: AuditActor, at date: Date) async throws -> User {
        let at = StoreTimestamp.string(StoreTimestamp.truncated(date))
        return try await write { db in
            guard let row = try await db.select().column("*").from("users").where("id", .equal, userID.rawValue).first(),
                  let pending = try row.decode(column: "totp_pending_secret", as: String?.self) else {
                throw StoreError(.notFound, "no second-factor set-up is waiting for a code; start again")
            }
            let before = try Self.user(from: row)
            try await db.update("users").set("totp_secret", to: pending).set("totp_pending_secret", to: SQLLiteral.null)
                .set("totp_enrolled_at", to: at).set("totp_last_step", to: step).where("id", .equal, userID.rawValue).run()
            try await Self.appendAudit(db, actor: actor, at: at, reason: nil, [
                AuditChange(entity: .user, entityID: userID.rawValue, field: "second_factor",
                            oldValue: before.secondFactorEnrolledAt == nil ? "(none)" : "TOTP", newValue: "TOTP (new secret)"),
            ])
            return try Self.user(from: try await db.select().column("*").from("users").where("id", .equal, userID.rawValue).first()!)
        }
    }

    /// Removes the account's second factor (the user's own choice or an administrator's reset for a lost
    /// device), with the reason in the audit record.
    public func removeSecondFactor(_ userID: UserID, reason: String, actor: AuditActor, at date: Date) async throws -> User {
        let at = StoreTimestamp.string(StoreTimestamp.truncated(date))
        return try await write { db in
            guard let row = try await db.select().column("*").from("users").where("id", .equal, userID.rawValue).first() else {
                throw StoreError(.notFound, "no user \(userID)")
            }
            guard try Self.user(from: row).secondFactorEnrolledAt != nil else {
                throw StoreError(.notFound, "this account has no second factor")
            }
            try await db.update("users").set("totp_secret", to: SQLLiteral.null).set("totp_pending_secret", to: SQLLiteral.null)
                .set("totp_enrolled_at", to: SQLLiteral.null).where("id", .equal, userID.rawValue).run()
            try await Self.appendAudit(db, actor: actor, at: at, reason: reason, [
                AuditChange(entity: .user, entityID: userID.rawValue, field: "second_factor", oldValue: "TOTP", newValue: "(none)"),
            ])
            return try Self.user(from: try await db.select().column("*").from("users").where("id", .equal, userID.rawValue).first()!)
        }
    }

    /// Records `step` as used if it is later than the last used one; false when the code was already
    /// used (a replay), in which case nothing changes. The check and the update share the write lock.
    public func useSecondFactorStep(_ userID: UserID, step: Int64) async throws -> Bool {
        try await write { db in
            let last = try await db.select().column("totp_last_step").from("users").where("id", .equal, userID.rawValue).first()?
                .decode(column: "totp_last_step", as: Int64?.self)
            if let last, step <= last { return false }
            try await db.update("users").set("totp_last_step", to: step).where("id", .equal, userID.rawValue).run()
            return true
        }
    }
}
