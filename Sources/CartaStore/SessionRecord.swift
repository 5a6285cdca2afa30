import CartaModel
import Foundation

/// A stored web session (looked up by the hash of its cookie token).
///
/// Source: notes/stack.md pitfall 9 (persist sessions so restarts and several processes keep working).
public struct SessionRecord: Sendable, Equatable {
    /// SHA-256 hex of the cookie token.
    public var id: String
    /// The signed-in user.
    public var userID: UserID
    /// The CSRF token every form of this session must carry.
    public var csrfToken: String
    /// Creation time (UTC).
    public var createdAt: Date
    /// Expiry time (UTC).
    public var expiresAt: Date
    /// When the session was last used (the idle timeout counts from here).
    public var lastSeenAt: Date? = nil
}
