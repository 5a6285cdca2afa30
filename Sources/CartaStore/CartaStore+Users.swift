import CartaModel
import Foundation
import SQLKit

extension CartaStore {
    /// Creates a user; audited with the password recorded as "(set)", never the hash.
    ///
    /// Source: issue 2 scope 5. A taken username → `StoreError.conflict`.
    public func createUser(username: String, displayName: String, role: UserRole, sites: SiteAccess = .all,
                           passwordHash: String, actor: AuditActor) async throws -> User {
        let name = username.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw StoreError(.constraint, "username must not be empty") }
        let user = User(id: .random(), username: name, displayName: displayName, role: role, sites: sites, active: true, createdAt: now())
        let at = StoreTimestamp.string(user.createdAt)
        return try await write { db in
            if try await db.select().column("id").from("users").where("username", .equal, name).first() != nil {
                throw StoreError.conflict("username \"\(name)\" is already taken")
            }
            try await db.insert(into: "users")
                .columns("id", "username", "display_name", "role", "password_hash", "active", "created_at", "sites")
                .values(user.id.rawValue, user.username, user.displayName, user.role.rawValue, passwordHash, true, at,
                        user.sites.stored)
                .run()
            let id = user.id.rawValue
            try await Self.appendAudit(db, actor: actor, at: at, reason: nil, [
                AuditChange(entity: .user, entityID: id, field: "username", oldValue: nil, newValue: user.username),
                AuditChange(entity: .user, entityID: id, field: "display_name", oldValue: nil, newValue: user.displayName),
                AuditChange(entity: .user, entityID: id, field: "role", oldValue: nil, newValue: user.role.rawValue),
                AuditChange(entity: .user, entityID: id, field: "sites", oldValue: nil, newValue: user.sites.stored),
                AuditChange(entity: .user, entityID: id, field: "active", oldValue: nil, newValue: "true"),
                AuditChange(entity: .user, entityID: id, field: "password", oldValue: nil, newValue: "(set)"),
            ])
            return user
        }
    }

    /// The user with this username, or `nil`.
    ///
    /// Source: issue 2 scope 5.
    public func user(username: String) async throws -> User? {
        try await credentials(username: username)?.user
    }

    /// The user with this id, or `nil`.
    ///
    /// Source: issue 2 scope 5.
    public func user(id: UserID) async throws -> User? {
        try await read { db in
            try await db.select().column("*").from("users").where("id", .equal, id.rawValue).first()
                .map(Self.user(from:))
        }
    }

    /// The user and the stored bcrypt hash, for the server to verify a password; `nil` if unknown.
    ///
    /// Source: issue 2 scope 5 (the server computes and checks bcrypt; the store only keeps the hash).
    public func credentials(username: String) async throws -> (user: User, passwordHash: String)? {
        try await read { db in
            guard let row = try await db.select().column("*").from("users").where("username", .equal, username).first() else {
                return nil
            }
            return (user: try Self.user(from: row), passwordHash: try row.decode(column: "password_hash", as: String.self))
        }
    }

    /// All users ordered by username.
    ///
    /// Source: issue 2 scope 5.
    public func users() async throws -> [User] {
        try await read { db in
            try await db.select().column("*").from("users").orderBy("username").all().map(Self.user(from:))
        }
    }

    /// How many users exist (0 on a new database, when `serve` creates the first admin).
    ///
    /// Source: issue 2 scope 5.
    public func userCount() async throws -> Int {
        try await read { db in
            try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("users").first()?
                .decode(column: "n", as: Int.self) ?? 0
        }
    }

    static func user(from row: any SQLRow) throws -> User {
        let roleText = try row.decode(column: "role", as: String.self)
        guard let role = UserRole(rawValue: roleText) else { throw StoreError(.database, "user has unknown role \"\(roleText)\"") }
        let sitesText = try row.decode(column: "sites", as: String.self)
        guard let sites = SiteAccess(stored: sitesText) else { throw StoreError(.database, "user has malformed sites \"\(sitesText)\"") }
        var user = User(
            id: UserID(rawValue: try row.decode(column: "id", as: String.self)),
            username: try row.decode(column: "username", as: String.self),
            displayName: try row.decode(column: "display_name", as: String.self),
            role: role,
            sites: sites,
            active: try row.decode(column: "active", as: Bool.self),
            createdAt: try date(row, "created_at"))
        user.signatureAttestedAt = try optionalDate(row, "signature_attested_at")
        user.secondFactorEnrolledAt = try optionalDate(row, "totp_enrolled_at")
        return user
    }

    /// Decodes a stored timestamp column.
    static func date(_ row: any SQLRow, _ column: String) throws -> Date {
        let text = try row.decode(column: column, as: String.self)
        guard let date = StoreTimestamp.date(text) else { throw StoreError(.database, "malformed timestamp in \(column)") }
        return date
    }

    /// Decodes an optional stored timestamp column.
    static func optionalDate(_ row: any SQLRow, _ column: String) throws -> Date? {
        guard let text = try row.decode(column: column, as: String?.self) else { return nil }
        guard let date = StoreTimestamp.date(text) else { throw StoreError(.database, "malformed timestamp in \(column)") }
        return date
    }
}
