import CartaModel
import Foundation
import SQLKit

extension CartaStore {
    /// Re-computes the whole chain (keyed and legacy records) and checks the head witness; reports the first break.
    ///
    /// Source: issue 2 scope 4 ("reports the first broken link"); issue 7 scope 8 (truncation, recomputed
    /// hashes and forged rows detected).
    public func verifyAuditChain() async throws -> AuditVerification {
        try await verifyAudit(full: true, replay: false).chain
    }

    /// Verifies the audit trail: the chain from the last verified checkpoint (or from the start when `full`),
    /// every record's MAC under the key outside the database, the head witness (truncation), and, with
    /// `replay`, the last audited value of every field against the stored data. An intact chain is recorded as
    /// a new checkpoint (seq, hash, record count, MAC) so the next verification starts there.
    ///
    /// Source: issue 7 scope 8; 21 CFR 11.10(e); RFC 2104. What an incremental check cannot see (a record
    /// before the checkpoint rewritten in place) `full` re-checks: docs/audit-integrity.md.
    public func verifyAudit(full: Bool, replay: Bool) async throws -> AuditIntegrityReport {
        try await verifyAudit(full: full, replay: replay, recordsPerPage: Self.verificationPageSize)
    }

    /// `verifyAudit(full:replay:)` reading `recordsPerPage` audit records per statement (tests walk page boundaries).
    @_spi(Testing) public func verifyAudit(full: Bool, replay: Bool, recordsPerPage: Int) async throws -> AuditIntegrityReport {
        precondition(recordsPerPage >= 1, "a page holds at least one record")
        let integrity = self.integrity
        let key = integrity.key
        func broken(_ seq: Int, _ reason: String, after: Int = 0, checked: Int = 0) -> AuditIntegrityReport {
            AuditIntegrityReport(chain: .broken(seq: seq, reason: reason), checkedAfter: after, checkedCount: checked,
                                 differences: nil)
        }
        let witness: AuditWitness?
        do { witness = try integrity.witness.read() } catch let error as StoreError {
            return broken(0, error.message)
        }
        if let witness, !witness.isAuthentic(key) {
            return broken(witness.seq, "the audit head witness \(integrity.witness.path) does not match the audit key \(key.path): it was altered, or written with another key")
        }
        let migrated = try await hasTable("audit_chain")
        // The whole walk is one snapshot, read a page of records at a time: memory stays bounded by a page whatever the
        // trail's length (a study typed through the services holds hundreds of audit records per participant).
        let walk = try await read(snapshot: true) { db in
            try await Self.walkChain(db, migrated: migrated, full: full, witness: witness, witnessPath: integrity.witness.path, key: key,
                                     pageSize: recordsPerPage)
        }
        let state: ChainWalk.Intact
        switch walk {
        case .broken(let seq, let reason, let after, let checked): return broken(seq, reason, after: after, checked: checked)
        case .intact(let intact): state = intact
        }
        if migrated, let last = state.last {
            let cp = AuditCheckpoint.make(seq: last.seq, hash: last.hash, count: state.count, key: key)
            let at = StoreTimestamp.string(now())
            try await write { db in
                try await db.insert(into: "audit_checkpoints")
                    .columns("seq", "hash", "record_count", "verified_at", "mac")
                    .values(cp.seq, cp.hash, cp.count, at, cp.mac)
                    .ignoringConflicts()
                    .run()
            }
        }
        let differences = replay ? try await replayAuditTrail() : nil
        return AuditIntegrityReport(chain: .intact(count: state.count), checkedAfter: state.after, checkedCount: state.checked,
                                    differences: differences)
    }

    /// The anchor of a new keyed chain: after migration 0007 the witness records the current head and the
    /// keyed start, so neither the legacy records nor the start can be changed unnoticed afterwards.
    ///
    /// Source: issue 7 scope 8.
    func anchorAuditWitness() async throws {
        let state = try await read(snapshot: true) { db in
            let start = try await db.select().column("keyed_from_seq").from("audit_chain").first()?
                .decode(column: "keyed_from_seq", as: Int.self) ?? 1
            let head = try await db.select().column("seq").column("hash").from("audit_events")
                .orderBy("seq", .descending).limit(1).first()
            return (start: start, seq: try head?.decode(column: "seq", as: Int.self) ?? 0,
                    hash: try head?.decode(column: "hash", as: String.self) ?? AuditHasher.genesis)
        }
        integrity.keyedFrom.withLock { $0 = state.start }
        integrity.advance(to: AuditHead(keyedFrom: state.start, seq: state.seq, hash: state.hash), logger: logger)
    }

    /// Audit records a verification reads per statement.
    static let verificationPageSize = 4096

