import Foundation

/// A person who can sign in to Carta.
///
/// Source: issue 2 scope 5 ("roles at least admin, investigator, coordinator, monitor").
/// The password hash is deliberately not part of this value; see `CartaStore.credentials(username:)`.
public struct User: Sendable, Equatable, Codable {
    /// Internal id.
    public var id: UserID
    /// Unique sign-in name.
    public var username: String
    /// Name shown on pages and signatures.
    public var displayName: String
    /// What the user may do.
    public var role: UserRole
    /// Inactive users cannot sign in.
    public var active: Bool
    /// When the account was created (UTC).
    public var createdAt: Date
}
