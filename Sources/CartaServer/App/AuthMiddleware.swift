import CartaTrial
import CartaModel
import CartaStore
import Hummingbird
import HummingbirdAuth

/// Identifies the caller: API paths by bearer token only, pages by the session cookie only.
///
/// Keeping the two apart means the API never accepts cookies (so it needs no CSRF defence) and
/// pages never accept bearer tokens. Source: OWASP CSRF Prevention Cheat Sheet.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let auth: AccountService

    static let sessionCookie = "carta_session"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if RequestPath.isAPI(request.uri.path) {
            if let bearer = request.headers.bearer, let user = try await auth.user(bearer: bearer.token) {
                context.user = user
            }
        } else if let token = request.cookies[Self.sessionCookie]?.value, let (user, session) = try await auth.session(token: token) {
            context.user = user
            context.session = session
            context.sessionToken = token
        }
        return try await next(request, context)
    }
}
