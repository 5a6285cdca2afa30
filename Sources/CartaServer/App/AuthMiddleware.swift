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
            if let token = Self.bearerToken(request.headers[.authorization]), let user = try await auth.user(bearer: token) {
                context.user = user
            }
        } else if let token = request.cookies[Self.sessionCookie]?.value, let (user, session) = try await auth.session(token: token) {
            context.user = user
            context.session = session
            context.sessionToken = token
        }
        return try await next(request, context)
    }

    /// The token of an `Authorization: Bearer <token>` header; the scheme's name in any case, as RFC 9110 §11.1 has it
    /// ("bearer abc" was refused as not signed in).
    static func bearerToken(_ value: String?) -> String? {
        guard let value else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
