import CartaModel
import Foundation

/// A stored API bearer token (only its hash is kept).
///
/// Source: DESIGN.md §3 (API sign-in); notes/stack.md pitfall 9.
public struct APITokenRecord: Sendable, Equatable {
    /// SHA-256 hex of the bearer token.
    public var tokenHash: String
    /// The token's owner.
    public var userID: UserID
    /// Creation time (UTC).
    public var createdAt: Date
    /// Expiry time (UTC).
    public var expiresAt: Date
}
