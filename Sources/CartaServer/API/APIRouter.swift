import CartaTrial
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
            do { return try await handler(request, context) } catch {
                let e = AppError.from(error)
                if e.status.code >= 500 {
                    // The type only: messages may carry clinical values, which never go to the log.
                    context.logger.error("API request failed", metadata: ["error": "\(String(reflecting: type(of: error)))"])
                }
                return JSONResponse.error(e)
            }
        }
        let openAPIPath = full.split(separator: "/", omittingEmptySubsequences: false).map { seg in
            seg.hasPrefix(":") ? "{\(seg.dropFirst())}" : String(seg)
        }.joined(separator: "/")
        registered.append("\(method.rawValue.uppercased()) \(openAPIPath)")
    }
}
