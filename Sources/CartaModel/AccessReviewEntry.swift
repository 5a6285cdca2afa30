import Foundation

/// One account in the periodic access review: who can do what, where, and when they last used it.
///
/// Source: standards.md R-AC-1 ("quarterly access-review report lists users, roles, last login");
/// 21 CFR 11.300(b) (identification codes periodically checked, recalled or revised); EMA Guideline on
/// computerised systems in clinical trials (2023) Annex 3 (periodic review of user accounts and access rights).
public struct AccessReviewEntry: Sendable, Equatable, Codable {
    public var username: String
    public var displayName: String
    public var role: UserRole
    public var sites: SiteAccess
    public var active: Bool
    public var createdAt: Date
    /// The last successful sign-in on any channel, from the audit trail (nil: never).
    public var lastSignInAt: Date?
    /// Failed sign-ins and failed signatures in the review window.
    public var recentFailures: Int
    /// The last change of role, sites or active state, from the audit trail.
    public var lastAccessChangeAt: Date?
    /// Whether a TOTP second factor is enrolled.
    public var secondFactor: Bool
    /// Unexpired API tokens.
    public var activeTokens: Int
    /// What the reviewer should look at, in words (empty when nothing stands out).
    public var flags: [String]

    public init(username: String, displayName: String, role: UserRole, sites: SiteAccess, active: Bool, createdAt: Date,
                lastSignInAt: Date?, recentFailures: Int, lastAccessChangeAt: Date?, secondFactor: Bool, activeTokens: Int,
                flags: [String] = []) {
        self.username = username
        self.displayName = displayName
        self.role = role
        self.sites = sites
        self.active = active
        self.createdAt = createdAt
        self.lastSignInAt = lastSignInAt
        self.recentFailures = recentFailures
        self.lastAccessChangeAt = lastAccessChangeAt
        self.secondFactor = secondFactor
        self.activeTokens = activeTokens
        self.flags = flags
    }
}
