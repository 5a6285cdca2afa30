import Foundation
import Logging
import Synchronization

/// The store's audit secrets and head witness: the key, the witness file and the keyed chain's start.
///
/// Source: issue 7 scope 8; 21 CFR 11.10(e).
final class AuditIntegrity: Sendable {
    let key: AuditKey
    let witness: AuditWitnessFile
    /// `audit_chain.keyed_from_seq`, read once per process by the first audited write.
    let keyedFrom = Mutex<Int?>(nil)

    init(key: AuditKey, witness: AuditWitnessFile) {
        self.key = key
        self.witness = witness
    }

    /// Moves the witness to a newly committed head (never backwards); a failure is logged, not thrown, because
    /// the change it follows is already committed — the witness then lags, which hides nothing.
    func advance(to head: AuditHead, logger: Logger) {
        do {
            try witness.advance { current in
                AuditWitness.make(keyedFrom: current?.keyedFrom ?? head.keyedFrom, seq: head.seq, hash: head.hash, key: key)
            }
        } catch {
            logger.error("cannot update the audit head witness", metadata: ["file": .string(witness.path), "error": "\(error)"])
        }
    }
}

/// The newest audit record appended by a transaction.
struct AuditHead: Sendable {
    var keyedFrom: Int
    var seq: Int
    var hash: String
}

/// What `appendAudit` needs from the store during one write transaction, and what it leaves for the commit.
///
/// A task-local, so `appendAudit` keeps its static signature (every writer calls it the same way) while the
/// key comes from the store and the new head reaches the witness only after COMMIT.
final class AuditAppendContext: Sendable {
    @TaskLocal static var current: AuditAppendContext?

    let integrity: AuditIntegrity
    let head = Mutex<AuditHead?>(nil)

    init(integrity: AuditIntegrity) { self.integrity = integrity }
}
