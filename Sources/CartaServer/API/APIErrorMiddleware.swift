import CartaTrial
import Hummingbird

/// Answers every failed `/api/` request in the DESIGN.md §3 error shape, including requests that
/// match no route (404) or exceed the body limit (413), which never reach an `APIRouter` handler.
///
/// Source: DESIGN.md §3 — errors as `{"error": {"code", "message", "field"}}` with a fitting status.
struct APIErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard RequestPath.isAPI(request.uri.path) else { return try await next(request, context) }
        do {
            return try await next(request, context)
        } catch {
            return JSONResponse.error(AppError.from(error))
        }
    }
}
