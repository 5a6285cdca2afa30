import Foundation

/// Settings of a running Carta server, read once (CLI > environment > defaults) and passed down.
///
/// Source: DESIGN.md §3 (database URL, host, port) and §4 (configuration read once; secrets never logged).
public struct ServerConfig: Sendable {
    public var host: String
    public var port: Int
    /// The database URL as given (`sqlite://…`, `postgres://…`); never logged with its password.
    public var databaseURL: String
    /// Password for the first `admin` account on a new database; generated and printed once when nil.
    public var initialAdminPassword: String?
    /// Adds the `Secure` flag to cookies. Defaults to on unless the server listens on loopback only,
    /// because browsers drop `Secure` cookies sent over plain HTTP from non-loopback hosts.
    public var secureCookies: Bool
    /// bcrypt cost factor (2^cost rounds). 12 in production; tests may lower it to keep suites fast.
    public var bcryptCost: UInt8
    /// How long a web session or an API token stays valid.
    public var sessionLifetime: TimeInterval

    public init(
        host: String = "127.0.0.1", port: Int = 8080, databaseURL: String = "sqlite://carta.sqlite",
        initialAdminPassword: String? = nil, secureCookies: Bool? = nil, bcryptCost: UInt8 = 12,
        sessionLifetime: TimeInterval = 8 * 3600
    ) {
        self.host = host
        self.port = port
        self.databaseURL = databaseURL
        self.initialAdminPassword = initialAdminPassword
        self.secureCookies = secureCookies ?? !(host == "127.0.0.1" || host == "localhost" || host == "::1")
        self.bcryptCost = bcryptCost
        self.sessionLifetime = sessionLifetime
    }
}
