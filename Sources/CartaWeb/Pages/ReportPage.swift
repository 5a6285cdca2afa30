import CartaModel
import Foundation
import Mustache

/// The study report: enrolment flow, baseline table, the registry's outcome measures with their
/// intervals, and the plots — the same page in the web app (`/report`) and in the self-contained file
/// `carta report` writes (inline SVG and CSS, no network).
///
/// Stable ids: #report-flow, #report-baseline, #report-outcomes, #report-participants (each subject's
/// figures with links to their source visits), #plot-trajectories, #plot-spider, #plot-swimmer, #plot-km,
/// #plot-ae-heatmap, #plot-bleeding, #plot-steroid, #report-conmed, #report-itppaq, #report-itpbat.
/// Source: issue 9 scope 2; spec/clinical.md §8 (percentages to one decimal, exact 95 % CI).
public enum ReportPage {
    public struct Model: PageModel, Equatable {
        public static let template = "report"
        public let title: String
        public let summary: String
        /// The data cut in words (`StudyReport.DataCut`), nil for a report made from figures alone; a warning when a
        /// change was saved during the build.
        public let dataCut: String?
        public let dataCutClass: String
        public let method: String
        /// Tables and plots as escaped HTML (`build`).
        public let tablesHTML: String
        public let plotsHTML: String
        /// Links to the CSV tables (web only; empty in the file).
        public let downloads: [Download]
        public let hasDownloads: Bool
    }

    public struct Download: Sendable, Equatable {
        public let label: String, href: String
    }

    /// `standalone` leaves out the links that only work inside the web app.
    public static func build(_ o: StudyOutcomes, standalone: Bool = false) -> Model {
        build(StudyReport(everyone: o), standalone: standalone)
    }

    /// The report of `r`: study-level tables and plots over every enrolled participant; per-participant tables and
    /// plots over the drawn ones, each saying so when they are not all (`StudyReport.isExcerpt`).
    public static func build(_ r: StudyReport, standalone: Bool = false) -> Model {
        let o = r.outcomes
        let orr = o.overallResponse.map { "\($0.successes)/\($0.total) (\($0.percentText))" } ?? "no participant treated yet"
        let summary = "\(o.registered) registered, \(o.enrolled) enrolled, \(o.treated) treated with CAR-T. Overall response \(orr)."
        // Appended to each per-participant caption when only some participants are drawn.
        let drawn = r.isExcerpt ? " Drawn for the first \(o.participants.count) of \(r.enrolled) enrolled participants (enrolment order)." : ""
        var tables = ""
        if r.isExcerpt { excerptNotice(r, &tables) }
        flow(o, &tables)
        baseline(r.baseline, &tables)
        outcomes(o, &tables)
        participants(o, standalone: standalone, drawn: drawn, &tables)
        concomitantTherapy(o, drawn: drawn, &tables)
        questionnaire(o, &tables)
        bleedingTool(o, drawn: drawn, &tables)
        let plots = ReportPlots.trajectories(o, drawn: drawn) + ReportPlots.spider(o, drawn: drawn) + ReportPlots.swimmer(o, drawn: drawn)
            + ReportPlots.kaplanMeier(o) + ReportPlots.heatMap(o) + ReportPlots.bleeding(o, drawn: drawn) + ReportPlots.steroid(o, drawn: drawn)
        let downloads = standalone ? [] : ["subjects", "visits", "tte", "ae", "conmed", "qs"].map {
            Download(label: "\($0).csv", href: "/report/tables/\($0).csv")
        }
        let cut = r.dataCut.map(dataCutText)
        return Model(title: "Study report", summary: summary, dataCut: cut,
                     dataCutClass: r.dataCut?.isConsistent == false ? "message message--warning" : "muted", method: o.method + " Response settings SHA-256 \(o.settingsDigest.prefix(16))….",
                     tablesHTML: tables, plotsHTML: plots, downloads: downloads, hasDownloads: !downloads.isEmpty)
    }

    /// Which data the figures come from: the audit record they were built at, and when; or, when changes were saved
    /// during the build (twice running), which records and what to do.
    public static func dataCutText(_ cut: StudyReport.DataCut) -> String {
        let built = WebFormat.dateTime(cut.builtAt)
        guard cut.isConsistent else {
            return "Warning: changes were saved while this report was built (audit records \(cut.firstAuditRecord + 1) to "
                + "\(cut.lastAuditRecord)), so its figures may mix the data before and after them. Build it again when data entry pauses. Built \(built)."
        }
        return "Data as of audit record \(cut.lastAuditRecord); built \(built)."
    }

    /// What a large study's report draws and where the rest is.
    static func excerptNotice(_ r: StudyReport, _ out: inout String) {
        out += "<p id=\"report-excerpt\" class=\"notice\">"
        esc("This study has \(r.enrolled) enrolled participants. The enrolment flow, the baseline table, the outcome measures, the "
            + "Kaplan–Meier curve and the adverse-event heat map count every one of them; the per-participant tables and plots draw the "
            + "first \(r.outcomes.participants.count) in enrolment order. Every participant's figures are in the subjects and visits tables (CSV).", &out)
        out += "</p>\n"
    }

