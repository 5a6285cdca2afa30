import CartaModel
import CartaCore
import CartaStore
import CartaStudy
import CartaTrial
import Foundation
import Hummingbird
import Logging

/// The composition root used by `carta serve` and by tests: opens the store, loads the study, and
/// builds the Hummingbird application with every route.
///
/// Source: DESIGN.md §2; hummingbird-examples `App+build.swift` (one builder for `main` and tests).
public enum CartaApplication {
    /// Opens the database, migrates it when it is empty (a non-empty database with pending
    /// migrations is refused: run `carta migrate` deliberately), and loads the study.
    public static func makeServices(config: ServerConfig, study: Study, logger: Logger) async throws -> CartaServices {
        let runtime = try await CartaRuntime.open(config.trial, study: study, migrate: .ifEmpty, instant: { Date() }, logger: logger)
        do {
            var services = try CartaServices(config: config, runtime: runtime, logger: logger)
            services.synthetic = try await runtime.store.isSynthetic()
            return services
        } catch {
            await runtime.store.close()
            throw error
        }
    }

    public struct Built {
        public let application: Application<RouterResponder<AppRequestContext>>
        public let apiRoutes: [String]
    }

    /// Builds the application over `services`.
    public static func build(services: CartaServices) -> Built {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: RequestGuardMiddleware())
        router.add(middleware: SubjectIDSpellingMiddleware(study: services.study))
        router.add(middleware: APIErrorMiddleware())
        router.add(middleware: AuthMiddleware(auth: services.auth))
        router.add(middleware: WebNotFoundMiddleware(services: services))
        router.get("/healthz") { _, _ -> Response in
            // Reachability: a real round trip to the database, not just "the process is up".
            do {
                _ = try await services.store.userCount()
                return JSONResponse.raw(Data(#"{"status":"ok"}"#.utf8))
            } catch {
                return JSONResponse.raw(Data(#"{"status":"unavailable"}"#.utf8), status: .serviceUnavailable)
            }
        }
        let api = APIRouter(router: router)
        services.addAuthAndComputeRoutes(to: api)
        services.addAccountRoutes(to: api)
        services.addLockRoutes(to: api)
        services.addMonitoringRoutes(to: api)
        services.addParticipantRoutes(to: api)
        services.addAdverseEventAPIRoutes(to: api)
        services.addOutcomeAPIRoutes(to: api)
        services.addAuditRoutes(to: api)
        services.addAccessReviewRoutes(to: api)
        router.get("/api/v1/openapi.json") { _, _ in JSONResponse.raw(Data(OpenAPIDocument.json.utf8)) }
        services.addWebRoutes(to: router)
        let idle = services.config.idleTimeout.components
        let app = Application(
            router: router,
            server: .http1(configuration: .init(idleTimeout: .nanoseconds(idle.seconds * 1_000_000_000 + idle.attoseconds / 1_000_000_000))),
            configuration: .init(address: .hostname(services.config.host, port: services.config.port), serverName: "Carta"),
            logger: services.logger)
        return Built(application: app, apiRoutes: api.registered)
    }
}

/// Headers every response carries: no sniffing, no framing, a strict same-origin content policy
/// (all scripts and styles are served by Carta itself — no CDN).
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.init("X-Frame-Options")!] = "DENY"
        response.headers[.contentSecurityPolicy] = "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        response.headers[.init("Referrer-Policy")!] = "same-origin"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }
}
