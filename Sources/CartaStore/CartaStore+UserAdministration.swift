import CartaModel
import Foundation
import SQLKit

extension CartaStore {
    /// What an administrator changes on an account.
    public enum AccountChange: Sendable, Equatable {
        /// Active or deactivated (accounts are never deleted).
        case active(Bool)
        /// A new role and sites.
        case access(UserRole, SiteAccess)
        /// A new password hash (an admin's reset or the user's own change).
        case password(hash: String)
    }

    /// Applies one account change with its audit records in one transaction. Deactivation and a
    /// password reset also end every session and token of the account, in the same transaction.
    ///
    /// Source: issue 7 scope 2 (deactivation, never deletion; password reset by an admin; "every
    /// permission change is audited"); 21 CFR 11.300(b) (periodic and event-driven revision of credentials).
    public func changeAccount(_ userID: UserID, _ change: AccountChange, reason: String?, actor: AuditActor, at date: Date) async throws -> User {
        let at = StoreTimestamp.string(StoreTimestamp.truncated(date))
        return try await write { db in
            guard let row = try await db.select().column("*").from("users").where("id", .equal, userID.rawValue).first() else {
                throw StoreError(.notFound, "no user \(userID)")
            }
            let before = try Self.user(from: row)
            var changes: [AuditChange] = []
            var endSessions = false
            func audit(_ field: String, _ old: String?, _ new: String?) {
                if old != new { changes.append(AuditChange(entity: .user, entityID: userID.rawValue, field: field, oldValue: old, newValue: new)) }
            }
            switch change {
            case .active(let active):
                try await db.update("users").set("active", to: active).where("id", .equal, userID.rawValue).run()
                audit("active", before.active ? "true" : "false", active ? "true" : "false")
                endSessions = !active
            case .access(let role, let sites):
                try await db.update("users").set("role", to: role.rawValue).set("sites", to: sites.stored)
                    .where("id", .equal, userID.rawValue).run()
                audit("role", before.role.rawValue, role.rawValue)
                audit("sites", before.sites.stored, sites.stored)
            case .password(let hash):
                try await db.update("users").set("password_hash", to: hash).where("id", .equal, userID.rawValue).run()
                changes.append(AuditChange(entity: .user, entityID: userID.rawValue, field: "password", oldValue: "(set)", newValue: "(changed)"))
                endSessions = true
            }
            if endSessions {
                let n = try await Self.countSessionsAndTokens(db, userID)
                try await db.delete(from: "sessions").where("user_id", .equal, userID.rawValue).run()
                try await db.delete(from: "api_tokens").where("user_id", .equal, userID.rawValue).run()
                changes.append(AuditChange(entity: .authentication, entityID: before.username, field: "signed_out_everywhere",
                                           oldValue: nil, newValue: "\(n) session(s) and token(s) ended"))
            }
            try await Self.appendAudit(db, actor: actor, at: at, reason: reason, changes)
            guard let after = try await db.select().column("*").from("users").where("id", .equal, userID.rawValue).first() else {
                throw StoreError(.notFound, "no user \(userID)")
            }
            return try Self.user(from: after)
        }
    }
}