    /// The outcome of walking the chain: the first break, or what an intact walk saw.
    enum ChainWalk: Sendable {
        struct Intact: Sendable {
            /// The checkpoint the walk started after (0: the first record), the records it checked and the chain's
            /// length up to its last record (with the checkpoint's count), and that last record.
            var after: Int
            var checked: Int
            var count: Int
            var last: (seq: Int, hash: String)?
        }
        case broken(seq: Int, reason: String, after: Int, checked: Int)
        case intact(Intact)
    }

    /// Re-computes the chain from the last verified checkpoint (from the start when `full`) a page of records at a
    /// time, then checks the keyed start and the head witness; stops at the first break.
    static func walkChain(_ db: any SQLDatabase, migrated: Bool, full: Bool, witness: AuditWitness?, witnessPath: String, key: AuditKey,
                          pageSize: Int) async throws -> ChainWalk {
        let state = try await loadVerificationState(db, migrated: migrated, full: full, witnessSeq: witness?.seq, key: key)
        // The keyed chain's start is trusted from the witness (outside the database) when there is one.
        if let witness, let stored = state.keyedFromInDatabase, stored != witness.keyedFrom {
            return .broken(seq: min(stored, witness.keyedFrom), reason: "the keyed chain's start was changed in the database (audit_chain says record \(stored), the head witness says \(witness.keyedFrom))", after: 0, checked: 0)
        }
        let keyedFrom = witness?.keyedFrom ?? state.keyedFromInDatabase ?? Int.max
        var prev = AuditHasher.genesis
        var count = 0
        if let cp = state.checkpoint {
            guard let hash = state.checkpointRowHash else {
                return .broken(seq: cp.seq, reason: "record \(cp.seq), verified at a checkpoint, was deleted", after: 0, checked: 0)
            }
            guard hash == cp.hash else {
                return .broken(seq: cp.seq, reason: "record \(cp.seq) was altered after it was verified: its hash differs from the verified checkpoint", after: 0, checked: 0)
            }
            // The records up to the checkpoint are trusted, not re-hashed; still, none may have gone: one deleted before
            // the checkpoint (its triggers dropped) was reported "intact" with the checkpoint's count. One index count.
            let held = try await db.raw("SELECT COUNT(*) AS n FROM audit_events WHERE seq <= \(bind: cp.seq)").first()?.decode(column: "n", as: Int.self) ?? 0
            guard held == cp.count else {
                return .broken(seq: cp.seq, reason: "\(abs(cp.count - held)) audit record\(abs(cp.count - held) == 1 ? " was" : "s were") \(held < cp.count ? "deleted from" : "added to") the \(cp.count) records verified up to record \(cp.seq) (the trail now holds \(held)); run `carta audit verify --full` to find \(abs(cp.count - held) == 1 ? "it" : "them")", after: 0, checked: 0)
            }
            prev = cp.hash
            count = cp.count
        }
        let after = state.checkpoint?.seq ?? 0
        let encoder = AuditHasher.makeEncoder()
        var checked = 0, last: (seq: Int, hash: String)?
        while true {
            let rows = try await verificationRows(db, after: last?.seq ?? after, limit: pageSize)
            for row in rows {
                checked += 1
                if row.prevHash != prev {
                    return .broken(seq: row.seq, reason: "record \(row.seq) does not link to the previous record (prev_hash \(row.prevHash.prefix(12))… ≠ \(prev.prefix(12))…); a record was removed, inserted or reordered", after: after, checked: checked)
                }
                let expected = row.seq >= keyedFrom
                    ? AuditHasher.mac(row.content, prevHash: prev, key: key, encoder: encoder)
                    : SHA256Hex.of(AuditHasher.bytes(row.content, prevHash: prev, encoder: encoder))
                guard key.matches(row.hash, expected) else {
                    return .broken(seq: row.seq, reason: "record \(row.seq) was altered: its content no longer matches its hash", after: after, checked: checked)
                }
                if AuditEntity(rawValue: row.content.entity) == nil || AuditSource(rawValue: row.content.source) == nil {
                    return .broken(seq: row.seq, reason: "record \(row.seq) names an unknown entity or source", after: after, checked: checked)
                }
                prev = row.hash
                count += 1
                last = (row.seq, row.hash)
            }
            if rows.count < pageSize { break }
        }
        // Truncation at the end: the witness outside the database names a head the trail must still hold.
        if let witness, witness.seq > 0 {
            guard let hash = state.witnessRowHash else {
                if (state.maxSeq ?? 0) < witness.seq {
                    return .broken(seq: witness.seq, reason: "the newest audit records were deleted: the head witness records record \(witness.seq) but the trail ends at record \(state.maxSeq ?? 0)", after: after, checked: checked)
                }
                return .broken(seq: witness.seq, reason: "record \(witness.seq), named by the head witness, was deleted", after: after, checked: checked)
            }
            guard hash == witness.hash else {
                return .broken(seq: witness.seq, reason: "record \(witness.seq) differs from the head witness: the trail was rewritten", after: after, checked: checked)
            }
        } else if witness == nil, let maxSeq = state.maxSeq, maxSeq >= keyedFrom {
            return .broken(seq: maxSeq, reason: "the audit head witness \(witnessPath) is missing: deletion of the newest records cannot be ruled out (restore the file with the audit key, or give --audit-witness)", after: after, checked: checked)
        }
        return .intact(.init(after: after, checked: checked, count: count, last: last))
    }

