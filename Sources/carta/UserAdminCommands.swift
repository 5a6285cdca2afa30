import ArgumentParser
import CartaModel
import CartaStore
import CartaTrial
import Foundation

/// Account administration from the command line, as an administrator signed in with `--user` (password
/// on stdin): list, deactivate and reactivate (never delete), reset a password, change role and sites.
/// The application layer checks `manageUsers` and audits each change with its reason.
/// Source: issue 7 scope 2 (deactivation, reset by an admin, every permission change audited).
extension UserCommand {
    struct AdminContext: ParsableArguments {
        @OptionGroup var participant: ParticipantCommand.Context
        @Option(help: "Why (kept in the audit trail).") var reason: String?

        func run(_ body: @escaping (CartaRuntime, Principal) async throws -> Void) async throws {
            try await ParticipantCommand.withServices(participant) { s in
                let principal = try await participant.principal(s, needs: .manageUsers)
                try await body(s, principal)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accounts: name, role, sites, active.")
        @OptionGroup var admin: AdminContext
        func run() async throws {
            try await admin.run { s, principal in
                try principal.require(.manageUsers)
                for u in try await s.store.users() {
                    print("\(u.username)\t\(u.role.rawValue)\t\(u.sites.description)\t\(u.active ? "active" : "deactivated")")
                }
            }
        }
    }

    struct AccessReview: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "access-review",
            abstract: "The periodic access review: every account's role, sites, last sign-in, failures, second factor and flags (tab-separated).")
        @OptionGroup var participant: ParticipantCommand.Context
        func run() async throws {
            try await ParticipantCommand.withServices(participant) { s in
                let principal = try await participant.principal(s, needs: .reviewAccess)
                print(["username", "role", "sites", "state", "last_sign_in_utc", "failures_90_days", "second_factor", "api_tokens", "flags"]
                    .joined(separator: "\t"))
                for e in try await s.accounts.accessReview(by: principal) {
                    print([e.username, e.role.rawValue, e.sites.description, e.active ? "active" : "deactivated",
                           e.lastSignInAt.map(StoreTimestamp.string) ?? "never", String(e.recentFailures), e.secondFactor ? "yes" : "no",
                           String(e.activeTokens), e.flags.joined(separator: "; ")].joined(separator: "\t"))
                }
            }
        }
    }

    struct Deactivate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Deactivate an account (never deleted); its sessions and tokens end.")
        @Argument var name: String
        @OptionGroup var admin: AdminContext
        func run() async throws {
            try await admin.run { s, principal in
                let u = try await s.accounts.setActive(false, username: name, reason: admin.reason ?? "", by: principal)
                print("\(u.username) deactivated.")
            }
        }
    }

    struct Reactivate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reactivate a deactivated account.")
        @Argument var name: String
        @OptionGroup var admin: AdminContext
        func run() async throws {
            try await admin.run { s, principal in
                let u = try await s.accounts.setActive(true, username: name, reason: admin.reason ?? "", by: principal)
                print("\(u.username) reactivated.")
            }
        }
    }

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-password",
            abstract: "Set a new password for an account: your password, then the new one, on stdin; its sessions and tokens end.")
        @Argument var name: String
        @OptionGroup var admin: AdminContext
        func run() async throws {
            try await admin.run { s, principal in
                let new = try readSecretLine(prompt: "New password for \(name): ")
                let u = try await s.accounts.resetPassword(username: name, newPassword: new, reason: admin.reason ?? "", by: principal)
                print("Password of \(u.username) reset; every session and token of the account ended.")
            }
        }
    }

    struct ResetSecondFactor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-second-factor",
            abstract: "Remove an account's second factor (a lost or replaced phone); the user can then set up a new one.")
        @Argument var name: String
        @OptionGroup var admin: AdminContext
        func run() async throws {
            try await admin.run { s, principal in
                let u = try await s.accounts.resetSecondFactor(username: name, reason: admin.reason ?? "", by: principal)
                print("Second factor of \(u.username) removed; a password alone signs them in until they set up a new one.")
            }
        }
    }

    struct SetAccess: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set-access", abstract: "Change an account's role and sites.")
        @Argument var name: String
        @Option(help: ArgumentHelp("Role: \(UserRole.allCases.map(\.rawValue).joined(separator: ", ")).")) var role: String
        @Option(name: .customLong("site"), help: "A site the user reaches (repeatable).") var sites: [String] = []
        @Flag(name: .customLong("all-sites"), help: "The user reaches every site.") var allSites = false
        @OptionGroup var admin: AdminContext

        func validate() throws {
            guard UserRole(rawValue: role) != nil else {
                throw ValidationError("--role must be one of \(UserRole.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard allSites != !sites.isEmpty else { throw ValidationError("give either --all-sites or at least one --site") }
        }

        func run() async throws {
            try await admin.run { s, principal in
                let u = try await s.accounts.setAccess(
                    username: name, role: UserRole(rawValue: role)!, sites: allSites ? .all : .only(Set(sites.map { SiteID(rawValue: $0) })),
                    studySites: s.study.sites.map { SiteID($0.id) }, reason: admin.reason ?? "", by: principal)
                print("\(u.username): \(u.role.rawValue), \(u.sites.description).")
            }
        }
    }
}
