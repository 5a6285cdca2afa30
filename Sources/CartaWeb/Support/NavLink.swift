/// One entry of the main navigation.
///
/// Source: issue 2 §7; WAI-ARIA `aria-current="page"` for the current section.
public struct NavLink: Sendable, Equatable {
    /// The sections of the main navigation.
    public enum Section: String, Sendable, CaseIterable {
        case dashboard, today, participants, queries, report, register, audit, access
    }

    /// Stable key, used in the element id `nav-<key>`.
    public let key: String
    /// Visible text.
    public let label: String
    /// Target path.
    public let href: String
    /// Whether this is the page being shown.
    public let current: Bool

    /// Creates a link for a section, marking it current when it is `current`.
    public init(_ section: Section, current: Section?) {
        key = section.rawValue
        self.current = section == current
        switch section {
        case .dashboard: (label, href) = ("Dashboard", WebPaths.dashboard)
        case .today: (label, href) = ("Today", WebPaths.today)
        case .participants: (label, href) = ("Participants", WebPaths.participants)
        case .queries: (label, href) = ("Queries", WebPaths.queries)
        case .report: (label, href) = ("Report", WebPaths.report)
        case .register: (label, href) = ("Register participant", WebPaths.register)
        case .audit: (label, href) = ("Audit trail", WebPaths.audit)
        case .access: (label, href) = ("Access review", WebPaths.accessReview)
        }
    }
}