    struct VerificationRow: Sendable {
        var seq: Int
        var content: AuditHasher.Content
        var prevHash: String
        var hash: String
    }

    struct VerificationState: Sendable {
        var keyedFromInDatabase: Int?
        var checkpoint: AuditCheckpoint?
        var checkpointRowHash: String?
        var maxSeq: Int?
        var witnessRowHash: String?
    }

    static func loadVerificationState(_ db: any SQLDatabase, migrated: Bool, full: Bool, witnessSeq: Int?,
                                      key: AuditKey) async throws -> VerificationState {
        var state = VerificationState()
        if migrated {
            state.keyedFromInDatabase = try await db.select().column("keyed_from_seq").from("audit_chain").first()?
                .decode(column: "keyed_from_seq", as: Int.self)
        }
        if migrated, !full {
            // The newest checkpoint whose MAC holds: a row inserted by someone without the key is skipped.
            let candidates = try await db.select().column("*").from("audit_checkpoints")
                .orderBy("seq", .descending).limit(20).all()
            for row in candidates {
                let cp = AuditCheckpoint(seq: try row.decode(column: "seq", as: Int.self),
                                         hash: try row.decode(column: "hash", as: String.self),
                                         count: try row.decode(column: "record_count", as: Int.self),
                                         mac: try row.decode(column: "mac", as: String.self))
                if cp.isAuthentic(key) { state.checkpoint = cp; break }
            }
            if let cp = state.checkpoint {
                state.checkpointRowHash = try await db.select().column("hash").from("audit_events")
                    .where("seq", .equal, cp.seq).first()?.decode(column: "hash", as: String.self)
            }
        }
        state.maxSeq = try await db.select().column(SQLFunction("MAX", args: SQLColumn("seq")), as: "m")
            .from("audit_events").first()?.decode(column: "m", as: Int?.self)
        if let witnessSeq, witnessSeq > 0 {
            state.witnessRowHash = try await db.select().column("hash").from("audit_events")
                .where("seq", .equal, witnessSeq).first()?.decode(column: "hash", as: String.self)
        }
        return state
    }
}

extension CartaStore {
    /// Up to `limit` audit records after `seq`, in chain order. Rows are read as stored text, not as typed records: a
    /// tampered row (an unknown entity or source) must be reported as a broken link, not stop the check with a decoding
    /// error.
    static func verificationRows(_ db: any SQLDatabase, after seq: Int, limit: Int) async throws -> [VerificationRow] {
        try await db.select().column("*").from("audit_events").where("seq", .greaterThan, seq)
            .orderBy("seq").limit(limit).all().map { row in
                VerificationRow(
                    seq: try row.decode(column: "seq", as: Int.self),
                    content: AuditHasher.Content(
                        at: try row.decode(column: "at", as: String.self),
                        userID: try row.decode(column: "user_id", as: String?.self),
                        username: try row.decode(column: "username", as: String.self),
                        source: try row.decode(column: "source", as: String.self),
                        entity: try row.decode(column: "entity", as: String.self),
                        entityID: try row.decode(column: "entity_id", as: String.self),
                        field: try row.decode(column: "field", as: String.self),
                        oldValue: try row.decode(column: "old_value", as: String?.self),
                        newValue: try row.decode(column: "new_value", as: String?.self),
                        reason: try row.decode(column: "reason", as: String?.self)),
                    prevHash: try row.decode(column: "prev_hash", as: String.self),
                    hash: try row.decode(column: "hash", as: String.self))
            }
    }
}

/// A verified point of the chain: every record up to `seq` was re-computed and found intact.
///
/// Source: issue 7 scope 8 ("verification results are cached per checkpoint"). The MAC keeps someone
/// without the key from inserting a checkpoint past records they rewrote.
struct AuditCheckpoint: Sendable, Equatable {
    var seq: Int
    var hash: String
    var count: Int
    var mac: String

    static func signedText(seq: Int, hash: String, count: Int) -> String {
        "carta-audit-checkpoint-v1\n\(seq)\n\(hash)\n\(count)"
    }

    static func make(seq: Int, hash: String, count: Int, key: AuditKey) -> AuditCheckpoint {
        AuditCheckpoint(seq: seq, hash: hash, count: count, mac: key.mac(signedText(seq: seq, hash: hash, count: count)))
    }

    func isAuthentic(_ key: AuditKey) -> Bool {
        key.matches(mac, key.mac(Self.signedText(seq: seq, hash: hash, count: count)))
    }
}

/// Plain SHA-256 of the records written before migration 0007.
enum SHA256Hex {
    static func of(_ data: Data) -> String { AuditHasher.sha256Hex(data) }
}
