import ArgumentParser
import CartaServer
import Foundation
import Hummingbird
import Logging

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Start the Carta web app and JSON API.")

    @Option(help: "Database URL (sqlite://file.sqlite or postgres://user:pass@host:port/db). Env: CARTA_DATABASE_URL.")
    var db: String?
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080

    func run() async throws {
        let env = ProcessInfo.processInfo.environment
        let config = ServerConfig(
            host: host, port: port,
            databaseURL: db ?? env["CARTA_DATABASE_URL"] ?? "sqlite://carta.sqlite",
            initialAdminPassword: env["CARTA_ADMIN_PASSWORD"])
        var logger = Logger(label: "carta")
        logger.logLevel = .info
        let app = try await CartaApplication.build(config: config, logger: logger)
        try await app.runService()
    }
}
