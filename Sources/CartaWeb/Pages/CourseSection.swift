import CartaCore
import CartaStudy

/// The participant page's course section for an enrolled participant: Day 0, the product chain as
/// recorded, every visit with its window and status (each linking to its data-entry page) and the
/// protocol deviations with the rule that raised each.
///
/// Stable ids: #course, #day-zero (data-provisional), #chain, #visits, #visit-<ID> (data-status) with
/// link #visit-<ID>-link, #deviations, #deviation-<n> (data-rule).
/// Source: issue 8 scope 4, 8 and 10 (calendar with statuses; deviations with their rule).
public struct CourseSection: Sendable, Equatable {
    /// One line of the product-chain summary: label and value.
    public struct ChainLine: Sendable, Equatable {
        public let label: String, value: String
        public init(label: String, value: String) { self.label = label; self.value = value }
    }

    public let subjectId: String
    public let calendar: VisitCalendar?
    public let chain: [ChainLine]
    /// Product-chain steps without a window (label = name, value = visit id), linked for data entry.
    public let procedures: [ChainLine]
    public let deviations: [ProtocolDeviation]
    /// Today in the site's calendar, to mark today's visits.
    public let today: ClinicalDate

    public init(subjectId: String, calendar: VisitCalendar?, chain: [ChainLine], procedures: [ChainLine],
                deviations: [ProtocolDeviation], today: ClinicalDate) {
        self.subjectId = subjectId; self.calendar = calendar; self.chain = chain; self.procedures = procedures
        self.deviations = deviations; self.today = today
    }

    static func statusText(_ s: VisitStatus) -> String {
        switch s {
        case .planned: "Planned"
        case .due: "Due"
        case .overdue: "Overdue"
        case .done: "Done"
        case .outOfWindow: "Out of window"
        case .missed: "Missed"
        }
    }

    /// The section as HTML, every value escaped.
    public var html: String {
        var out = ""
        func e(_ s: String) { HTMLText.escape(s, into: &out) }
        out += "<section id=\"course\" class=\"section\" aria-labelledby=\"course-heading\">\n<h2 id=\"course-heading\">Course</h2>\n"
        out += "<p><a id=\"timeline-link\" href=\""; e(WebPaths.participant(subjectId)); out += "/timeline\">Timeline</a> — the whole course on one time axis · "
        out += "<a id=\"adverse-events-link\" href=\""; e(WebPaths.participant(subjectId)); out += "/adverse-events\">Adverse events</a></p>\n"
        if let calendar {
            out += "<p id=\"day-zero\" data-provisional=\"\(calendar.provisional)\">Day 0: <strong>"; e(calendar.dayZero.description); out += "</strong> "
            out += calendar.provisional ? "<span class=\"muted\">(provisional: the planned infusion date; fixed by the first infusion)</span>"
                : "<span class=\"muted\">(first CAR-T infusion)</span>"
            out += "</p>\n"
        } else {
            out += "<p id=\"day-zero\" data-provisional=\"true\" class=\"muted\">No calendar yet: it starts from the planned infusion date or the first infusion.</p>\n"
        }
        out += "<dl id=\"chain\" class=\"summary-list\">\n"
        for line in chain {
            out += "<div><dt>"; e(line.label); out += "</dt><dd>"; e(line.value); out += "</dd></div>\n"
        }
        out += "</dl>\n"
        if !procedures.isEmpty {
            out += "<p id=\"procedures\">Product chain: "
            for (i, step) in procedures.enumerated() {
                if i > 0 { out += " · " }
                out += "<a id=\"visit-"; e(step.value); out += "-link\" href=\""; e(WebPaths.visit(subjectId, step.value)); out += "\">"; e(step.label); out += "</a>"
            }
            out += "</p>\n"
        }
        if !deviations.isEmpty {
            out += "<div id=\"deviations\" class=\"message message--warning\" role=\"status\">\n<h3>Protocol deviations (\(deviations.count))</h3>\n<ul>\n"
            for (n, d) in deviations.enumerated() {
                out += "<li id=\"deviation-\(n + 1)\" data-rule=\""; e(d.rule.rawValue); out += "\">"; e(d.description)
                out += " <span class=\"muted\">Rule "; e(d.rule.rawValue); out += ": "; e(d.rule.text); out += "</span></li>\n"
            }
            out += "</ul>\n</div>\n"
        }
        guard let calendar else { return out + "</section>\n" }
        out += "<div class=\"table-wrap\"><table id=\"visits\" class=\"table table--compact\">\n<caption class=\"visually-hidden\">Visits with their windows and status</caption>\n"
        out += "<thead><tr><th scope=\"col\">Visit</th><th scope=\"col\">Day</th><th scope=\"col\">Date</th><th scope=\"col\">Window</th><th scope=\"col\">Status</th><th scope=\"col\">Done on</th></tr></thead>\n<tbody>\n"
        for v in calendar.visits {
            let isToday = (v.earliest...v.latest).contains(today) && v.doneOn == nil
            out += "<tr id=\"visit-"; e(v.id); out += "\" data-status=\""; e(v.status.rawValue); out += "\""
            if isToday { out += " class=\"row--today\"" }
            out += "><th scope=\"row\">"
            if v.id == calendar.visits.first?.id {
                e(v.name)
            } else {
                out += "<a id=\"visit-"; e(v.id); out += "-link\" href=\""; e(WebPaths.visit(subjectId, v.id)); out += "\">"; e(v.name); out += "</a>"
            }
            out += "</th><td class=\"num\">\(v.day)</td><td>"; e(v.nominalDate.description); out += "</td><td>"
            out += v.earliest == v.latest ? "that day" : "\(v.earliest) to \(v.latest)"
            out += "</td><td><span class=\"badge badge--visit-"; e(v.status.rawValue); out += "\">"; e(Self.statusText(v.status)); out += "</span></td><td>"
            e(v.doneOn?.description ?? "—"); out += "</td></tr>\n"
        }
        out += "</tbody>\n</table></div>\n</section>\n"
        return out
    }
}
