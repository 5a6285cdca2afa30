import Foundation

/// Who performs a change and through which channel; written into every audit record.
///
/// Source: issue 2 scope 4 ("who, when, what, why, and source (web, API, CLI, import)").
public struct AuditActor: Sendable, Equatable, Codable {
    /// The acting user's id, or `nil` for the system itself (e.g. the first admin created by `serve`).
    public var userID: UserID?
    /// The acting user's username (kept even if the user is renamed later).
    public var username: String
    /// The channel the change came through.
    public var source: AuditSource

    /// Creates an actor.
    ///
    /// Source: issue 2 scope 4.
    public init(userID: UserID?, username: String, source: AuditSource) {
        self.userID = userID
        self.username = username
        self.source = source
    }

    /// Creates the actor for a signed-in user.
    ///
    /// Source: issue 2 scope 4.
    public init(user: User, source: AuditSource) {
        self.init(userID: user.id, username: user.username, source: source)
    }
}
