import CartaTrial
import CartaModel
import CartaStore
import Hummingbird

/// Per-request state: the signed-in user and, for browsers, their session (which carries the CSRF token).
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The authenticated user, set by the auth middleware.
    public var user: User?
    /// The web session when signed in through the browser.
    public var session: SessionRecord?
    /// The raw session cookie token (to sign out).
    public var sessionToken: String?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }

    public var maxUploadSize: Int { 1 * 1024 * 1024 }

    /// The signed-in user or a 401.
    public func requireUser() throws -> User {
        guard let user else { throw AppError.unauthorized() }
        return user
    }

    /// The signed-in user as the application layer's principal, after the same permission check the
    /// services repeat (the early check keeps a refused request from reading its body).
    public func principal(_ permission: Permission, _ source: AuditSource) throws -> Principal {
        Principal(try require(permission), source: source)
    }

    /// The signed-in user if their role has `permission`, else 403 naming what they cannot do.
    public func require(_ permission: Permission) throws -> User {
        let user = try requireUser()
        guard permission.allows(user.role) else { throw AppError.forbidden(permission.refusal) }
        return user
    }
}
