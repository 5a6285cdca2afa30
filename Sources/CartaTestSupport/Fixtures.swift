import CartaModel
import Foundation
import CartaStore

/// Small builders shared by store and server tests.
///
/// Source: DESIGN.md §2 (`CartaTestSupport`: fixtures and builders).
public enum Fixtures {
    /// An audit actor for the command line, not bound to a stored user.
    public static let cliActor = AuditActor(userID: nil, username: "system", source: .cli)

    /// `BCRITP-001`, `BCRITP-002`, …: the NCT05315778 subject-ID pattern.
    ///
    /// Source: issue 2 scope 6 ("e.g. `BCRITP-001`").
    @Sendable public static func bcritpSubjectID(_ n: Int) -> SubjectID {
        let digits = String(n)
        return SubjectID("BCRITP-" + String(repeating: "0", count: max(0, 3 - digits.count)) + digits)
    }

    /// Creates a user with a placeholder hash (tests do not need bcrypt) and returns its audit actor.
    ///
    /// Source: issue 2 scope 5.
    public static func user(_ store: CartaStore, _ username: String, role: UserRole,
                            source: AuditSource = .web) async throws -> (User, AuditActor) {
        let user = try await store.createUser(username: username, displayName: username.capitalized, role: role,
                                              passwordHash: "$2b$12$placeholder.hash.for.tests.only", actor: cliActor)
        return (user, AuditActor(user: user, source: source))
    }
}
