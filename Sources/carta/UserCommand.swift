import CartaModel
import ArgumentParser
import CartaTrial
import CartaStore
import Foundation

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage user accounts.",
        subcommands: [Add.self, List.self, AccessReview.self, Deactivate.self, Reactivate.self, ResetPassword.self, ResetSecondFactor.self, SetAccess.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user; the password is read from standard input (one line, at least 12 characters).",
            discussion: "Roles and what each may do: docs/roles.md. Site-bound roles need --site (repeatable) or --all-sites.")
        @Argument(help: "Sign-in name.") var name: String
        @Option(help: ArgumentHelp("Role: \(UserRole.allCases.map(\.rawValue).joined(separator: ", ")).")) var role: String
        @Option(name: .customLong("display-name"), help: "Name shown on pages and signatures (default: NAME).") var displayName: String?
        @Option(name: .customLong("site"), help: "A site whose participants the user reaches (repeatable).") var sites: [String] = []
        @Flag(name: .customLong("all-sites"), help: "The user reaches every site of the study.") var allSites = false
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var studyFile: StudyOptions

        func validate() throws {
            guard UserRole(rawValue: role) != nil else {
                throw ValidationError("--role must be one of \(UserRole.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard allSites != !sites.isEmpty else {
                throw ValidationError("give either --all-sites or at least one --site (the sites whose participants \(name) may see)")
            }
        }

        func run() async throws {
            let study = try CartaRuntime.loadStudy(CartaConfig.resolve(database: database.db, studyFile: studyFile.study))
            let password = try readSecretLine(prompt: "Password for \(name): ")
            if let problem = AccountService.passwordProblem(password, username: name) { throw CLIFailure(problem, code: "invalid_input") }
            let store = try await database.openStore(creating: true)
            do {
                if try await store.isEmpty() { _ = try await store.migrate() }
                let accounts = AccountService(store: store, bcryptCost: 12, lifetime: 3600,
                                              clock: SiteClock(timeZone: .gmt, instant: { Date() }))
                let user = try await accounts.createUser(
                    username: name, displayName: displayName, role: UserRole(rawValue: role)!,
                    sites: allSites ? .all : .only(Set(sites.map { SiteID(rawValue: $0) })), studySites: study.sites.map { SiteID($0.id) },
                    password: password,
                    actor: AuditActor(userID: nil, username: "carta user add", source: .cli))
                await store.close()
                print("Added \(user.username) (\(user.role.rawValue), \(user.sites.description)).")
            } catch {
                await store.close()
                throw error
            }
        }
    }
}
