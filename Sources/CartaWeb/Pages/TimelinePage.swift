import Foundation
import CartaCore
import CartaStudy
import Mustache

/// A participant's whole course on one time axis: the schedule with each visit's status, the doses
/// (lymphodepletion days, CAR-T fractions), the platelet counts with the response thresholds (30, 100
/// and twice the baseline ×10⁹/L) and the CRS and ICANS grades — one SVG that scales to tablet width.
///
/// Stable ids: #timeline (the SVG, data-day-zero), #timeline-platelets (polyline), #threshold-30,
/// #threshold-100, #threshold-baseline, #visit-mark-<ID> (data-status), #dose-<n>, #crs-<visit>, #icans-<visit>,
/// #timeline-table (the same data as a table, for screen readers and print).
/// Source: issue 8 scope 10; spec/clinical.md §1.1 (CR ≥ 100, PR ≥ 30 and ≥ 2 × baseline).
public enum TimelinePage {
    /// A threshold label's line at the 11 px label font: closer labels would print over each other.
    static let thresholdLabelHeight = 12.0

    /// One dated event.
    public struct Mark: Sendable, Equatable {
        public let date: ClinicalDate, label: String
        /// A CAR-T cell dose (drawn as a diamond) rather than a lymphodepletion day (a bar).
        public let cells: Bool
        public init(date: ClinicalDate, label: String, cells: Bool = false) { self.date = date; self.label = label; self.cells = cells }
    }
    /// One dated number (a count, a grade).
    public struct Point: Sendable, Equatable {
        public let date: ClinicalDate, value: Double, label: String
        public init(date: ClinicalDate, value: Double, label: String) { self.date = date; self.value = value; self.label = label }
    }

    public struct Input: Sendable {
        public var subjectId: String
        public var dayZero: ClinicalDate?
        public var provisional: Bool
        public var visits: [CalendarVisit]
        public var doses: [Mark]
        public var platelets: [Point]
        public var baselinePlatelets: Double?
        public var crs: [Point]
        public var icans: [Point]
        public var today: ClinicalDate
        public init(subjectId: String, dayZero: ClinicalDate?, provisional: Bool, visits: [CalendarVisit], doses: [Mark], platelets: [Point],
                    baselinePlatelets: Double?, crs: [Point], icans: [Point], today: ClinicalDate) {
            self.subjectId = subjectId; self.dayZero = dayZero; self.provisional = provisional; self.visits = visits; self.doses = doses
            self.platelets = platelets; self.baselinePlatelets = baselinePlatelets; self.crs = crs; self.icans = icans; self.today = today
        }
    }

    public struct Model: PageModel, Equatable {
        public static let template = "timeline"
        public let title: String
        public let subjectId: String
        public let participantPath: String
        public let summary: String
        /// The chart and its table as escaped HTML (`build`).
        public let chartHTML: String
    }

