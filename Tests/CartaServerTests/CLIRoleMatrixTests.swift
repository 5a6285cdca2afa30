import CartaModel
import CartaStore
import CartaTrial
import Foundation
import Testing

/// The command line gives each role exactly what `Permission` gives it (issue 7 Tests: "a role × action matrix
/// test over every route and CLI command for every role against docs/roles.md"): every role runs every
/// permission-gated command; a role without the permission is refused with `[forbidden]` and its refusal text,
/// a role with it never is (it may still fail for another reason: an unknown subject, a missing file).
@Suite("CLI role matrix")
struct CLIRoleMatrixTests {
    struct Command: Sendable, CustomTestStringConvertible {
        let arguments: [String]
        let permission: Permission
        /// Lines after the password on stdin.
        var input = ""
        var testDescription: String { arguments.prefix(2).joined(separator: " ") }
    }

    static func commands(file: String, out: String) -> [Command] {
        [
            Command(arguments: ["participant", "list"], permission: .readStudyData),
            Command(arguments: ["participant", "register"], permission: .registerParticipant, input: "Ada Lovelace\n1980-05-17\nH-1\n"),
            Command(arguments: ["participant", "set", "NOPE-999", "WEIGHT=70@kg"], permission: .enterData),
            Command(arguments: ["participant", "sign", "NOPE-999", "--decision", "eligible"], permission: .signEligibility),
            Command(arguments: ["participant", "enrol", "NOPE-999"], permission: .enrol),
            Command(arguments: ["lock", "add", "--scope", "participant", "--subject", "NOPE-999", "--reason", "matrix check"], permission: .lockData),
            Command(arguments: ["query", "raise", "NOPE-999", "WEIGHT", "--text", "please check"], permission: .manageQueries),
            Command(arguments: ["sdv", "verify", "NOPE-999", "--form", "F_VITALS"], permission: .verifySource),
            Command(arguments: ["casebook", "sign", "NOPE-999"], permission: .signCasebook),
            Command(arguments: ["audit", "redact", "999999", "--reason", "personal data typed into a reason"], permission: .redactAudit),
            Command(arguments: ["user", "access-review"], permission: .reviewAccess),
            Command(arguments: ["export", "odm", "--out", out], permission: .exportArchive),
            Command(arguments: ["import", "odm", "--in", file], permission: .importArchive),
            Command(arguments: ["today"], permission: .readStudyData),
        ]
    }

    @Test func everyRoleGetsWhatItsPermissionsGiveItAndNothingElse() async throws {
        let (url, dir) = try CLI.tempSQLite()
        defer { try? FileManager.default.removeItem(at: dir) }
        let password = "matrix password 0123\n"
        // One account per role, hashed at bcrypt cost 4 so that 126 sign-ins stay quick (the CLI checks any cost).
        let store = try await CartaStore.open(try DatabaseURL(parsing: url))
        _ = try await store.migrate()
        let accounts = AccountService(store: store, bcryptCost: 4, lifetime: 3600, clock: SiteClock(timeZone: .gmt, instant: { Date() }))
        for role in UserRole.allCases {
            _ = try await store.createUser(username: "u-\(role.rawValue)", displayName: role.rawValue, role: role,
                                           passwordHash: accounts.hash("matrix password 0123"), actor: AuditActor(userID: nil, username: "setup", source: .cli))
        }
        await store.close()
        let file = dir.appendingPathComponent("empty.xml").path
        FileManager.default.createFile(atPath: file, contents: Data())
        var refused = 0, allowed = 0
        for (n, command) in Self.commands(file: file, out: dir.appendingPathComponent("out").path).enumerated() {
            for role in UserRole.allCases {
                var arguments = command.arguments
                if let i = arguments.firstIndex(of: dir.appendingPathComponent("out").path) { arguments[i] += "-\(n)-\(role.rawValue).xml" }
                let r = try await CLI.runAsync(arguments + ["--db", url, "--user", "u-\(role.rawValue)"], stdin: password + command.input)
                if command.permission.allows(role) {
                    #expect(!r.stderr.contains("[forbidden]"), "\(command.testDescription) as \(role.rawValue) was refused: \(r.stderr)")
                    allowed += 1
                } else {
                    #expect(r.status == 1 && r.stderr.contains("[forbidden]") && r.stderr.contains(command.permission.refusal),
                            "\(command.testDescription) as \(role.rawValue) was not refused: \(r.status) \(r.stderr)")
                    refused += 1
                }
            }
        }
        #expect(refused > 50 && allowed > 30)
    }
}
