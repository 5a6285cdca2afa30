import CartaCore
import Foundation
import Hummingbird
import Logging

/// The composition root used by `carta serve` and by tests: builds the Hummingbird application.
///
/// Source: DESIGN.md §2 (CartaServer owns routing and composition); hummingbird-examples App+build.
public enum CartaApplication {
    public static func build(config: ServerConfig, logger: Logger) async throws -> some ApplicationProtocol {
        let router = Router(context: BasicRequestContext.self)
        router.get("/healthz") { _, _ -> Response in
            jsonResponse(#"{"status":"ok"}"#)
        }
        router.post("/api/v1/compute/:name") { request, context -> Response in
            let name = try context.parameters.require("name")
            let body = try await request.body.collect(upTo: 8 * 1024 * 1024)
            do {
                let out = try CalculatorRegistry.run(name: name, json: Data(buffer: body))
                return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: out)))
            } catch {
                let e = AppError.from(error)
                return Response(status: e.status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: e.jsonBody)))
            }
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname(config.host, port: config.port), serverName: "Carta"),
            logger: logger)
    }

    static func jsonResponse(_ s: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: s)))
    }
}
