import Hummingbird

/// Answers a web address that matches no route with Carta's own 404 page (layout, navigation when signed
/// in, what to do next) instead of the server library's bare text; API paths keep their JSON errors.
///
/// Source: issue 8 scope 11 ("Unknown URLs get the app's own 404 page").
struct WebNotFoundMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let services: CartaServices

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !RequestPath.isAPI(request.uri.path) else { return try await next(request, context) }
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            return services.errorPage(AppError.notFound("There is no page at this address."), context)
        }
    }
}
