import ArgumentParser
import CartaModel
import CartaTrial
import CartaWeb
import Foundation

/// `carta report --out DIR`: the study report as one self-contained HTML file (inline SVG and CSS, no
/// network), beside the outcomes as JSON and the analysis-ready CSV tables (issue 9 scope 2).
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Write the study report (self-contained HTML with plots) and its tables into a directory.")

    @OptionGroup var ctx: ParticipantCommand.Context
    @Option(help: "Directory to write report.html, outcomes.json and the CSV tables into.") var out: String

    func run() async throws {
        try await ParticipantCommand.withServices(ctx) { s in
            let outcomes = try await s.outcomes.derive(by: try await ctx.principal(s, needs: .readStudyData))
            let synthetic = outcomes.synthetic
            let layout = LayoutModel(studyId: s.study.id, studyTitle: s.study.title, user: nil, csrf: "", sections: [], synthetic: synthetic)
            let html = try PageRenderer().renderStandalone(ReportPage.build(outcomes, standalone: true), layout: layout)
            let dir = try DeriveCommand.writeFiles(outcomes, into: out)
            try Data(html.utf8).write(to: dir.appendingPathComponent("report.html"))
            print("wrote\t\(dir.appendingPathComponent("report.html").path)\t\(outcomes.enrolled) enrolled, \(outcomes.treated) treated" + (synthetic ? "\tSYNTHETIC DATA" : ""))
        }
    }
}
