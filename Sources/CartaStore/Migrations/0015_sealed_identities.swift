import CartaModel
import Foundation
import SQLKit

/// Migration `0015_sealed_identities`: from now on identifying details are stored sealed (AES-GCM under a key
/// derived from the audit key file). The schema is unchanged; applying it makes `migrate()` seal every
/// plaintext identity already stored (`CartaStore.sealPlaintextIdentities`), which needs the key and so runs
/// outside this SQL step. Forward-only; the name is stored in `schema_migrations` and must never change.
/// Source: standards.md R-PR-1 ("identifiers in a separate, encrypted store").
enum Migration_0015_sealed_identities {
    static let name = "0015_sealed_identities"

    static func apply(_ db: any SQLDatabase, _ engine: DatabaseEngine) async throws {}
}
