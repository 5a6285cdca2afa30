/// The dashboard: counts by status, progress to the enrolment target, and who is waiting for what.
///
/// Source: issue 2 §6 (participant list and dashboard: counts by status, who is waiting for what).
public enum DashboardPage {
    /// What the dashboard shows.
    public struct Model: PageModel, Equatable {
        /// Template `dashboard.mustache`.
        public static let template = "dashboard"
        /// Document title.
        public let title = "Dashboard"
        /// One card per status, each linking to the filtered participant list.
        public let counts: [StatusCount]
        /// Enrolled participants so far.
        public let enrolled: Int
        /// The study's enrolment target.
        public let target: Int
        /// E.g. "2 of 5 enrolled".
        public let progressText: String
        /// Whether the target has been reached (enrolment is then closed unless the study allows more).
        public let targetReached: Bool
        /// Participants waiting for something, in the order given.
        public let waiting: [WaitingItem]
        /// Whether anyone is waiting (the list is shown only then).
        public let hasWaiting: Bool
        /// What trial conduct needs today (alerts, visits, queries), once someone is enrolled; empty before.
        public let conduct: [ConductItem]
        /// Whether the conduct summary is shown.
        public let hasConduct: Bool

        /// Creates the dashboard model from the counts, the waiting list and the conduct summary.
        public init(screening: Int, enrolled: Int, screenFailed: Int, target: Int, waiting: [WaitingItem], conduct: [ConductItem] = []) {
            counts = [
                StatusCount(.screening, count: screening),
                StatusCount(.enrolled, count: enrolled),
                StatusCount(.screenFailed, count: screenFailed),
            ]
            self.enrolled = enrolled
            self.target = target
            progressText = "\(enrolled) of \(target) enrolled"
            targetReached = enrolled >= target
            self.waiting = waiting
            hasWaiting = !waiting.isEmpty
            self.conduct = conduct
            hasConduct = !conduct.isEmpty
        }
    }

    /// One line of the conduct summary: a count in words, linking to the page where it is dealt with.
    public struct ConductItem: Sendable, Equatable {
        /// Stable element id, e.g. "conduct-alerts".
        public let id: String
        public let count: Int
        /// E.g. "3 alerts to acknowledge for 2 participants".
        public let text: String
        public let href: String
        /// Marked for the eye (and by the words) when it needs someone now: alerts and overdue visits.
        public let urgent: Bool

        public init(id: String, count: Int, text: String, href: String, urgent: Bool) {
            self.id = id; self.count = count; self.text = text; self.href = href; self.urgent = urgent
        }
    }

    /// The conduct summary a coordinator, investigator or monitor lands on after signing in: before, a study whose
    /// enrolment had closed showed "Nobody is waiting for anything" beside a grade 4 neutropenia alert on the today
    /// screen. Counts come from the today screen (alerts not yet acknowledged, visits due and overdue) and the query
    /// inbox, so each line agrees with the page it links to.
    /// `acknowledges`: whether the reader may acknowledge alerts (the site); a monitor reads them as the site's to do.
    public static func conductItems(alerts: Int, participantsWithAlerts: Int, dueToday: Int, overdue: Int,
                                    openQueries: Int, answeredQueries: Int, acknowledges: Bool = true) -> [ConductItem] {
        func n(_ k: Int, _ one: String, _ many: String) -> String { "\(k) \(k == 1 ? one : many)" }
        let queries = openQueries + answeredQueries
        let todo = acknowledges ? " to acknowledge" : " awaiting the site's acknowledgement"
        return [
            ConductItem(id: "conduct-alerts", count: alerts,
                        text: alerts == 0 ? "No alerts" + todo
                            : n(alerts, "alert", "alerts") + todo + " for " + n(participantsWithAlerts, "participant", "participants"),
                        href: TodayPage.href(show: .attention), urgent: alerts > 0),
            ConductItem(id: "conduct-overdue", count: overdue, text: overdue == 0 ? "No overdue visits" : n(overdue, "overdue visit", "overdue visits"),
                        href: TodayPage.href(show: .attention), urgent: overdue > 0),
            ConductItem(id: "conduct-due", count: dueToday, text: dueToday == 0 ? "No visit due today" : n(dueToday, "visit", "visits") + " due today",
                        href: TodayPage.href(show: .attention), urgent: false),
            ConductItem(id: "conduct-queries", count: queries,
                        text: queries == 0 ? "No open queries"
                            : n(openQueries, "open query", "open queries") + ", " + n(answeredQueries, "answer", "answers") + " awaiting review",
                        href: WebPaths.queries, urgent: false),
        ]
    }

    /// The number of participants in one status.
    public struct StatusCount: Sendable, Equatable {
        /// The status badge.
        public let badge: StatusBadge
        /// How many participants have this status.
        public let count: Int
        /// The participant list filtered to this status.
        public let href: String

        /// Creates a count card.
        public init(_ status: StatusBadge.Status, count: Int) {
            badge = StatusBadge(status)
            self.count = count
            href = WebPaths.participants(status: status.rawValue)
        }
    }

    /// A participant and what they are waiting for.
    public struct WaitingItem: Sendable, Equatable {
        /// Pseudonymous subject ID, e.g. "BCRITP-003".
        public let subjectId: String
        /// Link to the participant page.
        public let href: String
        /// What is missing, e.g. "screening data incomplete: Hb, ANC".
        public let reason: String

        /// Creates a waiting-list entry.
        public init(subjectId: String, reason: String) {
            self.subjectId = subjectId
            self.href = WebPaths.participant(subjectId)
            self.reason = reason
        }
    }
}