    static func esc(_ s: String, _ out: inout String) { HTMLText.escape(s, into: &out) }

    /// A table caption (no full stop of its own) followed by the drawn-participants sentence, when there is one.
    static func captioned(_ caption: String, _ drawn: String) -> String { drawn.isEmpty ? caption : caption + "." + drawn }

    static func table(_ id: String, caption: String, head: [String], rows: [[String]], _ out: inout String) {
        out += "<div class=\"table-wrap\"><table id=\"\(id)\" class=\"report-table\"><caption>"; esc(caption, &out); out += "</caption><thead><tr>"
        for h in head { out += "<th scope=\"col\">"; esc(h, &out); out += "</th>" }
        out += "</tr></thead><tbody>"
        for r in rows {
            out += "<tr>"
            for (i, c) in r.enumerated() { out += i == 0 ? "<th scope=\"row\">" : "<td>"; esc(c, &out); out += i == 0 ? "</th>" : "</td>" }
            out += "</tr>"
        }
        out += "</tbody></table></div>\n"
    }

    static func flow(_ o: StudyOutcomes, _ out: inout String) {
        table("report-flow", caption: "Enrolment and disposition", head: ["Step", "Participants"], rows: [
            ["Registered for screening", "\(o.registered)"], ["Screen failures", "\(o.screenFailed)"],
            ["Still in screening", "\(max(0, o.registered - o.screenFailed - o.enrolled))"], ["Enrolled", "\(o.enrolled)"],
            ["Treated (≥ 1 CAR-T fraction)", "\(o.treated)"],
            ["Completed the study", "\(o.endOfStudy["completed"] ?? 0)"],
            ["Ended the study early", o.endOfStudy.filter { $0.key != "completed" }.isEmpty ? "0"
                : o.endOfStudy.filter { $0.key != "completed" }.sorted { $0.key < $1.key }.map { "\($0.value) (\($0.key))" }.joined(separator: ", ")],
        ], &out)
    }

    static func baseline(_ b: StudyReport.BaselineTally, _ out: inout String) {
        func spread(_ xs: [Double], unit: String) -> String {
            guard !xs.isEmpty else { return "—" }
            let s = xs.sorted()
            let median = StudyOutcomes.median(s) ?? 0
            return "\(ReportPlots.num(median)) \(unit) (\(ReportPlots.num(s.first ?? 0))–\(ReportPlots.num(s.last ?? 0)))"
        }
        table("report-baseline", caption: "Baseline characteristics (enrolled; median and range)", head: ["Characteristic", "Value"], rows: [
            ["Participants", "\(b.participants)"],
            ["Age at consent", spread(b.ages, unit: "years")],
            ["Female", b.participants == 0 ? "—" : "\(b.female)/\(b.participants)"],
            ["Weight", spread(b.weights, unit: "kg")],
            ["Baseline platelets", spread(b.platelets, unit: "×10⁹/L")],
        ], &out)
    }

    static func proportion(_ p: StudyOutcomes.Proportion?) -> String {
        guard let p else { return "—" }
        return "\(p.successes)/\(p.total) (\(p.percentText); 95 % CI \(String(format: "%.1f", p.lower * 100))–\(String(format: "%.1f", p.upper * 100)) %)"
    }

    static func outcomes(_ o: StudyOutcomes, _ out: inout String) {
        let ttr = o.timeToResponse
        let ttrText = ttr.n == 0 ? "no responder" : "median \(ReportPlots.num(ttr.median ?? 0)) days (range \(ttr.minimum ?? 0)–\(ttr.maximum ?? 0)), n = \(ttr.n)"
        let dor = o.durationOfResponse.map { d in
            "\(d.responders) responder(s), \(d.events) loss(es); median " + (d.medianDays.map { "\(ReportPlots.num($0)) days" } ?? "not reached")
        } ?? "no responder"
        func grades(_ s: StudyOutcomes.SyndromeSummary) -> String {
            s.participants == 0 ? "0" : "\(s.participants) (" + s.byMaxGrade.enumerated().filter { $0.element > 0 }.map { "G\($0.offset + 1): \($0.element)" }.joined(separator: ", ") + ")"
        }
        table("report-outcomes", caption: "Outcome measures (registry NCT05315778, 6 months)", head: ["Measure", "Result"], rows: [
            ["Overall response (CR or PR = IWG R)", proportion(o.overallResponse)],
            ["Complete response, IWG (≥ 100 and no bleeding)", proportion(o.completeResponseIWG)],
            ["Complete response, protocol-literal (≥ 100)", proportion(o.completeResponseProtocolLiteral)],
            ["Time to response", ttrText],
            ["Duration of response (Kaplan–Meier)", dor],
            ["Participants with a serious adverse event", "\(o.participantsWithSeriousEvents)"],
            ["CRS (maximum ASTCT grade of the daily assessments)", grades(o.crs)],
            ["ICANS (maximum ASTCT grade of the daily assessments)", grades(o.icans)],
            ["Treatment-emergent lab worsening (CTCAE v5.0 grade above baseline; participants, of them to grade ≥ 3)",
             o.labWorsening.isEmpty ? "none" : o.labWorsening.map { "\($0.term) \($0.participants) (\($0.toGrade3OrMore))" }.joined(separator: "; ")],
            ["Participants with bleeding / severe bleeding", "\(o.participantsWithBleeding) / \(o.participantsWithSevereBleeding)"],
            ["ITP-BAT from Day 0: participants by highest grade per domain (S skin, M mucosae, O organs)", bleedingToolSummary(o.itpBat)],
            ["Participants with rescue therapy", "\(o.participantsWithRescue)"],
            ["Concomitant ITP therapy: reduction ≥ 25 % sustained 4 weeks (of those on therapy at baseline)", proportion(o.concomitantTherapy?.reduction)],
            ["Concomitant ITP therapy: reduction ≥ 50 %", proportion(o.concomitantTherapy?.secondaryReduction)],
            ["Concomitant ITP therapy: discontinuation", proportion(o.concomitantTherapy?.discontinuation)],
            ["Corticosteroid dose, median % change at month 3 / month 6", steroidChange(o.concomitantTherapy)],
            ["Increase or new ITP drug after Day 0 (treatment failure)", o.concomitantTherapy.map { "\($0.treatmentFailure) of \($0.derived)" } ?? "—"],
            ["ITP-PAQ (health-related quality of life)", questionnaireSummary(o.questionnaire)],
        ], &out)
    }

