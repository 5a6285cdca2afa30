import CartaModel
import Foundation

/// The study report's plots as inline SVG text: every plot has a title and a description (`role="img"`,
/// `aria-labelledby`), labelled axes, and tells series apart by dash pattern and end label as well as by
/// colour, so it reads in greyscale and to a screen reader. Text is escaped as it is written.
///
/// Source: issue 9 scope 2 (trajectories with thresholds and response periods, spider plot, swimmer
/// plot, Kaplan–Meier with CI band and numbers at risk, AE heat map, bleeding over time); W3C WAI SVG
/// accessibility (title/desc, role img); spec/clinical.md §1.1 thresholds 30 and 100 ×10⁹/L.
enum ReportPlots {
    static let dashes = ["", "6 3", "2 3", "8 3 2 3", "1 4", "10 4"]
    static let colours = ["#1f5fa8", "#b3541e", "#2f7d32", "#7b3fa0", "#a3326b", "#4d6b7a"]

    /// A plot area: maps days and values to pixels and writes the frame, axes and their labels.
    struct Frame {
        let id: String, title: String, description: String
        let width = 760.0
        var height = 320.0
        var left = 64.0
        let right = 96.0, top = 40.0, bottom = 48.0
        let xMin: Double, xMax: Double, yMin: Double, yMax: Double
        let xLabel: String, yLabel: String
        var logY = false

        var plotW: Double { width - left - right }
        var plotH: Double { height - top - bottom }
        func x(_ v: Double) -> Double { left + (min(max(v, xMin), xMax) - xMin) / max(xMax - xMin, 1e-9) * plotW }
        func y(_ v: Double) -> Double {
            let t = logY ? (log10(max(v, yMin)) - log10(yMin)) / (log10(yMax) - log10(yMin)) : (min(max(v, yMin), yMax) - yMin) / max(yMax - yMin, 1e-9)
            return top + (1 - t) * plotH
        }

        func open(_ out: inout String, xTicks: [Double], yTicks: [Double], extraHeight: Double = 0) {
            out += "<figure class=\"report-plot\"><svg id=\"\(id)\" viewBox=\"0 0 \(f(width)) \(f(height + extraHeight))\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\">"
            out += "<title id=\"\(id)-title\">"; esc(title, &out); out += "</title><desc id=\"\(id)-desc\">"; esc(description, &out); out += "</desc>"
            out += "<text class=\"plot-title\" x=\"\(f(left))\" y=\"22\">"; esc(title, &out); out += "</text>"
            out += "<rect class=\"plot-frame\" x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" fill=\"none\" stroke=\"#999\"/>"
            for t in xTicks {
                out += "<line x1=\"\(f(x(t)))\" x2=\"\(f(x(t)))\" y1=\"\(f(top + plotH))\" y2=\"\(f(top + plotH + 4))\" stroke=\"#666\"/>"
                out += "<text class=\"plot-tick\" x=\"\(f(x(t)))\" y=\"\(f(top + plotH + 16))\" text-anchor=\"middle\">\(num(t))</text>"
            }
            for t in yTicks {
                out += "<line x1=\"\(f(left - 4))\" x2=\"\(f(left))\" y1=\"\(f(y(t)))\" y2=\"\(f(y(t)))\" stroke=\"#666\"/>"
                out += "<text class=\"plot-tick\" x=\"\(f(left - 6))\" y=\"\(f(y(t) + 4))\" text-anchor=\"end\">\(num(t))</text>"
            }
            out += "<text class=\"plot-axis\" id=\"\(id)-x-label\" x=\"\(f(left + plotW / 2))\" y=\"\(f(top + plotH + 36))\" text-anchor=\"middle\">"; esc(xLabel, &out); out += "</text>"
            out += "<text class=\"plot-axis\" id=\"\(id)-y-label\" transform=\"translate(16 \(f(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">"; esc(yLabel, &out); out += "</text>"
        }

        func threshold(_ v: Double, _ label: String, id: String, _ out: inout String) {
            out += "<line id=\"\(id)\" x1=\"\(f(left))\" x2=\"\(f(left + plotW))\" y1=\"\(f(y(v)))\" y2=\"\(f(y(v)))\" stroke=\"#555\" stroke-dasharray=\"4 4\"/>"
            out += "<text class=\"plot-note\" x=\"\(f(left + plotW + 4))\" y=\"\(f(y(v) + 4))\">"; esc(label, &out); out += "</text>"
        }

