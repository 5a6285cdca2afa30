import Foundation

/// The outcome of re-computing the audit hash chain (keyed records' HMACs, links, and the head witness).
///
/// Source: issue 2 scope 4 ("`carta audit verify` re-computes the chain and reports the first broken link");
/// issue 7 scope 8 (truncation, recomputed hashes, forged rows).
public enum AuditVerification: Sendable, Equatable {
    /// Every record links to its predecessor, its hash matches its content, and the newest record named by the
    /// head witness is there.
    case intact(count: Int)
    /// The first record whose link or hash does not match, and why.
    case broken(seq: Int, reason: String)
}
