import ArgumentParser
import CartaModel
import CartaStudy
import CartaTrial
import Foundation

/// `carta today`: the today screen of the signed-in user's sites, one block per enrolled participant
/// (alarming first), through the same service as `GET /api/v1/today`; `carta today acknowledge` clears
/// one alert (issue 8 scope 9).
struct TodayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "today", abstract: "What is due, overdue and alarming today, per enrolled participant.",
        subcommands: [Show.self, Acknowledge.self], defaultSubcommand: Show.self)

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Print the today screen.")
        @OptionGroup var ctx: ParticipantCommand.Context
        func run() async throws {
            try await ParticipantCommand.withServices(ctx) { s in
                let rows = try await s.today.today(by: try await ctx.principal(s, needs: .readStudyData))
                let ended = rows.filter { $0.endOfStudy != nil }.count
                print("today\t\(s.clock.today)\t\(rows.count) enrolled" + (ended > 0 ? ", \(ended) of them off study" : ""))
                for r in rows {
                    let day = r.studyDay.map { "day \($0)" + (r.provisional ? " (provisional)" : "") } ?? "no calendar"
                    print("\(r.participant.subjectID)\t\(day)")
                    if let end = r.endOfStudy {
                        print("  off study\t\(s.study.codeLabel(ProductChain.dispositionStatus, end.status))\t\(end.date)\t\(end.visitID)")
                    }
                    for a in r.alerts { print("  alert\t\(a.key)\t\(a.text)") }
                    for v in r.overdue { print("  overdue\t\(v.id)\t\(v.name)\t\(v.earliest)..\(v.latest)") }
                    for v in r.dueToday { print("  due\t\(v.id)\t\(v.name)\t\(v.earliest)..\(v.latest)") }
                    if !r.nextStep.isEmpty { print("  waiting\t\(r.nextStep)") }
                    if let p = r.platelets.last { print("  platelets\t\(TodayService.number(p.value))\t\(p.date)\t\(r.plateletTrend ?? "-")") }
                    print("  crs/icans\t\(r.crsGrade.map(String.init) ?? "-")/\(r.icansGrade.map(String.init) ?? "-")")
                }
            }
        }
    }

    struct Acknowledge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Acknowledge one alert by its key (as printed by `carta today`).")
        @OptionGroup var ctx: ParticipantCommand.Context
        @Argument var subjectID: String
        @Argument var key: String
        @Option(help: "A note recorded with the acknowledgement.") var note: String?
        func run() async throws {
            try await ParticipantCommand.withServices(ctx) { s in
                let alert = try await s.today.acknowledge(subjectID: SubjectID(subjectID), key: key, note: note,
                                                          by: try await ctx.principal(s, needs: .enterData))
                print("acknowledged\t\(subjectID)\t\(alert.text)")
            }
        }
    }
}
