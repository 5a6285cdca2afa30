import CartaModel

/// The report's concomitant-therapy and ITP-PAQ tables.
///
/// Source: spec/clinical.md §9.3 item 3 (subjects with any reduction or discontinuation, duration off or
/// reduced, % change at months 3 and 6), §3 (completion and raw responses; scale scores only with a licensed
/// scoring plug-in, clearly labelled).
extension ReportPage {
    static func steroidChange(_ c: StudyOutcomes.ConcomitantTherapySummary?) -> String {
        guard let c, c.withSteroidAtBaseline > 0 else { return "no participant on corticosteroids at baseline" }
        func part(_ m: Double?, _ n: Int) -> String { m.map { "\(ReportPlots.num($0)) % (n = \(n))" } ?? "— (n = 0)" }
        return "\(part(c.medianSteroidPercentChangeMonth3, c.steroidChangeMonth3)) / \(part(c.medianSteroidPercentChangeMonth6, c.steroidChangeMonth6))"
    }

    static func questionnaireSummary(_ q: StudyOutcomes.QuestionnaireSummary?) -> String {
        guard let q else { return "—" }
        let completed = q.visits.map { "\($0.visitID) \($0.completed)" }.joined(separator: ", ")
        guard let by = q.scoredBy else {
            return "Not scored: no licensed \(q.instrument) scoring plug-in is installed; completed forms \(completed) (raw responses only, see the table)."
        }
        return "Scored by \(by); completed forms \(completed)."
    }

    static func concomitantTherapy(_ o: StudyOutcomes, drawn: String, _ out: inout String) {
        let rows = o.participants.filter { $0.dayZero != nil }.map { p -> [String] in
            guard let c = p.concomitantTherapy else { return [p.subjectID, "not derived (see the participant's problems)", "—", "—", "—", "—", "—"] }
            let regimen = c.drugs.filter { $0.baselineIntensity > 0 }.map { "\($0.drug) \(ReportPlots.num($0.baselineIntensity)) \($0.intensityUnit)" }
            let events = c.drugs.compactMap { d -> String? in
                var parts: [String] = []
                if let r = d.reductionDay { parts.append("reduced from day \(r)") }
                if let s = d.discontinuationDay { parts.append("stopped from day \(s)") }
                if d.increased { parts.append("increased") }
                if d.newDrug { parts.append("new") }
                return parts.isEmpty ? nil : "\(d.drug): " + parts.joined(separator: ", ")
            }
            func pct(_ x: Double?) -> String { x.map { "\(ReportPlots.num($0)) %" } ?? "—" }
            return [p.subjectID, regimen.isEmpty ? "none" : regimen.joined(separator: "; "), ReportPlots.num(c.steroidBaselineMgPerDay),
                    events.isEmpty ? "no change" : events.joined(separator: "; "), pct(c.steroidPercentChangeMonth3), pct(c.steroidPercentChangeMonth6),
                    c.treatmentFailure ? "yes" : "no"]
        }
        table("report-conmed", caption: captioned("Concomitant ITP therapy against the baseline regimen (4 weeks before lymphodepletion; reduction = ≥ 25 % fall sustained ≥ 28 days)", drawn),
              head: ["Subject", "Baseline regimen", "Steroid at baseline (prednisone-eq. mg/day)", "Changes", "Steroid % change month 3", "Month 6", "Treatment failure"],
              rows: rows, &out)
    }

    static func questionnaire(_ o: StudyOutcomes, _ out: inout String) {
        guard let q = o.questionnaire else { return }
        let scored = q.scoredBy != nil
        let caption = scored
            ? "\(q.instrument) by visit, scored by \(q.scoredBy ?? ""): mean scale score (0–100, higher = better), mean change from baseline, participants improved by at least the minimal important difference"
            : "\(q.instrument) by visit — NOT SCORED: no licensed scoring plug-in is installed; completion and raw response codes only"
        let rows = q.visits.map { v -> [String] in
            let answered = v.medianAnswered.map { ReportPlots.num($0) } ?? "—"
            let items = v.itemMedians.enumerated().compactMap { i, m in m.map { "\(i + 1): \(ReportPlots.num($0))" } }
            let detail = scored
                ? v.scales.map { s in "\(s.scale) \(s.meanScore.map(ReportPlots.num) ?? "—")" + (s.meanChange.map { " (change \(ReportPlots.num($0)), n = \(s.withChange)" + (s.improvedByMID.map { ", ≥ MID \($0)" } ?? "") + ")" } ?? "") }.joined(separator: "; ")
                : (items.isEmpty ? "—" : "median raw code by item — " + items.joined(separator: ", "))
            return [v.visitID, "\(v.completed)", answered, detail]
        }
        table("report-itppaq", caption: caption, head: ["Visit", "Forms completed", "Median items answered", scored ? "Scales" : "Raw responses (not scores)"], rows: rows, &out)
    }

    /// "n assessed; S: G0 3, G1 2 · M: … · O: …", grades with no participant left out.
    static func bleedingToolSummary(_ b: StudyOutcomes.BleedingToolSummary?) -> String {
        guard let b, b.assessed > 0 else { return "no ITP-BAT assessment from Day 0" }
        func domain(_ name: String, _ counts: [Int]) -> String {
            "\(name): " + counts.enumerated().filter { $0.element > 0 }.map { "G\($0.offset) \($0.element)" }.joined(separator: ", ")
        }
        return "\(b.assessed) assessed; " + [domain("S", b.skinByWorstGrade), domain("M", b.mucosaeByWorstGrade), domain("O", b.organsByWorstGrade)].joined(separator: " · ")
    }

    /// Each treated participant's ITP-BAT over time (spec §2.2: SMOG, the highest grade per domain at each assessment).
    static func bleedingTool(_ o: StudyOutcomes, drawn: String, _ out: inout String) {
        let rows = o.participants.filter { !$0.itpBat.isEmpty }.map { p -> [String] in
            let bleeding = p.itpBat.filter { $0.skin + $0.mucosae + $0.organs > 0 }
            let course = bleeding.isEmpty ? "no bleeding graded"
                : bleeding.map { "\($0.day.map { "day \($0)" } ?? $0.visitID) \($0.notation)" }.joined(separator: "; ")
            return [p.subjectID, "\(p.itpBat.count)", p.worstITPBAT ?? "—", course]
        }
        guard !rows.isEmpty else { return }
        table("report-itpbat", caption: captioned("ITP-BAT (IWG 2013) by participant: assessments, highest grade per domain from Day 0 (SMOG), and each assessment that graded bleeding", drawn),
              head: ["Subject", "Assessments", "Highest from Day 0", "Assessments with bleeding (protocol day, SMOG)"], rows: rows, &out)
    }
}
