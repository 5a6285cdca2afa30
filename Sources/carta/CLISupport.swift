import CartaModel
import ArgumentParser
import CartaStore
import CartaStudy
import CartaTrial
import Foundation
import Logging

/// `--db` shared by every command that opens the database (DESIGN.md §3: CLI > environment > default).
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "Database URL: sqlite://file.sqlite, sqlite:///abs/path.sqlite or postgres://user:pass@host:port/db. Env: CARTA_DATABASE_URL. Default: ./carta.sqlite.")
    var db: String?
    @Option(name: .long, help: "Audit key file, kept outside the database (created with mode 0600 for a database with no audit records sealed yet; a missing key of an audited database is refused). Env: CARTA_AUDIT_KEY_FILE. Default: <db>.audit-key beside an SQLite file; required for PostgreSQL.")
    var auditKey: String?
    @Option(name: .long, help: "Audit head witness file (last record's seq and hash with a MAC). Env: CARTA_AUDIT_WITNESS_FILE. Default: <db>.audit-head for SQLite, <audit key>.<database>.head for PostgreSQL.")
    var auditWitness: String?

    /// Opens the database named by `--db`, else `CARTA_DATABASE_URL`, else the default (read once, by `CartaConfig`).
    /// Only `creating` commands (`migrate`, `user add`) may start a new SQLite file; the others refuse a missing one.
    func openStore(creating: Bool = false) async throws -> CartaStore {
        let config = CartaConfig.resolve(database: db, studyFile: nil, auditKey: auditKey, auditWitness: auditWitness)
        let url = try DatabaseURL(parsing: config.databaseURL)
        if !creating { try Self.requireExisting(url) }
        return try await CartaStore.open(url, audit: config.auditFiles, logger: quietLogger())
    }

    /// Refuses an SQLite file that does not exist. Only `serve`, `migrate`, `demo` and `user add` create a database, so
    /// a mistyped `--db`, or a command run in the wrong folder, is said as such — rather than met with a new empty
    /// database, a new audit key and a misleading "unknown username" (or "no such table").
    static func requireExisting(_ url: DatabaseURL) throws {
        if case .sqlite(let path) = url, !FileManager.default.fileExists(atPath: path) {
            throw CLIFailure("no database at \(path): check --db (or CARTA_DATABASE_URL); only carta serve, migrate, demo and user add create one",
                             code: "not_found")
        }
    }
}

/// `--study FILE`: a study file instead of the built-in NCT05315778.
struct StudyOptions: ParsableArguments {
    @Option(name: .long, help: "Study file (YAML). Default: the built-in NCT05315778 study.")
    var study: String?
}

func quietLogger() -> Logger {
    var logger = Logger(label: "carta")
    logger.logLevel = .warning
    return logger
}

/// Reads one line (a password) from standard input without echoing it into logs.
func readSecretLine(prompt: String, what: String = "password") throws -> String {
    if isatty(STDIN_FILENO) != 0 { FileHandle.standardError.write(Data(prompt.utf8)) }
    guard let line = readLine(strippingNewline: true), !line.isEmpty else {
        throw CLIFailure("no \(what) on standard input")
    }
    return line
}

/// One line of identifying detail from standard input (prompted on a terminal), so that it never
/// appears in the process list (issue 7 hole: `--full-name` on the command line).
func readDetailLine(prompt: String, field: String) throws -> String {
    if isatty(STDIN_FILENO) != 0 { FileHandle.standardError.write(Data(prompt.utf8)) }
    guard let line = readLine(strippingNewline: true) else {
        throw CLIFailure("no \(field) on standard input (after the password: full name, date of birth, hospital number, one per line)",
                         code: "invalid_input")
    }
    return line
}

/// A failure reported on stderr with exit status 1 (DESIGN.md §3: 1 = invalid input).
struct CLIFailure: Error, CustomStringConvertible {
    let description: String
    /// The stable code printed before the message, when the failure has one (e.g. `unauthorized`).
    let code: String?
    init(_ message: String, code: String? = nil) { description = message; self.code = code }
}

/// A one-line progress counter on stderr ("participants 3/5"), shown only on a terminal so scripts and
/// pipes get clean output. Stateless, hence safe to call from the service's progress callback.
struct ProgressLine: Sendable {
    let label: String
    var enabled: Bool { isatty(STDERR_FILENO) != 0 }

    /// "[#########-----------] 45% label 9/20" when the total is known, else "label 9".
    func update(_ done: Int, of total: Int?) {
        guard enabled else { return }
        guard let total, total > 0 else {
            FileHandle.standardError.write(Data("\r\(label) \(done)".utf8))
            return
        }
        let width = 24, filled = min(width, done * width / total)
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        FileHandle.standardError.write(Data("\r[\(bar)] \(done * 100 / total)% \(label) \(done)/\(total)".utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
