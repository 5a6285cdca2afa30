import CartaModel

/// Who asks the application layer to do something, and through which channel. Every service entry
/// point takes one and checks permission and site scope here, so the web pages, the API and the CLI
/// cannot differ in what they allow.
///
/// Source: issue 7 scope 1 ("Enforced in the application layer for every page, API route and CLI
/// command"); 21 CFR 11.10(d),(g) (access limited to authorised individuals; authority checks).
public struct Principal: Sendable, Equatable {
    /// The signed-in user.
    public let user: User
    /// The channel (web, api, cli, import), written into the audit trail.
    public let source: AuditSource

    /// Creates a principal.
    public init(_ user: User, source: AuditSource) {
        self.user = user
        self.source = source
    }

    /// The audit actor for changes made on this principal's behalf.
    public var actor: AuditActor { AuditActor(user: user, source: source) }

    /// Whether the role grants `permission`.
    public func may(_ permission: Permission) -> Bool { user.active && permission.allows(user.role) }

    /// Refuses (`forbidden`, with the permission's own explanation) unless the role grants `permission`.
    public func require(_ permission: Permission) throws {
        guard may(permission) else { throw WorkflowError(.forbidden, permission.refusal) }
    }

    /// Whether a participant of `site` is within this user's sites.
    public func reaches(_ site: SiteID) -> Bool { user.sites.includes(site) }
}
