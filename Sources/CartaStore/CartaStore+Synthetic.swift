import CartaModel
import Foundation
import SQLKit

extension CartaStore {
    /// Marks the database as holding synthetic demonstration data — an audit record, so the mark can
    /// never be removed by the application (no code path edits or deletes audit records).
    ///
    /// Source: issue 9 scope 3 ("a synthetic study can never be mixed with real data; every page says so").
    public func markSynthetic(detail: String, actor: AuditActor, at date: Date) async throws {
        let at = StoreTimestamp.string(StoreTimestamp.truncated(date))
        try await write { db in
            try await Self.appendAudit(db, actor: actor, at: at, reason: nil, [
                AuditChange(entity: .database, entityID: "synthetic", field: "marked_synthetic", oldValue: nil, newValue: detail),
            ])
        }
    }

    /// Claims the database for synthetic data in one transaction: refused unless it holds no participants
    /// and either no accounts or the synthetic mark already; records the mark when it is not there yet.
    /// A real database — even one with accounts and no participant yet — is never claimed.
    public func claimForSynthetic(detail: String, actor: AuditActor, at date: Date) async throws {
        let at = StoreTimestamp.string(StoreTimestamp.truncated(date))
        try await write { db in
            func count(_ table: String) async throws -> Int {
                try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table).first()?.decode(column: "n", as: Int.self) ?? 0
            }
            let marked = try await db.select().column("seq").from("audit_events").where("entity", .equal, AuditEntity.database.rawValue)
                .where("entity_id", .equal, "synthetic").limit(1).first() != nil
            guard try await count("participants") == 0, try await count("users") == 0 || marked else {
                throw StoreError.conflict("this database holds participants or accounts and is not a demo database; synthetic data goes only into a new database (for example sqlite://carta-demo.sqlite)")
            }
            guard !marked else { return }
            try await Self.appendAudit(db, actor: actor, at: at, reason: nil, [
                AuditChange(entity: .database, entityID: "synthetic", field: "marked_synthetic", oldValue: nil, newValue: detail),
            ])
        }
    }

    /// Whether `markSynthetic` was ever recorded in this database.
    public func isSynthetic() async throws -> Bool {
        try await read { db in
            try await db.select().column("seq").from("audit_events").where("entity", .equal, AuditEntity.database.rawValue)
                .where("entity_id", .equal, "synthetic").limit(1).first() != nil
        }
    }

    /// How many participants the database holds (any study, any status).
    public func participantCount() async throws -> Int {
        try await read { db in
            try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("participants").first()?
                .decode(column: "n", as: Int.self) ?? 0
        }
    }
}
