import CartaTrial
import Foundation

/// How `carta serve` listens, on top of the configuration every command shares.
///
/// Source: DESIGN.md §3 (`--host`, default 127.0.0.1; `--port`, default 8080; secure cookies off loopback).
public struct ServerConfig: Sendable {
    public var host: String
    public var port: Int
    public var databaseURL: String
    public var initialAdminPassword: String?
    public var secureCookies: Bool
    public var bcryptCost: UInt8
    public var sessionLifetime: TimeInterval
    /// A connection with no bytes for this long is closed — also one that never finishes its
    /// headers (issue 7: such connections stayed open forever). Source: OWASP DoS Cheat Sheet (slow requests).
    public var idleTimeout: Duration
    /// The audit key file; nil: beside an SQLite database (required for PostgreSQL). Source: issue 7 scope 8.
    public var auditKeyFile: String?
    /// The audit head witness file; nil: the engine's default. Source: issue 7 scope 8.
    public var auditWitnessFile: String?

    public init(
        host: String = "127.0.0.1", port: Int = 8080, databaseURL: String = CartaConfig.defaultDatabaseURL,
        initialAdminPassword: String? = nil, secureCookies: Bool? = nil, bcryptCost: UInt8 = 12,
        sessionLifetime: TimeInterval = 8 * 3600, idleTimeout: Duration = .seconds(30),
        auditKeyFile: String? = nil, auditWitnessFile: String? = nil
    ) {
        self.host = host
        self.port = port
        self.databaseURL = databaseURL
        self.initialAdminPassword = initialAdminPassword
        self.secureCookies = secureCookies ?? !(host == "127.0.0.1" || host == "localhost" || host == "::1")
        self.bcryptCost = bcryptCost
        self.sessionLifetime = sessionLifetime
        self.idleTimeout = idleTimeout
        self.auditKeyFile = auditKeyFile
        self.auditWitnessFile = auditWitnessFile
    }

    /// The shared part, for the application runtime.
    public var trial: CartaConfig {
        CartaConfig(databaseURL: databaseURL, initialAdminPassword: initialAdminPassword, bcryptCost: bcryptCost,
                    sessionLifetime: sessionLifetime, auditKeyFile: auditKeyFile, auditWitnessFile: auditWitnessFile)
    }
}
