import CartaCore
import CartaStudy

/// The participant page's record of an enrolled participant, in sections a coordinator moves between
/// (issue 8 scope 11): a section bar, then Product (the chain as recorded and its steps), Dosing
/// (lymphodepletion and infusions, each visit linked to the page that saves it), Visits (every visit with its
/// window and status), Safety (current CRS/ICANS, adverse events, the open alerts each linking to its data,
/// the protocol deviations with their rule) and Outcomes so far (the report's derivation for this participant).
///
/// Stable ids: #record-sections (section bar), #course, #day-zero (data-provisional), #product with #chain,
/// #procedures, #dosing with #dosing-visits, #visits-section with #visits, #visit-<ID> (data-status) and link
/// #visit-<ID>-link, #safety with #safety-lines, #participant-alerts, #participant-alert-<n> (data-key) and its link
/// #participant-alert-<n>-data, #deviations, #deviation-<n> (data-rule), #outcomes with #outcome-lines.
/// Source: issue 8 scope 4, 8, 10 and 11 (calendar with statuses; deviations with their rule; sections).
public struct CourseSection: Sendable, Equatable {
    /// One line of a summary: label and value.
    public struct ChainLine: Sendable, Equatable {
        public let label: String, value: String
        public init(label: String, value: String) { self.label = label; self.value = value }
    }

    public let subjectId: String
    public let calendar: VisitCalendar?
    /// The product part of the chain (apheresis, lot, release, bags).
    public let chain: [ChainLine]
    /// Product-chain steps without a window (label = name, value = visit id), linked for data entry.
    public let procedures: [ChainLine]
    /// Lymphodepletion days and infusions as recorded.
    public let dosing: [ChainLine]
    /// The visits that record doses (lymphodepletion, infusions), linked with their status.
    public let dosingVisitIDs: [String]
    /// Current CRS and ICANS grades, adverse events and SAE clocks.
    public let safety: [ChainLine]
    /// The open alerts, each with where its data are.
    public let alerts: [TodayPage.Alert]
    public let deviations: [ProtocolDeviation]
    /// The outcome measures so far (best response, time to response, …), from the report's derivation.
    public let outcomes: [ChainLine]
    /// Steps without a window outside the product chain (early termination), linked beside the visits.
    public let otherSteps: [ChainLine]
    /// Today in the site's calendar, to mark today's visits.
    public let today: ClinicalDate

    public init(subjectId: String, calendar: VisitCalendar?, chain: [ChainLine], procedures: [ChainLine],
                deviations: [ProtocolDeviation], today: ClinicalDate, dosing: [ChainLine] = [], dosingVisitIDs: [String] = [],
                safety: [ChainLine] = [], alerts: [TodayPage.Alert] = [], outcomes: [ChainLine] = [], otherSteps: [ChainLine] = []) {
        self.subjectId = subjectId; self.calendar = calendar; self.chain = chain; self.procedures = procedures
        self.deviations = deviations; self.today = today; self.dosing = dosing; self.dosingVisitIDs = dosingVisitIDs
        self.safety = safety; self.alerts = alerts; self.outcomes = outcomes; self.otherSteps = otherSteps
    }

    static func statusText(_ s: VisitStatus) -> String {
        switch s {
        case .planned: "Planned"
        case .due: "Due"
        case .overdue: "Overdue"
        case .done: "Done"
        case .outOfWindow: "Out of window"
        case .missed: "Missed"
        case .notExpected: "Not expected (study ended)"
        }
    }

