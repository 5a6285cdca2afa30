import CartaModel
import CartaStore
import CartaStudy
import CartaTrial
import CartaWeb
import Foundation
import Logging

/// Everything a request handler needs, built once at start-up: the application runtime (store, study,
/// clock, services), the page renderer and the server's own configuration.
///
/// Source: DESIGN.md §2 (CartaServer's composition root, used by `main` and by tests, over `CartaRuntime`).
public struct CartaServices: Sendable {
    public let config: ServerConfig
    public let runtime: CartaRuntime
    public let pages: PageRenderer
    public let logger: Logger
    /// Site names by id, computed once.
    let siteNames: [String: String]
    /// The database was filled by `carta demo` (marked synthetic in its audit trail): every page says so.
    public var synthetic = false

    public var store: CartaStore { runtime.store }
    public var study: Study { runtime.study }
    public var screening: ScreeningService { runtime.screening }
    public var auth: AccountService { runtime.accounts }

    public init(config: ServerConfig, runtime: CartaRuntime, logger: Logger) throws {
        self.config = config
        self.runtime = runtime
        self.pages = try PageRenderer()
        self.logger = logger
        self.siteNames = Dictionary(runtime.study.sites.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
    }

    /// Services over an opened store, on the system clock (the server is where the real clock enters).
    public init(config: ServerConfig, store: CartaStore, study: Study, logger: Logger) throws {
        try self.init(config: config, runtime: CartaRuntime(config: config.trial, store: store, study: study, instant: { Date() }),
                      logger: logger)
    }
}