        func close(_ out: inout String, caption: String, labels: [EndLabel] = []) {
            for l in ReportPlots.placed(labels, frame: self) {
                out += "<text class=\"plot-label\" x=\"\(f(l.x))\" y=\"\(f(l.y))\" fill=\"\(l.colour)\">"; esc(l.text, &out); out += "</text>"
            }
            out += "</svg><figcaption>"; esc(caption, &out); out += "</figcaption></figure>\n"
        }
    }

    static func f(_ x: Double) -> String { String(format: "%.1f", x) }
    /// A number as people write it: whole numbers without decimals, else to two decimals at most ("12", "102.5", "0.13").
    static func num(_ x: Double) -> String {
        guard x.isFinite else { return "—" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
        var text = String(format: "%.2f", x)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
    static func esc(_ s: String, _ out: inout String) { HTMLText.escape(s, into: &out) }

    /// The platelet counts of a participant as (day, value), after Day 0 is known.
    static func counts(_ p: StudyOutcomes.Participant) -> [(day: Int, value: Double)] {
        p.sources.compactMap { s in
            guard s.itemOID == "PLT", let d = s.day, let v = s.number else { return nil }
            return (d, v)
        }
    }

    /// Lines a plot labels at their ends (and shades response periods for); above it end labels would pile up into
    /// an unreadable block, so each line names its participant in its tooltip instead.
    static let labelledAtMost = 20

    /// Whether a per-participant plot of `o` labels each line at its end.
    static func labelsLines(_ o: StudyOutcomes) -> Bool { o.participants.count <= labelledAtMost }

    /// The sentence a caption adds when its lines are too many to label.
    static func unlabelledNote(_ o: StudyOutcomes) -> String {
        labelsLines(o) ? "" : " Too many lines to label: each line names its participant when pointed at."
    }

    /// A line's end label, placed once every line of the plot is drawn (`Frame.close`), so labels that would
    /// overlap can be moved apart.
    struct EndLabel: Equatable {
        var x: Double, y: Double
        let text: String, colour: String
        /// Approximate extent at the plots' 11 px label font (≈ 0.6 em a character): enough to tell overlapping
        /// labels apart without measuring text, which SVG written on the server cannot do.
        var width: Double { Double(text.count) * 6.6 }
        static let lineHeight = 12.0
        func overlaps(_ other: EndLabel) -> Bool {
            abs(y - other.y) < Self.lineHeight && x < other.x + other.width && other.x < x + width
        }
    }

    /// End labels where they would overlap an earlier one move up or down by whole lines, nearest first, within the
    /// plot's height — lines ending at the same value ("BCRITP-004" and "BCRITP-005" both at a score of 0) would
    /// otherwise print one label over the other. Deterministic: labels are placed in the order of their lines.
    static func placed(_ labels: [EndLabel], frame: Frame) -> [EndLabel] {
        let lowest = frame.top + frame.plotH + 4, highest = frame.top + 8
        var done: [EndLabel] = []
        for label in labels {
            var best = label
            search: for step in 0...(2 * Int(frame.plotH / EndLabel.lineHeight)) {
                let shift = Double((step + 1) / 2) * (step % 2 == 1 ? EndLabel.lineHeight : -EndLabel.lineHeight)
                var moved = label
                moved.y = label.y + shift
                guard moved.y <= lowest, moved.y >= highest else { continue }
                if !done.contains(where: moved.overlaps) { best = moved; break search }
            }
            done.append(best)
        }
        return done
    }

    static func series(_ points: [(Double, Double)], frame: Frame, index: Int, id: String, label: String, labelled: Bool = true,
                       labels: inout [EndLabel], _ out: inout String) {
        guard let last = points.last else { return }
        let path = points.map { "\(f(frame.x($0.0))),\(f(frame.y($0.1)))" }.joined(separator: " ")
        let dash = dashes[index % dashes.count]
        out += "<polyline id=\"\(id)\" class=\"plot-series\" points=\"\(path)\" fill=\"none\" stroke=\"\(colours[index % colours.count])\" stroke-width=\"2\""
        out += dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\""
        guard labelled else { out += "><title>"; esc(label, &out); out += "</title></polyline>"; return }
        out += "/>"
        labels.append(EndLabel(x: frame.x(last.0) + 4, y: frame.y(last.1) + 4, text: label, colour: colours[index % colours.count]))
    }

    // MARK: the plots

    static func trajectories(_ o: StudyOutcomes, drawn: String = "") -> String {
        let all = o.participants.flatMap { counts($0) }
        let yMax = max(150, (all.map(\.value).max() ?? 100) * 1.1)
        let frame = Frame(id: "plot-trajectories", title: "Platelet counts by participant",
                          description: "Platelet count (×10⁹/L) against the day since the first CAR-T infusion for each participant, with the response thresholds 30 and 100 and each participant's response period shaded.",
                          xMin: -45, xMax: 200, yMin: 0, yMax: yMax, xLabel: "Day since first CAR-T infusion", yLabel: "Platelets ×10⁹/L")
        var out = "", labels: [EndLabel] = []
        frame.open(&out, xTicks: [-30, 0, 30, 60, 90, 120, 150, 180], yTicks: stride(from: 0, through: yMax, by: yMax > 300 ? 100 : 50).map { $0 })
        let labelled = labelsLines(o)
        // Shading every response period of many participants would cover the plot; their periods are in the participant table.
        for (i, p) in o.participants.enumerated() where labelled {
            guard let start = p.timeToResponseDays else { continue }
            let end = p.durationOfResponse.map { start + $0.days } ?? 183
            out += "<rect class=\"plot-response\" id=\"response-\(i)\" x=\"\(f(frame.x(Double(start))))\" y=\"\(f(frame.top))\" width=\"\(f(frame.x(Double(end)) - frame.x(Double(start))))\" height=\"\(f(frame.plotH))\" fill=\"#2f7d32\" fill-opacity=\"0.06\"><title>"
            esc("\(p.subjectID): response from day \(start) to day \(end)", &out); out += "</title></rect>"
        }
        frame.threshold(30, "30", id: "plot-trajectories-30", &out)
        frame.threshold(100, "100", id: "plot-trajectories-100", &out)
        for (i, p) in o.participants.enumerated() {
            series(counts(p).map { (Double($0.day), $0.value) }, frame: frame, index: i, id: "trajectory-\(i)", label: p.subjectID, labelled: labelled, labels: &labels, &out)
        }
        frame.close(&out, caption: (labelled
            ? "Each line is one participant (told apart by dash pattern and end label); shaded: the confirmed response period. Dashed: 30 and 100 ×10⁹/L."
            : "Each line is one participant; each response period is in the participant table. Dashed: 30 and 100 ×10⁹/L.") + drawn + unlabelledNote(o), labels: labels)
        return out
    }

    static func spider(_ o: StudyOutcomes, drawn: String = "") -> String {
        let frame = Frame(id: "plot-spider", title: "Platelet fold-change from baseline",
                          description: "Each participant's platelet count divided by their baseline, on a logarithmic scale, after the first CAR-T infusion; the dashed line is a doubling.",
                          xMin: 0, xMax: 200, yMin: 0.125, yMax: 64, xLabel: "Day since first CAR-T infusion", yLabel: "Fold-change from baseline (log scale)", logY: true)
        var out = "", labels: [EndLabel] = []
        frame.open(&out, xTicks: [0, 30, 60, 90, 120, 150, 180], yTicks: [0.125, 0.5, 1, 2, 4, 16, 64])
        frame.threshold(2, "2×", id: "plot-spider-2x", &out)
        for (i, p) in o.participants.enumerated() {
            guard let b = p.baseline, b > 0 else { continue }
            series(counts(p).filter { $0.day >= 0 }.map { (Double($0.day), $0.value / b) }, frame: frame, index: i, id: "spider-\(i)", label: p.subjectID, labelled: labelsLines(o), labels: &labels, &out)
        }
        frame.close(&out, caption: "Participants without a baseline count are left out (a fold-change needs one)." + drawn + unlabelledNote(o), labels: labels)
        return out
    }

    static func swimmer(_ o: StudyOutcomes, drawn: String = "") -> String {
        let rows = o.participants.filter { $0.dayZero != nil }
        let rowH = 28.0
        var frame = Frame(id: "plot-swimmer", title: "Time on study and events",
                          description: "One bar per treated participant from the first infusion to the last observation, with the time in response as a dark segment and the response start (R), its loss (L), CRS (C), ICANS (I), serious adverse events (S) and rescue therapy (X) marked.",
                          xMin: 0, xMax: 200, yMin: 0, yMax: Double(max(rows.count, 1)), xLabel: "Day since first CAR-T infusion", yLabel: "")
        frame.left = 104
        // Taller with many participants, so each bar keeps its row and label.
        frame.height = max(frame.height, frame.top + frame.bottom + Double(rows.count) * rowH)
        var out = ""
        frame.open(&out, xTicks: [0, 30, 60, 90, 120, 150, 180], yTicks: [])
        let h = frame.plotH / Double(max(rows.count, 1))
        for (i, p) in rows.enumerated() {
            let y = frame.top + (Double(i) + 0.5) * h
            let last = Double(p.sources.compactMap(\.day).max() ?? 0)
            out += "<text class=\"plot-tick\" x=\"\(f(frame.left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\">"; esc(p.subjectID, &out); out += "</text>"
            out += "<rect id=\"swim-\(i)\" class=\"swim-bar\" x=\"\(f(frame.x(0)))\" y=\"\(f(y - min(rowH, h) / 4))\" width=\"\(f(max(0, frame.x(last) - frame.x(0))))\" height=\"\(f(min(rowH, h) / 2))\" fill=\"#c9d6e3\" stroke=\"#4d6b7a\"><title>"
            esc("\(p.subjectID): followed to day \(Int(last)); best response \(p.bestOverallResponse ?? "—")", &out); out += "</title></rect>"
            // The time in response as a darker segment of the bar (read without colour too: it is darker and narrower).
            if let start = p.timeToResponseDays {
                let end = p.durationOfResponse.map { start + $0.days } ?? p.lossOfResponseDay ?? Int(last)
                out += "<rect id=\"swim-response-\(i)\" class=\"swim-response\" x=\"\(f(frame.x(Double(start))))\" y=\"\(f(y - min(rowH, h) / 8))\" width=\"\(f(max(0, frame.x(Double(end)) - frame.x(Double(start)))))\" height=\"\(f(min(rowH, h) / 4))\" fill=\"#2f7d32\" fill-opacity=\"0.75\"><title>"
                esc("\(p.subjectID): in response from day \(start) to day \(end)", &out); out += "</title></rect>"
            }
            // Marks on the same day (CRS and ICANS often start together) stand side by side, not on top of each other.
            var marksOnDay: [Int: Int] = [:]
            func mark(_ day: Int?, _ letter: String, _ what: String) {
                guard let day else { return }
                let beside = marksOnDay[day, default: 0]
                marksOnDay[day] = beside + 1
                out += "<text class=\"swim-mark\" x=\"\(f(frame.x(Double(day)) + Double(beside) * 9))\" y=\"\(f(y - min(rowH, h) / 4 - 2))\" text-anchor=\"middle\"><title>"
                esc("\(p.subjectID): \(what) on day \(day)", &out); out += "</title>\(letter)</text>"
            }
            mark(p.timeToResponseDays, "R", "response")
            mark(p.lossOfResponseDay, "L", "loss of response")
            mark(p.crsOnsetDay, "C", "CRS (maximum grade \(p.maxCRSGrade ?? 0)) from")
            mark(p.icansOnsetDay, "I", "ICANS (maximum grade \(p.maxICANSGrade ?? 0)) from")
            for d in p.seriousEventDays { mark(d, "S", "serious adverse event") }
            for r in p.sources where r.formOID == "F_RESCUE" { mark(r.day, "X", "rescue therapy") }
        }
        frame.close(&out, caption: "Dark segment: time in response. R response start · L loss of response · C CRS · I ICANS · S serious adverse event · X rescue therapy." + drawn)
        return out
    }

    static func kaplanMeier(_ o: StudyOutcomes) -> String {
        guard let km = o.durationOfResponse else {
            return "<p id=\"plot-km-empty\" class=\"muted\">No responder yet: the duration of response has no curve.</p>\n"
        }
        let frame = Frame(id: "plot-km", title: "Duration of response (Kaplan–Meier)",
                          description: "Probability of remaining in response against days since the response, with the 95 % confidence band (log-log) and the numbers at risk below.",
                          xMin: 0, xMax: 180, yMin: 0, yMax: 1, xLabel: "Days since response", yLabel: "Probability of remaining in response")
        var out = ""
        frame.open(&out, xTicks: StudyOutcomes.DurationSummary.atRiskDays, yTicks: [0, 0.25, 0.5, 0.75, 1], extraHeight: 40)
        var s = 1.0, lo = 1.0, hi = 1.0, t = 0.0
        var curve = "\(f(frame.x(0))),\(f(frame.y(1)))"
        var upper: [String] = ["\(f(frame.x(0))),\(f(frame.y(1)))"], lower: [String] = ["\(f(frame.x(0))),\(f(frame.y(1)))"]
        for step in km.steps {
            curve += " \(f(frame.x(step.time))),\(f(frame.y(s)))"
            upper.append("\(f(frame.x(step.time))),\(f(frame.y(hi)))"); lower.append("\(f(frame.x(step.time))),\(f(frame.y(lo)))")
            s = step.survival; hi = step.upper ?? hi; lo = step.lower ?? 0; t = step.time
            curve += " \(f(frame.x(step.time))),\(f(frame.y(s)))"
            upper.append("\(f(frame.x(step.time))),\(f(frame.y(hi)))"); lower.append("\(f(frame.x(step.time))),\(f(frame.y(lo)))")
            if step.censored > 0 {
                out += "<text class=\"km-censor\" x=\"\(f(frame.x(step.time)))\" y=\"\(f(frame.y(s) + 4))\" text-anchor=\"middle\">+<title>censored at day \(num(step.time))</title></text>"
            }
        }
        // The curve stops at the last observed time: nothing is known beyond the last follow-up.
        curve += " \(f(frame.x(t))),\(f(frame.y(s)))"
        out += "<polygon id=\"km-band\" points=\"\((upper + lower.reversed()).joined(separator: " "))\" fill=\"#1f5fa8\" fill-opacity=\"0.15\" stroke=\"none\"/>"
        out += "<polyline id=\"km-curve\" points=\"\(curve)\" fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"2\"/>"
        out += "<text class=\"plot-axis\" x=\"\(f(frame.left - 6))\" y=\"\(f(frame.height + 24))\" text-anchor=\"end\">At risk</text>"
        for (i, day) in StudyOutcomes.DurationSummary.atRiskDays.enumerated() where i < km.atRisk.count {
            out += "<text class=\"km-at-risk\" id=\"km-at-risk-\(Int(day))\" x=\"\(f(frame.x(day)))\" y=\"\(f(frame.height + 24))\" text-anchor=\"middle\">\(km.atRisk[i])</text>"
        }
        let median = km.medianDays.map { "median \(num($0)) days" } ?? "median not reached"
        frame.close(&out, caption: "\(km.responders) responder(s), \(km.events) loss(es) of response, \(median). + marks a censored duration; shaded: 95 % confidence band.")
        return out
    }

    static func heatMap(_ o: StudyOutcomes) -> String {
        let terms = o.adverseEventsByTerm
        guard !terms.isEmpty else { return "<p id=\"plot-ae-empty\" class=\"muted\">No adverse events recorded.</p>\n" }
        let cell = 44.0, labelW = 300.0, top = 56.0
        let width = 760.0, height = top + Double(terms.count) * cell + 16
        let most = max(1, terms.flatMap(\.byWorstGrade).max() ?? 1)
        var out = "<figure class=\"report-plot\"><svg id=\"plot-ae-heatmap\" viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" aria-labelledby=\"plot-ae-heatmap-title plot-ae-heatmap-desc\">"
        out += "<title id=\"plot-ae-heatmap-title\">Adverse events by CTCAE term and worst grade</title><desc id=\"plot-ae-heatmap-desc\">Number of participants per term at their worst grade; darker cells hold more participants and each cell shows its count.</desc>"
        out += "<text class=\"plot-title\" x=\"0\" y=\"22\">Adverse events by CTCAE term and worst grade</text>"
        for g in 1...5 { out += "<text class=\"plot-axis\" x=\"\(f(labelW + (Double(g) - 0.5) * cell))\" y=\"\(f(top - 8))\" text-anchor=\"middle\">G\(g)</text>" }
        for (r, t) in terms.enumerated() {
            let y = top + Double(r) * cell
            out += "<text class=\"plot-tick\" x=\"\(f(labelW - 8))\" y=\"\(f(y + cell / 2 + 4))\" text-anchor=\"end\">"; esc(t.term, &out); out += "</text>"
            for g in 0..<5 {
                let n = t.byWorstGrade[g]
                let shade = n == 0 ? 0.0 : 0.2 + 0.8 * Double(n) / Double(most)
                out += "<rect class=\"heat-cell\" x=\"\(f(labelW + Double(g) * cell))\" y=\"\(f(y))\" width=\"\(f(cell - 2))\" height=\"\(f(cell - 2))\" fill=\"#a3326b\" fill-opacity=\"\(String(format: "%.2f", shade))\" stroke=\"#ccc\"><title>"
                esc("\(t.term), grade \(g + 1): \(n) participant(s)", &out); out += "</title></rect>"
                out += "<text class=\"heat-count\" x=\"\(f(labelW + (Double(g) + 0.5) * cell - 1))\" y=\"\(f(y + cell / 2 + 4))\" text-anchor=\"middle\" fill=\"\(shade > 0.6 ? "#fff" : "#222")\">\(n)</text>"
            }
        }
        out += "</svg><figcaption>Enrolled participants: logged adverse events (CTCAE v5.0 grades) and the CRS/ICANS episodes of the daily assessments (ASTCT grades), each participant counted once per term at the worst grade of either.</figcaption></figure>\n"
        return out
    }

    static func bleeding(_ o: StudyOutcomes, drawn: String = "") -> String {
        let frame = Frame(id: "plot-bleeding", title: "Bleeding score over time",
                          description: "Chinese 2020 ITP bleeding score (age points plus the worst site) at each assessment after the first CAR-T infusion, per participant.",
                          xMin: 0, xMax: 200, yMin: 0, yMax: 10, xLabel: "Day since first CAR-T infusion", yLabel: "Bleeding score")
        var out = "", labels: [EndLabel] = []
        frame.open(&out, xTicks: [0, 30, 60, 90, 120, 150, 180], yTicks: [0, 2, 4, 5, 6, 8, 10])
        frame.threshold(5, "severe ≥ 5", id: "plot-bleeding-5", &out)
        for (i, p) in o.participants.enumerated() {
            let points = p.sources.compactMap { s -> (Double, Double)? in
                guard s.formOID == "F_BLEED", let d = s.day, let v = s.number else { return nil }
                return (Double(d), v)
            }
            series(points, frame: frame, index: i, id: "bleeding-\(i)", label: p.subjectID, labelled: labelsLines(o), labels: &labels, &out)
        }
        frame.close(&out, caption: "A score of 5 or more, or visceral or CNS bleeding, is severe bleeding (spec §2.1)." + drawn + unlabelledNote(o), labels: labels)
        return out
    }

    /// Corticosteroid dose (prednisone equivalents) as steps from the baseline window to the last visit.
    static func steroid(_ o: StudyOutcomes, drawn: String = "") -> String {
        let yMax = max(20, (o.participants.flatMap { $0.steroidDose.map(\.mgPerDay) }.max() ?? 20) * 1.15)
        let frame = Frame(id: "plot-steroid", title: "Corticosteroid dose over time",
                          description: "Daily corticosteroid dose in prednisone-equivalent mg per participant, from the baseline regimen of the 4 weeks before lymphodepletion to the last visit; each step is a recorded regimen.",
                          xMin: -45, xMax: 200, yMin: 0, yMax: yMax, xLabel: "Day since first CAR-T infusion", yLabel: "Prednisone-equivalent mg/day")
        var out = "", labels: [EndLabel] = []
        frame.open(&out, xTicks: [-30, 0, 30, 60, 90, 120, 150, 180], yTicks: stride(from: 0, through: yMax, by: yMax > 60 ? 20 : 5).map { $0 })
        for (i, p) in o.participants.enumerated() where !p.steroidDose.isEmpty {
            var points: [(Double, Double)] = []
            for (k, step) in p.steroidDose.enumerated() {
                if k > 0 { points.append((Double(step.day), p.steroidDose[k - 1].mgPerDay)) }
                points.append((Double(step.day), step.mgPerDay))
            }
            series(points, frame: frame, index: i, id: "steroid-\(i)", label: p.subjectID, labelled: labelsLines(o), labels: &labels, &out)
        }
        frame.close(&out, caption: "Prednisone equivalents from the study's equivalence table (spec §9.2); participants without a derivable regimen are left out (see their problems)." + drawn + unlabelledNote(o), labels: labels)
        return out
    }
}