    /// The sections as HTML, every value escaped.
    public var html: String {
        var out = ""
        func e(_ s: String) { HTMLText.escape(s, into: &out) }
        func lines(_ id: String, _ ls: [ChainLine]) {
            out += "<dl id=\"\(id)\" class=\"summary-list\">\n"
            for line in ls { out += "<div><dt>"; e(line.label); out += "</dt><dd>"; e(line.value); out += "</dd></div>\n" }
            out += "</dl>\n"
        }
        // Steps without a window (label = name, value = visit id), each linked to the page that records it.
        func steps(_ id: String, _ lead: String, _ list: [ChainLine]) {
            guard !list.isEmpty else { return }
            out += "<p id=\"\(id)\">"; e(lead)
            for (i, step) in list.enumerated() {
                if i > 0 { out += " · " }
                out += "<a id=\"visit-"; e(step.value); out += "-link\" href=\""; e(WebPaths.visit(subjectId, step.value)); out += "\">"; e(step.label); out += "</a>"
            }
            out += "</p>\n"
        }
        let participantPath = WebPaths.participant(subjectId)
        out += "<nav id=\"record-sections\" class=\"record-nav\" aria-label=\"Sections of this record\"><ul>"
        for (href, label) in [("#product", "Product"), ("#dosing", "Dosing"), ("#visits-section", "Visits"), ("#safety", "Safety"),
                              (participantPath + "/adverse-events", "Adverse events"), ("#outcomes", "Outcomes"),
                              ("#eligibility", "Screening"), ("#monitoring", "Monitoring")] {
            out += "<li><a href=\""; e(href); out += "\">"; e(label); out += "</a></li>"
        }
        out += "</ul></nav>\n"
        out += "<section id=\"course\" class=\"section\" aria-labelledby=\"course-heading\">\n<h2 id=\"course-heading\">Course</h2>\n"
        out += "<p><a id=\"timeline-link\" href=\""; e(participantPath); out += "/timeline\">Timeline</a> — the whole course on one time axis · "
        out += "<a id=\"adverse-events-link\" href=\""; e(participantPath); out += "/adverse-events\">Adverse events</a></p>\n"
        if let calendar {
            out += "<p id=\"day-zero\" data-provisional=\"\(calendar.provisional)\">Day 0: <strong>"; e(calendar.dayZero.description); out += "</strong> "
            out += calendar.provisional ? "<span class=\"muted\">(provisional: the planned infusion date; fixed by the first infusion)</span>"
                : "<span class=\"muted\">(first CAR-T infusion)</span>"
            out += "</p>\n"
        } else {
            out += "<p id=\"day-zero\" data-provisional=\"true\" class=\"muted\">No calendar yet: it starts from the planned infusion date or the first infusion.</p>\n"
        }
        out += "<section id=\"product\" class=\"subsection\" aria-labelledby=\"product-heading\">\n<h3 id=\"product-heading\">Product</h3>\n"
        lines("chain", chain)
        steps("procedures", "Recorded on: ", procedures)
        out += "</section>\n"
        out += "<section id=\"dosing\" class=\"subsection\" aria-labelledby=\"dosing-heading\">\n<h3 id=\"dosing-heading\">Dosing</h3>\n"
        lines("dosing-lines", dosing)
        let dosingVisits = calendar?.visits.filter { dosingVisitIDs.contains($0.id) } ?? []
        if !dosingVisits.isEmpty {
            out += "<ul id=\"dosing-visits\" class=\"link-list\">\n"
            for v in dosingVisits {
                out += "<li><a href=\""; e(WebPaths.visit(subjectId, v.id)); out += "\">"; e(v.name); out += "</a> <span class=\"badge badge--visit-"
                e(v.status.rawValue); out += "\">"; e(Self.statusText(v.status)); out += "</span> <span class=\"muted\">"; e(v.nominalDate.description); out += "</span></li>\n"
            }
            out += "</ul>\n"
        }
        out += "</section>\n"
        out += "<section id=\"visits-section\" class=\"subsection\" aria-labelledby=\"visits-heading\">\n<h3 id=\"visits-heading\">Visits</h3>\n"
        steps("other-steps", "Recorded when it happens: ", otherSteps)
        if let calendar {
            out += "<div class=\"table-wrap\"><table id=\"visits\" class=\"table table--compact\">\n<caption class=\"visually-hidden\">Visits with their windows and status</caption>\n"
            out += "<thead><tr><th scope=\"col\">Visit</th><th scope=\"col\">Day</th><th scope=\"col\">Date</th><th scope=\"col\">Window</th><th scope=\"col\">Status</th><th scope=\"col\">Done on</th></tr></thead>\n<tbody>\n"
            for v in calendar.visits {
                let isToday = (v.earliest...v.latest).contains(today) && v.doneOn == nil
                out += "<tr id=\"visit-"; e(v.id); out += "\" data-status=\""; e(v.status.rawValue); out += "\""
                if isToday { out += " class=\"row--today\"" }
                out += "><th scope=\"row\">"
                if v.id == calendar.visits.first?.id {
                    out += "<a href=\"#screening\">"; e(v.name); out += "</a>"
                } else {
                    out += "<a id=\"visit-"; e(v.id); out += "-link\" href=\""; e(WebPaths.visit(subjectId, v.id)); out += "\">"; e(v.name); out += "</a>"
                }
                out += "</th><td class=\"num\">\(v.day)</td><td>"; e(v.nominalDate.description); out += "</td><td>"
                out += v.earliest == v.latest ? "that day" : "\(v.earliest) to \(v.latest)"
                out += "</td><td><span class=\"badge badge--visit-"; e(v.status.rawValue); out += "\">"; e(Self.statusText(v.status)); out += "</span></td><td>"
                e(v.doneOn?.description ?? "—"); out += "</td></tr>\n"
            }
            out += "</tbody>\n</table></div>\n"
        }
        out += "</section>\n"
        out += "<section id=\"safety\" class=\"subsection\" aria-labelledby=\"safety-heading\">\n<h3 id=\"safety-heading\">Safety</h3>\n"
        lines("safety-lines", safety)
        if !alerts.isEmpty {
            out += "<ul id=\"participant-alerts\" class=\"aside-list\">\n"
            for a in alerts {
                out += "<li id=\"participant-alert-\(a.n)\" class=\"message message--"; e(a.severity); out += "\" data-key=\""; e(a.key); out += "\">"; e(a.text)
                if let href = a.href { out += " <a id=\"participant-alert-\(a.n)-data\" href=\""; e(href); out += "\">Go to the data</a>" }
                out += "</li>\n"
            }
            out += "</ul>\n"
        }
        if !deviations.isEmpty {
            out += "<div id=\"deviations\" class=\"message message--warning\" role=\"status\">\n<h4>Protocol deviations (\(deviations.count))</h4>\n<ul>\n"
            for (n, d) in deviations.enumerated() {
                out += "<li id=\"deviation-\(n + 1)\" data-rule=\""; e(d.rule.rawValue); out += "\">"; e(d.description)
                out += " <span class=\"muted\">Rule "; e(d.rule.rawValue); out += ": "; e(d.rule.text); out += "</span></li>\n"
            }
            out += "</ul>\n</div>\n"
        }
        out += "</section>\n"
        out += "<section id=\"outcomes\" class=\"subsection\" aria-labelledby=\"outcomes-heading\">\n<h3 id=\"outcomes-heading\">Outcomes so far</h3>\n"
        if outcomes.isEmpty {
            out += "<p class=\"muted\">Nothing to derive yet.</p>\n"
        } else {
            lines("outcome-lines", outcomes)
            out += "<p class=\"muted\">Derived as in the <a href=\""; e(WebPaths.report); out += "#report-row-"; e(subjectId); out += "\">study report</a>, with the values behind each figure.</p>\n"
        }
        out += "</section>\n</section>\n"
        return out
    }
}
