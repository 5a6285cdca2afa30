import Foundation

/// The outcome of re-computing the audit hash chain.
///
/// Source: issue 2 scope 4 ("`carta audit verify` re-computes the chain and reports the first broken link").
public enum AuditVerification: Sendable, Equatable {
    /// Every record links to its predecessor and its hash matches its content.
    case intact(count: Int)
    /// The first record whose link or hash does not match, and why.
    case broken(seq: Int, reason: String)
}
