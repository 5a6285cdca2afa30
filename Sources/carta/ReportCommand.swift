import ArgumentParser
import CartaModel
import CartaTrial
import CartaWeb
import Foundation

/// `carta report --out DIR`: the study report as one self-contained HTML file (inline SVG and CSS, no
/// network), beside the outcomes as JSON and the analysis-ready CSV tables (issue 9 scope 2).
///
/// A study of at most `--draw` participants is derived whole and every participant drawn; a larger one is one
/// streamed pass (the files of `carta derive --out`), which draws the first `--draw` participants and tallies the
/// rest, so memory stays bounded by a page whatever the study's size (issue 9 scope 4).
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Write the study report (self-contained HTML with plots) and its tables into a directory.")

    @OptionGroup var ctx: ParticipantCommand.Context
    @Option(help: "Directory to write report.html, outcomes.json and the CSV tables into.") var out: String
    @Option(help: "Draw at most this many participants (the first enrolled) in the per-participant tables and plots; the study-level figures count everyone.")
    var draw: Int = StudyReport.drawnAtMost

    func validate() throws {
        guard draw >= 1 else { throw ValidationError("--draw must be at least 1 (got \(draw)).") }
    }

    func run() async throws {
        let dir = try DeriveCommand.outputFolder(out)
        try await ParticipantCommand.withServices(ctx) { s in
            let principal = try await ctx.principal(s, needs: .readStudyData)
            let report = try await OutcomeService.withDataCut(head: { try await s.store.auditHead() }, now: { s.clock.now }) {
                if try await s.outcomes.participantTotal(by: principal) <= draw {
                    let outcomes = try await s.outcomes.derive(by: principal)
                    _ = try DeriveCommand.writeFiles(outcomes, into: dir.path)
                    return StudyReport(everyone: outcomes)
                }
                var collector = StudyReport.Collector(drawnAtMost: draw)
                let study = try await DeriveCommand.streamFiles(s, by: principal, into: dir) { collector.add($0) }
                return collector.report(study)
            }
            let o = report.outcomes
            let layout = LayoutModel(studyId: s.study.id, studyTitle: s.study.title, user: nil, csrf: "", sections: [], synthetic: o.synthetic)
            let html = try PageRenderer().renderStandalone(ReportPage.build(report, standalone: true), layout: layout)
            try Data(html.utf8).write(to: dir.appendingPathComponent("report.html"))
            print("wrote\t\(dir.appendingPathComponent("report.html").path)\t\(o.enrolled) enrolled, \(o.treated) treated"
                  + (report.isExcerpt ? ", \(o.participants.count) drawn" : "") + (o.synthetic ? "\tSYNTHETIC DATA" : ""))
            if let cut = report.dataCut {
                if cut.isConsistent { print("data as of audit record \(cut.lastAuditRecord)") }
                else { FileHandle.standardError.write(Data("carta: \(ReportPage.dataCutText(cut))\n".utf8)) }
            }
        }
    }
}
