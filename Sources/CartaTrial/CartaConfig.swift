import Foundation

/// The configuration every command shares, read once (command line > environment > defaults) and passed down.
///
/// Secrets (the initial admin password) are never printed; a bad value is reported by its name.
/// Source: DESIGN.md §3 (database URL contract) and §4 ("Configuration is read once … into a Config value").
public struct CartaConfig: Sendable {
    /// Database URL text: `sqlite://…`, `sqlite:///…` or `postgres://…`.
    public var databaseURL: String
    /// Path of a study file, or nil for the built-in NCT05315778 study.
    public var studyFile: String?
    /// Password for the first `admin` account on a new database (`CARTA_ADMIN_PASSWORD`), or nil to generate one.
    public var initialAdminPassword: String?
    /// bcrypt cost for new password hashes (OWASP Password Storage Cheat Sheet: ≥ 10).
    public var bcryptCost: UInt8
    /// Lifetime of a web session or API token.
    public var sessionLifetime: TimeInterval

    /// The default database when neither `--db` nor `CARTA_DATABASE_URL` is given.
    public static let defaultDatabaseURL = "sqlite://carta.sqlite"

    /// Creates a configuration.
    public init(databaseURL: String = CartaConfig.defaultDatabaseURL, studyFile: String? = nil,
                initialAdminPassword: String? = nil, bcryptCost: UInt8 = 12, sessionLifetime: TimeInterval = 8 * 3600) {
        self.databaseURL = databaseURL
        self.studyFile = studyFile
        self.initialAdminPassword = initialAdminPassword
        self.bcryptCost = bcryptCost
        self.sessionLifetime = sessionLifetime
    }

    /// The configuration from command-line values (nil when not given) over the environment over defaults.
    ///
    /// Environment: `CARTA_DATABASE_URL`, `CARTA_ADMIN_PASSWORD` (empty counts as unset).
    public static func resolve(database: String?, studyFile: String?,
                               environment: [String: String] = ProcessInfo.processInfo.environment) -> CartaConfig {
        CartaConfig(databaseURL: database ?? environment["CARTA_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultDatabaseURL,
                    studyFile: studyFile,
                    initialAdminPassword: environment["CARTA_ADMIN_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 })
    }
}
