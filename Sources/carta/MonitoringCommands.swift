import ArgumentParser
import CartaModel
import CartaTrial
import Foundation

/// `carta lock` and `carta query`: the data manager's locks and the monitor's and site's queries from
/// scripts, through the same services as the web pages and the API (issue 7 scopes 5 and 7).
struct LockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lock", abstract: "Lock and unlock a form, a casebook or the database (data managers; password on stdin).",
        subcommands: [List.self, Add.self, Remove.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the standing locks at your sites.")
        @OptionGroup var ctx: ParticipantCommand.Context
        func run() async throws {
            try await ParticipantCommand.withServices(ctx) { s in
                let principal = try await ctx.principal(s, needs: .readStudyData)
                for l in try await s.locks.locks(by: principal) {
                    print("\(l.id)\t\(l.scope.rawValue)\t\(l.participantID?.rawValue ?? "-")\t\(l.formOID?.rawValue ?? "-")\t\(l.lockedByName)\t\(l.reason)")
                }
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lock: --scope database | participant SUBJECT | form SUBJECT --form OID.")
        @OptionGroup var ctx: ParticipantCommand.Context
        @Option(help: "database, participant or form") var scope: String
        @Option(help: "The participant (participant and form locks).") var subject: String?
        @Option(help: "The form OID (form locks).") var form: String?
        @Option(help: "Why (kept in the audit trail).") var reason: String
        func run() async throws {
            guard let kind = DataLock.Scope(rawValue: scope) else { throw ValidationError("--scope must be database, participant or form") }
            try await ParticipantCommand.withServices(ctx) { s in
                let (principal, password, code) = try await ctx.signedIn(s, needs: .lockData)
                let lock = try await s.locks.lock(kind, subjectID: subject.map { SubjectID($0) }, formOID: form, reason: reason,
                                                  password: password, code: code, by: principal)
                print("locked \(lock.id) (\(lock.scope.rawValue))")
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "unlock", abstract: "Lift a standing lock, with a reason.")
        @OptionGroup var ctx: ParticipantCommand.Context
        @Argument var id: String
        @Option(help: "Why (kept in the audit trail).") var reason: String
        func run() async throws {
            try await ParticipantCommand.withServices(ctx) { s in
                let (principal, password, code) = try await ctx.signedIn(s, needs: .lockData)
                _ = try await s.locks.unlock(id: id, reason: reason, password: password, code: code, by: principal)
                print("unlocked \(id)")
            }
        }
    }
}

struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query", abstract: "Data queries: list, raise (monitor, data manager), answer (site), close, reopen.",
        subcommands: [List.self, Raise.self, Act.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List queries at your sites, oldest first (tab-separated, with age in days).")
        @OptionGroup var ctx: ParticipantCommand.Context
        @Option(help: "Comma list of open, answered, closed (default: open,answered).") var status: String = "open,answered"
        @Option(help: "Only this participant.") var subject: String?
        func run() async throws {
            var filter = QueryFilter(subjectID: subject.map { SubjectID($0) })
            for part in status.split(separator: ",") {
                guard let s = DataQuery.Status(rawValue: String(part)) else { throw ValidationError("--status takes open, answered, closed") }
                filter.statuses.insert(s)
            }
            try await ParticipantCommand.withServices(ctx) { s in
                let principal = try await ctx.principal(s, needs: .readStudyData)
                for (q, subject) in try await s.queries.inbox(filter, by: principal) {
                    print("\(q.id)\t\(subject)\t\(q.address.formOID)/\(q.address.itemOID)\t\(q.status.rawValue)\t\(q.ageInDays(now: s.clock.now))d\t\(q.text)")
                }
            }
        }
    }

    struct Raise: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Raise a query on an item of a participant.")
        @OptionGroup var ctx: ParticipantCommand.Context
        @Argument var subjectID: String
        @Argument var itemOID: String
        @Option(help: "The visit (e.g. D7); screening data when left out.") var visit: String?
        @Option(help: "The question.") var text: String
        func run() async throws {
            try await ParticipantCommand.withServices(ctx) { s in
                let principal = try await ctx.principal(s, needs: .manageQueries)
                let q = try await s.queries.raise(subjectID: SubjectID(subjectID), itemOID: itemOID, visitID: visit, text: text, by: principal)
                print("raised \(q.id)")
            }
        }
    }

    struct Act: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "act", abstract: "answer, close or reopen a query: carta query act ID answer --text ...")
        @OptionGroup var ctx: ParticipantCommand.Context
        @Argument var id: String
        @Argument(help: "answer, close or reopen") var action: String
        @Option(help: "The answer or the reason.") var text: String
        func run() async throws {
            try await ParticipantCommand.withServices(ctx) { s in
                let q: DataQuery
                switch action {
                case "answer": q = try await s.queries.answer(id: id, text: text, by: try await ctx.principal(s, needs: .answerQueries))
                case "close": q = try await s.queries.close(id: id, text: text, by: try await ctx.principal(s, needs: .manageQueries))
                case "reopen": q = try await s.queries.reopen(id: id, text: text, by: try await ctx.principal(s, needs: .manageQueries))
                default: throw ValidationError("the action is answer, close or reopen")
                }
                print("\(q.id) \(q.status.rawValue)")
            }
        }
    }
}
