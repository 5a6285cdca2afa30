import CartaModel
import Foundation

/// A parsed database location: an SQLite file or a PostgreSQL server.
///
/// Source: DESIGN.md §3 ("`--db URL` or `CARTA_DATABASE_URL`; `sqlite:///abs/path.sqlite`,
/// `sqlite://relative.sqlite`, or `postgres://user:pass@host:port/db`. Default: `./carta.sqlite`").
/// `description` never contains the password.
public enum DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    /// An SQLite database file at an absolute path.
    case sqlite(path: String)
    /// A PostgreSQL database; `url` is the full original URL (with password) used to connect.
    case postgres(url: String, host: String, port: Int, username: String, database: String)

    /// The default location, `./carta.sqlite` in the working directory.
    ///
    /// Source: DESIGN.md §3.
    public static func defaultURL(workingDirectory: String = FileManager.default.currentDirectoryPath) -> DatabaseURL {
        .sqlite(path: (workingDirectory as NSString).appendingPathComponent("carta.sqlite"))
    }

    /// Parses a `--db` / `CARTA_DATABASE_URL` value; relative SQLite paths resolve against `workingDirectory`.
    ///
    /// Source: DESIGN.md §3. Throws `StoreError(.invalidConfiguration)` naming the setting, without the password.
    public init(parsing text: String, workingDirectory: String = FileManager.default.currentDirectoryPath) throws {
        let raw = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !raw.isEmpty else { throw Self.invalid("it is empty") }
        let lower = raw.lowercased()
        if lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://") {
            self = try Self.parsePostgres(raw)
        } else if lower.hasPrefix("sqlite://") {
            let rest = String(raw.dropFirst("sqlite://".count))
            guard !rest.isEmpty else { throw Self.invalid("the SQLite URL has no file path (use sqlite:///abs/path.sqlite or sqlite://relative.sqlite)") }
            self = .sqlite(path: Self.absolute(rest, workingDirectory))
        } else if raw.contains("://") {
            let scheme = raw.components(separatedBy: "://")[0]
            throw Self.invalid("unsupported scheme \"\(scheme)\" (use sqlite://, postgres:// or postgresql://)")
        } else {
            self = .sqlite(path: Self.absolute(raw, workingDirectory))
        }
    }

    /// The URL with any password replaced by `***`, safe for logs and messages.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite://\(path)"
        case .postgres(_, let host, let port, let username, let database): "postgres://\(username):***@\(host):\(port)/\(database)"
        }
    }

    /// The engine this URL selects.
    ///
    /// Source: DESIGN.md §1.
    public var engine: DatabaseEngine {
        switch self {
        case .sqlite: .sqlite
        case .postgres: .postgresql
        }
    }

    private static func absolute(_ path: String, _ cwd: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return (expanded as NSString).standardizingPath }
        return ((cwd as NSString).appendingPathComponent(expanded) as NSString).standardizingPath
    }

    private static func parsePostgres(_ raw: String) throws -> DatabaseURL {
        guard let comps = URLComponents(string: raw) else {
            throw invalid("the PostgreSQL URL is malformed (expected postgres://user:pass@host:port/db)")
        }
        guard let host = comps.host, !host.isEmpty else { throw invalid("the PostgreSQL URL has no host") }
        guard let user = comps.user, !user.isEmpty else { throw invalid("the PostgreSQL URL has no user name") }
        let database = String(comps.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw invalid("the PostgreSQL URL has no database name (postgres://user:pass@host:port/db)")
        }
        let port = comps.port ?? 5432
        guard (1...65535).contains(port) else { throw invalid("port \(port) is out of range") }
        return .postgres(url: raw, host: host, port: port, username: user, database: database)
    }

    private static func invalid(_ why: String) -> StoreError {
        StoreError(.invalidConfiguration, "invalid database URL in --db / CARTA_DATABASE_URL: \(why)")
    }
}
