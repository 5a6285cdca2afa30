import CartaModel
import ArgumentParser
import CartaStore
import Foundation

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Inspect the audit trail.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the SHA-256 hash chain; report the first broken link (exit 1).")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let store = try await database.openStore()
            let result: AuditVerification
            do { result = try await store.verifyAuditChain() } catch { await store.close(); throw error }
            await store.close()
            switch result {
            case .intact(let count):
                print("Audit chain intact: \(count) records verified.")
            case .broken(let seq, let reason):
                throw CLIFailure("audit chain broken at record \(seq): \(reason)")
            }
        }
    }
}
