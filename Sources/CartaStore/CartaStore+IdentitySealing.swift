import CartaModel
import Crypto
import Foundation
import SQLKit

/// Identifying details sealed at rest: full name, date of birth and hospital number are stored AES-GCM
/// encrypted under a key derived from the audit key file (kept outside the database), so a copy of the
/// database — a backup, a dump, a stolen file — does not reveal who the participants are.
///
/// Source: standards.md R-PR-1 ("identifiers in a separate, encrypted store with separate access right");
/// GDPR Art. 32(1)(a) (encryption of personal data); HIPAA 45 CFR 164.312(a)(2)(iv).
extension CartaStore {
    /// Marks a sealed value; rows written before sealing existed are plaintext until `sealPlaintextIdentities`.
    static let sealedPrefix = "enc1:"

    static func identityKey(_ integrity: AuditIntegrity) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: integrity.key.key, info: Data("carta participant identity v1".utf8), outputByteCount: 32)
    }

    /// Seals one identifying value (nil stays nil).
    static func sealIdentity(_ value: String?, key: SymmetricKey) throws -> String? {
        guard let value else { return nil }
        guard let combined = try AES.GCM.seal(Data(value.utf8), using: key).combined else {
            throw StoreError(.database, "cannot seal an identifying detail")
        }
        return sealedPrefix + combined.base64EncodedString()
    }

    /// Opens one stored identifying value (a plaintext value from before sealing is returned as it is).
    static func openIdentity(_ stored: String?, key: SymmetricKey, keyPath: String) throws -> String? {
        guard let stored else { return nil }
        guard stored.hasPrefix(sealedPrefix) else { return stored }
        guard let data = Data(base64Encoded: String(stored.dropFirst(sealedPrefix.count))),
              let box = try? AES.GCM.SealedBox(combined: data), let plain = try? AES.GCM.open(box, using: key) else {
            throw StoreError(.invalidConfiguration, "identifying details do not open with the key file \(keyPath): this database was sealed with another key file (--audit-key)")
        }
        return String(decoding: plain, as: UTF8.self)
    }

    /// Seals every identifying value still stored in plaintext (databases written before sealing); returns how
    /// many rows changed. Run after migrating; idempotent. A storage-format change, not a change of any value,
    /// so it writes no audit record.
    @discardableResult
    func sealPlaintextIdentities() async throws -> Int {
        let key = Self.identityKey(integrity)
        return try await write { db in
            var changed = 0
            for row in try await db.select().column("*").from("participant_identities").all() {
                let id = try row.decode(column: "participant_id", as: String.self)
                var sets: [(String, String)] = []
                for column in ["full_name", "date_of_birth", "hospital_number"] {
                    if let v = try row.decode(column: column, as: String?.self), !v.hasPrefix(Self.sealedPrefix),
                       let sealed = try Self.sealIdentity(v, key: key) {
                        sets.append((column, sealed))
                    }
                }
                guard !sets.isEmpty else { continue }
                var update = db.update("participant_identities")
                for (column, value) in sets { update = update.set(SQLIdentifier(column), to: value) }
                try await update.where("participant_id", .equal, id).run()
                changed += 1
            }
            return changed
        }
    }
}
