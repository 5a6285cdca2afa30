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

        /// Creates the dashboard model from the counts and the waiting list.
        public init(screening: Int, enrolled: Int, screenFailed: Int, target: Int, waiting: [WaitingItem]) {
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
        }
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
