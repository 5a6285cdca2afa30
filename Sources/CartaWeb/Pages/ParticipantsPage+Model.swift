/// The participant list, filterable by status, 100 rows a page.
///
/// Source: issue 2 §6 (participant list).
public enum ParticipantsPage {
    /// Rows a page holds: 3,000 participants on one page made a 1.3 MB page.
    public static let pageSize = 100

    /// What the participant list shows.
    public struct Model: PageModel, Equatable {
        /// Template `participants.mustache`.
        public static let template = "participants"
        /// Document title.
        public let title = "Participants"
        /// Filter links: "All" and one per status, the active one marked.
        public let filters: [FilterLink]
        /// Describes the current filter, e.g. "All participants" or "Status: Enrolled".
        public let filterDescription: String
        /// The rows to show.
        public let rows: [Row]
        /// Whether there are rows (the table is shown only then).
        public let hasRows: Bool
        /// Link to the registration form; `nil` when the viewer's role cannot register.
        public let registerHref: String?
        /// "Participants 1–100 of 3,000", or nil when the list fits one page.
        public let rangeText: String?
        public let previousHref: String?, nextHref: String?
        /// The subject ID fragment searched for ("" when none), and the status the search form keeps.
        public let subject: String, statusCode: String?

        /// Creates the list model; `status` is the active filter (`nil` = all); `canRegister` shows
        /// the registration link; `rows` are the page's, `pager` where it lies in the whole list; `subject` the
        /// subject ID fragment the rows were searched by.
        public init(rows: [Row], status: StatusBadge.Status?, canRegister: Bool = true, pager: Pager? = nil, subject: String = "") {
            rangeText = pager?.rangeText("Participants")
            let around = pager?.neighbours { WebPaths.participants(status: status?.rawValue, page: $0, subject: subject) }
            previousHref = around?.previous; nextHref = around?.next
            self.subject = subject; statusCode = status?.rawValue
            var filters = [FilterLink(key: "all", label: "All", href: WebPaths.participants(status: nil), current: status == nil)]
            for s in StatusBadge.Status.allCases {
                filters.append(FilterLink(
                    key: s.rawValue, label: StatusBadge(s).label,
                    href: WebPaths.participants(status: s.rawValue), current: s == status
                ))
            }
            self.filters = filters
            filterDescription = (status.map { "Status: " + StatusBadge($0).label } ?? "All participants")
                + (subject.isEmpty ? "" : " · subject ID contains “\(subject)”")
            self.rows = rows
            hasRows = !rows.isEmpty
            registerHref = canRegister ? WebPaths.register : nil
        }
    }

    /// One participant row.
    public struct Row: Sendable, Equatable {
        /// Pseudonymous subject ID.
        public let subjectId: String
        /// Link to the participant page.
        public let href: String
        /// Status badge.
        public let badge: StatusBadge
        /// Site name.
        public let site: String
        /// Registration date, "YYYY-MM-DD".
        public let registeredOn: String
        /// What happens next, e.g. "Enter screening labs".
        public let nextAction: String

        /// Creates a row.
        public init(subjectId: String, status: StatusBadge.Status, site: String, registeredOn: String, nextAction: String) {
            self.subjectId = subjectId
            self.href = WebPaths.participant(subjectId)
            self.badge = StatusBadge(status)
            self.site = site
            self.registeredOn = registeredOn
            self.nextAction = nextAction
        }
    }

    /// A status filter link.
    public struct FilterLink: Sendable, Equatable {
        /// Stable key, used in the id `filter-<key>`.
        public let key: String
        /// Visible text.
        public let label: String
        /// Target URL.
        public let href: String
        /// Whether this filter is active.
        public let current: Bool
    }
}
