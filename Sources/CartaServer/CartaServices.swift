import CartaModel
import CartaStore
import CartaStudy
import CartaWeb
import Foundation
import Logging

/// Everything a request handler needs, built once by `CartaApplication.build` (the composition root).
///
/// Source: DESIGN.md §2 (CartaServer is the composition root used by `main` and by tests).
public struct CartaServices: Sendable {
    public let config: ServerConfig
    public let store: CartaStore
    public let study: Study
    public let auth: AuthService
    public let screening: ScreeningService
    public let pages: PageRenderer
    public let logger: Logger

    public init(config: ServerConfig, store: CartaStore, study: Study, logger: Logger) throws {
        self.config = config
        self.store = store
        self.study = study
        self.auth = AuthService(store: store, bcryptCost: config.bcryptCost, lifetime: config.sessionLifetime)
        self.screening = ScreeningService(store: store, study: study)
        self.pages = try PageRenderer()
        self.logger = logger
    }
}
