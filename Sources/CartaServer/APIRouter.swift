import Hummingbird

/// Registers `/api/v1` routes and remembers each (method, path) so a test can compare them with
/// the hand-written OpenAPI document (issue 2 §7).
final class APIRouter {
    let router: Router<AppRequestContext>
    private(set) var registered: [String] = []

    init(router: Router<AppRequestContext>) { self.router = router }

    /// `path` uses Hummingbird syntax (`/participants/:subjectID`); recorded in OpenAPI syntax.
    func on(_ method: HTTPRequest.Method, _ path: String,
            _ handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Response) {
        let full = "/api/v1" + path
        router.on(RouterPath(full), method: method) { request, context in
            do { return try await handler(request, context) } catch { return JSONResponse.error(AppError.from(error)) }
        }
        let openAPIPath = full.split(separator: "/", omittingEmptySubsequences: false).map { seg in
            seg.hasPrefix(":") ? "{\(seg.dropFirst())}" : String(seg)
        }.joined(separator: "/")
        registered.append("\(method.rawValue.uppercased()) \(openAPIPath)")
    }
}
