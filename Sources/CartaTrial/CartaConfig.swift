import CartaStore
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
    /// A web session unused this long ends (issue 7 scope 2; OWASP: 15–30 minutes for sensitive data).
    public var sessionIdleTimeout: TimeInterval = 30 * 60
    /// The audit key file (`--audit-key`, `CARTA_AUDIT_KEY_FILE`); nil: beside an SQLite database, required for PostgreSQL.
    public var auditKeyFile: String?
    /// The audit head witness file (`--audit-witness`, `CARTA_AUDIT_WITNESS_FILE`); nil: the engine's default.
    public var auditWitnessFile: String?

    /// The default database when neither `--db` nor `CARTA_DATABASE_URL` is given.
    public static let defaultDatabaseURL = "sqlite://carta.sqlite"

    /// Creates a configuration.
    public init(databaseURL: String = CartaConfig.defaultDatabaseURL, studyFile: String? = nil,
                initialAdminPassword: String? = nil, bcryptCost: UInt8 = 12, sessionLifetime: TimeInterval = 8 * 3600,
                auditKeyFile: String? = nil, auditWitnessFile: String? = nil) {
        self.databaseURL = databaseURL
        self.studyFile = studyFile
        self.initialAdminPassword = initialAdminPassword
        self.bcryptCost = bcryptCost
        self.sessionLifetime = sessionLifetime
        self.auditKeyFile = auditKeyFile
        self.auditWitnessFile = auditWitnessFile
    }

    /// Where the audit key and head witness are (issue 7 scope 8; docs/audit-integrity.md).
    public var auditFiles: AuditFiles { AuditFiles(keyFile: auditKeyFile, witnessFile: auditWitnessFile) }

    /// The configuration from command-line values (nil when not given) over the environment over defaults.
    ///
    /// Environment: `CARTA_DATABASE_URL`, `CARTA_ADMIN_PASSWORD`, `CARTA_AUDIT_KEY_FILE`,
    /// `CARTA_AUDIT_WITNESS_FILE` (empty counts as unset).
    public static func resolve(database: String?, studyFile: String?, auditKey: String? = nil, auditWitness: String? = nil,
                               environment: [String: String] = ProcessInfo.processInfo.environment) -> CartaConfig {
        func env(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        return CartaConfig(databaseURL: database ?? env("CARTA_DATABASE_URL") ?? defaultDatabaseURL,
                           studyFile: studyFile,
                           initialAdminPassword: env("CARTA_ADMIN_PASSWORD"),
                           auditKeyFile: auditKey ?? env("CARTA_AUDIT_KEY_FILE"),
                           auditWitnessFile: auditWitness ?? env("CARTA_AUDIT_WITNESS_FILE"))
    }
}
