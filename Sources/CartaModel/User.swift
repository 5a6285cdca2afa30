import Foundation

/// A person who can sign in to Carta.
///
/// Source: issue 2 scope 5; issue 7 scope 1 (roles by site).
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
    /// Whose participants the user may see and act on.
    public var sites: SiteAccess
    /// When the user acknowledged that their electronic signature is the legally binding equivalent of
    /// a handwritten one (21 CFR 11.100(c)); nil until their first signature.
    public var signatureAttestedAt: Date? = nil
    /// When the user enrolled a TOTP second factor (RFC 6238); nil when they use a password alone.
    public var secondFactorEnrolledAt: Date? = nil
    /// Inactive users cannot sign in.
    public var active: Bool
    /// When the account was created (UTC).
    public var createdAt: Date

    /// Creates the record (the store builds these from rows; tests and importers may too).
    public init(id: UserID, username: String, displayName: String, role: UserRole, sites: SiteAccess = .all,
                active: Bool, createdAt: Date) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.role = role
        self.sites = sites
        self.active = active
        self.createdAt = createdAt
    }
}