    public static func build(_ input: Input) -> Model {
        var dates = input.visits.map(\.nominalDate) + input.doses.map(\.date) + input.platelets.map(\.date) + input.crs.map(\.date)
        dates += input.icans.map(\.date) + [input.today]
        let first = dates.min() ?? input.today, last = dates.max() ?? input.today
        let span = max(1, first.days(to: last))
        let left = 110.0, width = 1000.0, plotWidth = width - left - 20
        func xAt(_ d: ClinicalDate) -> Double { left + Double(first.days(to: d)) / Double(span) * plotWidth }
        func x(_ d: ClinicalDate) -> String { fmt(xAt(d)) }
        var out = ""
        func e(_ s: String) { HTMLText.escape(s, into: &out) }
        // Rows: schedule 20–60, doses 70–100, platelets 110–290, CRS 300–350, ICANS 360–410.
        let height = 430.0
        out += "<div class=\"timeline-wrap\"><svg id=\"timeline\" class=\"timeline\" viewBox=\"0 0 \(fmt(width)) \(fmt(height))\" role=\"img\" aria-labelledby=\"timeline-title\""
        if let d0 = input.dayZero { out += " data-day-zero=\"\(d0)\"" }
        out += "><title id=\"timeline-title\">Course of "; e(input.subjectId); out += "</title>\n"
        for (label, y) in [("Visits", 45.0), ("Doses", 90.0), ("Platelets", 200.0), ("CRS", 330.0), ("ICANS", 390.0)] {
            out += "<text class=\"timeline__row\" x=\"4\" y=\"\(fmt(y))\">\(label)</text>\n"
        }
        // Today and Day 0.
        out += "<line class=\"timeline__today\" x1=\"\(x(input.today))\" x2=\"\(x(input.today))\" y1=\"10\" y2=\"\(fmt(height - 10))\"><title>Today \(input.today)</title></line>\n"
        if let d0 = input.dayZero {
            out += "<line class=\"timeline__day0\" x1=\"\(x(d0))\" x2=\"\(x(d0))\" y1=\"10\" y2=\"\(fmt(height - 10))\"><title>Day 0 \(d0)\(input.provisional ? " (provisional)" : "")</title></line>\n"
        }
        for v in input.visits {
            out += "<circle id=\"visit-mark-"; e(v.id); out += "\" class=\"timeline__visit timeline__visit--\(v.status.rawValue)\" data-status=\"\(v.status.rawValue)\" cx=\"\(x(v.doneOn ?? v.nominalDate))\" cy=\"40\" r=\"5\"><title>"
            e(v.name); out += " — \(v.status.rawValue.replacingOccurrences(of: "_", with: " ")) (\(v.doneOn ?? v.nominalDate))</title></circle>\n"
        }
        // Lymphodepletion days as bars, CAR-T fractions as diamonds: told apart by shape, not colour alone.
        for (n, dose) in input.doses.enumerated() {
            if dose.cells {
                let cx = xAt(dose.date) + 3
                out += "<polygon id=\"dose-\(n + 1)\" class=\"timeline__dose timeline__dose--cells\" points=\"\(fmt(cx)),73 \(fmt(cx + 8)),86 \(fmt(cx)),99 \(fmt(cx - 8)),86\"><title>"
                e(dose.label); out += " (\(dose.date))</title></polygon>\n"
            } else {
                out += "<rect id=\"dose-\(n + 1)\" class=\"timeline__dose\" x=\"\(x(dose.date))\" y=\"75\" width=\"6\" height=\"22\"><title>"; e(dose.label); out += " (\(dose.date))</title></rect>\n"
            }
        }
        // Platelets on a linear scale from 0 to the larger of the highest count and 110.
        let top = max(110, (input.platelets.map(\.value) + [input.baselinePlatelets.map { $0 * 2 } ?? 0]).max() ?? 0) * 1.05
        func yOf(_ v: Double) -> Double { 290 - v / top * 180 }
        func py(_ v: Double) -> String { fmt(yOf(v)) }
        var thresholds: [(String, Double, String)] = [("threshold-30", 30, "30 (partial response)"), ("threshold-100", 100, "100 (complete response)")]
        if let b = input.baselinePlatelets { thresholds.append(("threshold-baseline", 2 * b, "2 × baseline (\(fmtNumber(2 * b)))")) }
        // Each label sits just above its line, or a line lower when the label above would cover it (twice a baseline
        // of 13 is 26, next to the 30 line).
        var labelY: [String: Double] = [:], lowest = -Double.infinity
        for (id, value, _) in thresholds.sorted(by: { $0.1 > $1.1 }) {
            lowest = max(yOf(value) - 3, lowest + Self.thresholdLabelHeight)
            labelY[id] = lowest
        }
        for (id, value, label) in thresholds {
            out += "<line id=\"\(id)\" class=\"timeline__threshold\" x1=\"\(fmt(left))\" x2=\"\(fmt(width - 20))\" y1=\"\(py(value))\" y2=\"\(py(value))\"/>"
            out += "<text class=\"timeline__threshold-label\" x=\"\(fmt(width - 22))\" y=\"\(fmt(labelY[id]!))\" text-anchor=\"end\">\(label)</text>\n"
        }
        if !input.platelets.isEmpty {
            out += "<polyline id=\"timeline-platelets\" class=\"timeline__platelets\" points=\""
            out += input.platelets.map { "\(x($0.date)),\(py($0.value))" }.joined(separator: " ")
            out += "\"/>\n"
            for p in input.platelets {
                out += "<circle class=\"timeline__count\" cx=\"\(x(p.date))\" cy=\"\(py(p.value))\" r=\"3\"><title>"; e(p.label); out += "</title></circle>\n"
            }
        }
        for (kind, points, base) in [("crs", input.crs, 350.0), ("icans", input.icans, 410.0)] {
            for p in points {
                let h = max(2, p.value * 12)
                out += "<rect id=\"\(kind)-"; e(p.label); out += "\" class=\"timeline__grade timeline__grade--\(Int(p.value))\" x=\"\(x(p.date))\" y=\"\(fmt(base - h))\" width=\"8\" height=\"\(fmt(h))\"><title>"
                out += kind.uppercased() + " grade \(Int(p.value)) at "; e(p.label); out += " (\(p.date))</title></rect>\n"
            }
        }
        out += "<text class=\"timeline__axis\" x=\"\(fmt(left))\" y=\"\(fmt(height - 2))\">\(first)</text>"
        out += "<text class=\"timeline__axis\" x=\"\(fmt(width - 20))\" y=\"\(fmt(height - 2))\" text-anchor=\"end\">\(last)</text>\n</svg></div>\n"
        // The same data as a table.
        var rows: [(ClinicalDate, String, String)] = []
        rows += input.visits.filter { $0.doneOn != nil || $0.status != .planned }.map { ($0.doneOn ?? $0.nominalDate, "Visit", "\($0.name): \($0.status.rawValue.replacingOccurrences(of: "_", with: " "))") }
        rows += input.doses.map { ($0.date, "Dose", $0.label) }
        rows += input.platelets.map { ($0.date, "Platelets", $0.label) }
        rows += input.crs.map { ($0.date, "CRS", "grade \(Int($0.value)) (\($0.label))") }
        rows += input.icans.map { ($0.date, "ICANS", "grade \(Int($0.value)) (\($0.label))") }
        out += "<details><summary>As a table</summary><div class=\"table-wrap\"><table id=\"timeline-table\" class=\"table table--compact\"><thead><tr><th scope=\"col\">Date</th><th scope=\"col\">What</th><th scope=\"col\">Detail</th></tr></thead><tbody>\n"
        for (date, what, detail) in rows.sorted(by: { $0.0 < $1.0 }) {
            out += "<tr><td>\(date)</td><td>\(what)</td><td>"; e(detail); out += "</td></tr>\n"
        }
        out += "</tbody></table></div></details>\n"
        let summary = input.dayZero.map { "Day 0 \($0)\(input.provisional ? " (provisional)" : ""); today is day \($0.days(to: input.today))." } ?? "No calendar yet."
        return Model(title: "\(input.subjectId) · Timeline", subjectId: input.subjectId, participantPath: WebPaths.participant(input.subjectId),
                     summary: summary, chartHTML: out)
    }

    static func fmt(_ v: Double) -> String { String(format: "%.1f", v) }
    static func fmtNumber(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v) }
}

extension TimelinePage.Model: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "title": self.title
        case "subjectId": self.subjectId
        case "participantPath": self.participantPath
        case "summary": self.summary
        case "chartHTML": self.chartHTML
        default: nil
        }
    }
}
