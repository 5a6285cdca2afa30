import CartaModel
import ArgumentParser
import CartaTrial
import CartaStore
import Foundation

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage user accounts.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user; the password is read from standard input (one line, at least 10 characters).")
        @Argument(help: "Sign-in name.") var name: String
        @Option(help: "Role: admin, investigator, coordinator or monitor.") var role: String
        @Option(name: .customLong("display-name"), help: "Name shown on pages and signatures (default: NAME).") var displayName: String?
        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            guard UserRole(rawValue: role) != nil else {
                throw ValidationError("--role must be one of \(UserRole.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }

        func run() async throws {
            let password = try readSecretLine(prompt: "Password for \(name): ")
            if let problem = AccountService.passwordProblem(password, username: name) { throw CLIFailure(problem, code: "invalid_input") }
            let store = try await database.openStore()
            do {
                if try await store.isEmpty() { _ = try await store.migrate() }
                let accounts = AccountService(store: store, bcryptCost: 12, lifetime: 3600,
                                              clock: SiteClock(timeZone: .gmt, instant: { Date() }))
                let user = try await accounts.createUser(
                    username: name, displayName: displayName, role: UserRole(rawValue: role)!, password: password,
                    actor: AuditActor(userID: nil, username: "carta user add", source: .cli))
                await store.close()
                print("Added \(user.username) (\(user.role.rawValue)).")
            } catch {
                await store.close()
                throw error
            }
        }
    }
}
