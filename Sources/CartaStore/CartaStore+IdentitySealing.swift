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

extension CartaStore {
    /// The participants of a study whose hospital number is `number` (ignoring case, spaces and dashes), with
    /// their sites. Every identity is opened to compare: the values are sealed with random nonces, so there is
    /// no index to search; registration is rare and a study's participants few, so the cost is one read.
    ///
    /// Source: issue 8 scope 11 ("registering a hospital number already in the study warns and names the participant").
    public func participants(withHospitalNumber number: String, studyID: StudyID) async throws -> [(subjectID: SubjectID, siteID: SiteID)] {
        @Sendable func normal(_ s: String) -> String { s.uppercased().filter { !$0.isWhitespace && $0 != "-" } }
        let wanted = normal(number)
        guard !wanted.isEmpty else { return [] }
        let key = identityKey, keyPath = integrity.key.path
        return try await read { db in
            try await db.raw("""
                SELECT p.subject_id, p.site_id, i.hospital_number FROM participant_identities i JOIN participants p ON p.id = i.participant_id
                WHERE p.study_id = \(bind: studyID.rawValue) ORDER BY p.sequence_number
                """).all().compactMap { row in
                guard let stored = try Self.openIdentity(try row.decode(column: "hospital_number", as: String?.self), key: key, keyPath: keyPath),
                      normal(stored) == wanted else { return nil }
                return (SubjectID(try row.decode(column: "subject_id", as: String.self)), SiteID(try row.decode(column: "site_id", as: String.self)))
            }
        }
    }
}