    /// What ended a duration of response, in words: the derivation keeps the engine's code (`DurationEnd`, spec
    /// §1.6 DoR method a), which the CSV tables carry as is; a reader of the report gets a phrase.
    static func durationEnd(_ d: StudyOutcomes.Duration) -> String {
        let reason = switch d.end {
        case "loss": "loss of response"
        case "death": "death"
        case "lastEvaluableAssessment": "last evaluable assessment"
        case "newITPTherapy": "new ITP therapy"
        default: d.end
        }
        return (d.event ? "event: " : "censored: ") + reason
    }

    static func participants(_ o: StudyOutcomes, standalone: Bool, drawn: String, _ out: inout String) {
        out += "<div class=\"table-wrap\"><table id=\"report-participants\" class=\"report-table\"><caption>Each participant's figures and where they come from"
        if !drawn.isEmpty { esc("." + drawn, &out) }
        out += "</caption><thead><tr>"
        for h in ["Subject", "Day 0", "Baseline", "Best response", "Month 6", "Time to response", "Duration of response", "CRS / ICANS", "AEs (serious)", "Sources"] {
            out += "<th scope=\"col\">"; esc(h, &out); out += "</th>"
        }
        out += "</tr></thead><tbody>"
        for p in o.participants {
            let dor = p.durationOfResponse.map { "\($0.days) d (" + durationEnd($0) + ")" } ?? "—"
            let cells = [p.dayZero?.description ?? "not infused", p.baseline.map { ReportPlots.num($0) } ?? "—", p.bestOverallResponse ?? "—", p.statusAtMonth6 ?? "—",
                         p.timeToResponseDays.map { "day \($0)" } ?? "—", dor,
                         "\(p.maxCRSGrade.map(String.init) ?? "0") / \(p.maxICANSGrade.map(String.init) ?? "0")", "\(p.adverseEvents) (\(p.seriousAdverseEvents))"]
            out += "<tr id=\"report-row-"; esc(p.subjectID, &out); out += "\"><th scope=\"row\">"
            if standalone { esc(p.subjectID, &out) } else {
                out += "<a href=\"/participants/"; esc(p.subjectID, &out); out += "\">"; esc(p.subjectID, &out); out += "</a>"
            }
            out += "</th>"
            for c in cells { out += "<td>"; esc(c, &out); out += "</td>" }
            out += "<td><details><summary>\(p.sources.count) values</summary><ul class=\"report-sources\">"
            for s in p.sources {
                out += "<li>"
                let text = "\(s.date) (day \(s.day.map(String.init) ?? "–")) \(s.visitID) \(s.formOID).\(s.itemOID): \(s.value)"
                    + (s.status.map { " → \($0), \(s.basis ?? ""), rules \(s.rules.joined(separator: " "))" } ?? "")
                if standalone { esc(text, &out) } else { out += "<a href=\""; esc(s.path, &out); out += "\">"; esc(text, &out); out += "</a>" }
                out += "</li>"
            }
            out += "</ul></details>"
            if !p.problems.isEmpty { out += "<p class=\"muted\">"; esc(p.problems.joined(separator: " "), &out); out += "</p>" }
            out += "</td></tr>"
        }
        out += "</tbody></table></div>\n"
    }
}

extension ReportPage.Model: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "title": title
        case "summary": summary
        case "dataCut": dataCut
        case "dataCutClass": dataCutClass
        case "method": method
        case "tablesHTML": tablesHTML
        case "plotsHTML": plotsHTML
        case "downloads": downloads
        case "hasDownloads": hasDownloads
        default: nil
        }
    }
}

extension ReportPage.Download: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "label": label
        case "href": href
        default: nil
        }
    }
}
