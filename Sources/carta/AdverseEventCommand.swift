import ArgumentParser
import CartaModel
import CartaTrial
import Foundation

/// `carta ae`: the adverse-event log from the command line, through the same service as the API
/// (issue 8 scope 7).
struct AdverseEventCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ae", abstract: "Adverse events: list, record, report a serious one.", subcommands: [List.self, Add.self, Report.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a participant's adverse events, SAE clocks and CRS/ICANS episodes.")
        @OptionGroup var ctx: ParticipantCommand.Context
        @Argument var subjectID: String
        func run() async throws {
            try await ParticipantCommand.withServices(ctx) { s in
                let log = try await s.adverseEvents.log(SubjectID(subjectID), by: try await ctx.principal(s, needs: .readStudyData))
                let clocks = Dictionary(log.clocks.map { ($0.number, $0) }, uniquingKeysWith: { a, _ in a })
                for e in log.events {
                    let clock = clocks[e.number].map { "\t\($0.state.rawValue)\($0.hoursLeft.map { " \($0) h" } ?? "")" } ?? ""
                    print("AE-\(e.number)\t\(e.term)\tgrade \(e.grade)\t\(e.onset)..\(e.resolution?.description ?? "ongoing")\t\(e.serious ? "serious" : "not serious")\(clock)")
                }
                for ep in log.episodes {
                    print("episode\t\(ep.syndrome)\tmax grade \(ep.maxGrade)\t\(ep.onset)..\(ep.resolution?.description ?? "ongoing")")
                }
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record an adverse event (CTCAE v5.0 term or MedDRA code).")
        @OptionGroup var ctx: ParticipantCommand.Context
        @Argument var subjectID: String
        @Option(help: "CTCAE v5.0 term or MedDRA code.") var term: String
        @Option var specify: String?
        @Option var grade: Int
        @Option(help: "YYYY-MM-DD") var onset: String
        @Option(help: "YYYY-MM-DD") var resolution: String?
        @Option(help: "Comma-separated ICH E2A criteria: death, life_threatening, hospitalisation, disability, congenital_anomaly, important_medical_event.")
        var serious: String?
        @Option(help: "When the site became aware of the serious event, ISO 8601 with offset.") var awareAt: String?
        @Option var causalityLd: String
        @Option var causalityCart: String
        @Option var causalityItp: String
        @Option var action: String?
        @Option var outcome: String?
        func run() async throws {
            try await ParticipantCommand.withServices(ctx) { s in
                let input = AdverseEventService.Input(
                    term: term, specify: specify, grade: grade, onset: onset, resolution: resolution,
                    seriousCriteria: serious.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } },
                    awareAt: awareAt, causalityLymphodepletion: causalityLd, causalityCART: causalityCart, causalityITP: causalityItp,
                    action: action, outcome: outcome)
                let e = try await s.adverseEvents.record(input, subjectID: SubjectID(subjectID), by: try await ctx.principal(s, needs: .enterData))
                print("AE-\(e.number)\t\(e.term) (MedDRA \(e.meddraCode))\tgrade \(e.grade) recorded")
            }
        }
    }

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record that a serious event was reported to the sponsor (ends its clock).")
        @OptionGroup var ctx: ParticipantCommand.Context
        @Argument var subjectID: String
        @Argument(help: "The event number (AE-3 → 3).") var number: Int
        @Option(help: "When it was reported, ISO 8601 with offset (default now).") var at: String?
        func run() async throws {
            try await ParticipantCommand.withServices(ctx) { s in
                let e = try await s.adverseEvents.report(number: number, reportedAt: at, subjectID: SubjectID(subjectID),
                                                         by: try await ctx.principal(s, needs: .enterData))
                print("AE-\(e.number)\treported")
            }
        }
    }
}
