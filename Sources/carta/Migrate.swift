import CartaModel
import ArgumentParser
import CartaStore
import Foundation

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending schema migrations (named, forward-only).")
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let store = try await database.openStore(creating: true)
        do {
            let pending = try await store.pendingMigrations()
            if pending.isEmpty {
                print("Database is up to date (\(try await store.appliedMigrations().count) migrations applied).")
            } else {
                for (i, name) in pending.enumerated() { FileHandle.standardError.write(Data("[\(i + 1)/\(pending.count)] \(name)\n".utf8)) }
                let applied = try await store.migrate()
                print("Applied \(applied.count) migrations: \(applied.joined(separator: ", "))")
            }
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }
}
