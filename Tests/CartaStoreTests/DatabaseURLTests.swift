import CartaModel
import Foundation
import Testing
import CartaStore

/// Parsing of `--db` / `CARTA_DATABASE_URL`.
/// Source: DESIGN.md §3 ("`sqlite:///abs/path.sqlite`, `sqlite://relative.sqlite`, or `postgres://user:pass@host:port/db`").
@Suite("DatabaseURL")
struct DatabaseURLTests {
    // DESIGN.md §3 accepted forms, resolved against working directory /work.
    @Test(arguments: [
        ("sqlite:///var/lib/carta/carta.sqlite", DatabaseURL.sqlite(path: "/var/lib/carta/carta.sqlite")),
        ("sqlite://relative.sqlite", .sqlite(path: "/work/relative.sqlite")),
        ("sqlite://data/../carta.sqlite", .sqlite(path: "/work/carta.sqlite")),
        ("./carta.sqlite", .sqlite(path: "/work/carta.sqlite")),
        ("/tmp/x.sqlite", .sqlite(path: "/tmp/x.sqlite")),
        ("postgres://carta:s3cret@db.example:6543/carta", .postgres(url: "postgres://carta:s3cret@db.example:6543/carta",
                                                                   host: "db.example", port: 6543, username: "carta", database: "carta")),
        ("postgresql://carta@localhost/trial", .postgres(url: "postgresql://carta@localhost/trial", host: "localhost",
                                                         port: 5432, username: "carta", database: "trial")),
    ])
    func parses(text: String, expected: DatabaseURL) throws {
        #expect(try DatabaseURL(parsing: text, workingDirectory: "/work") == expected)
    }

    // DESIGN.md §3 / §4: bad values name the setting and never echo the password.
    @Test(arguments: ["", "mysql://u:hunter2@h/db", "postgres://u:hunter2@/db", "postgres://u:hunter2@h:5432/",
                      "postgres://:hunter2@h/db", "sqlite://"])
    func rejects(text: String) {
        do {
            _ = try DatabaseURL(parsing: text, workingDirectory: "/work")
            Issue.record("accepted \(text)")
        } catch let error as StoreError {
            #expect(error.code == .invalidConfiguration)
            #expect(error.message.contains("--db") && error.message.contains("CARTA_DATABASE_URL"))
            #expect(!error.message.contains("hunter2"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    // DESIGN.md §4: configuration never logs a secret.
    @Test func descriptionRedactsPassword() throws {
        let url = try DatabaseURL(parsing: "postgres://carta:s3cret@db:5432/carta")
        #expect(url.description == "postgres://carta:***@db:5432/carta")
        #expect(url.engine == .postgresql)
        #expect(DatabaseURL.defaultURL(workingDirectory: "/srv") == .sqlite(path: "/srv/carta.sqlite"))
    }

    // DESIGN.md §4: a connection failure is a `database` error whose message never contains the password.
    @Test func unreachablePostgresFailsWithoutLeakingThePassword() async throws {
        let url = try DatabaseURL(parsing: "postgres://carta:hunter2@127.0.0.1:1/carta")
        do {
            let store = try await CartaStore.open(url)
            await store.close()
            Issue.record("connected to a closed port")
        } catch let error as StoreError {
            #expect(error.code == .database)
            #expect(error.message.contains("127.0.0.1:1"))
            #expect(!error.message.contains("hunter2"), "\(error.message)")
        }
    }

    // DESIGN.md §3: an SQLite path in a missing folder is a configuration error naming the setting.
    @Test func sqliteInMissingFolderIsAConfigurationError() async {
        do {
            let store = try await CartaStore.open(.sqlite(path: "/nonexistent-\(UUID().uuidString)/carta.sqlite"))
            await store.close()
            Issue.record("opened a database in a missing folder")
        } catch let error as StoreError {
            #expect(error.code == .invalidConfiguration && error.message.contains("--db"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
