/// What every page shows around its content: study, user, navigation, flash messages and the CSRF token.
///
/// Source: issue 2 §5 (CSRF token on every form) and §7 (web pages).
public struct LayoutModel: Sendable, Equatable {
    /// Study identifier shown in the header, e.g. "NCT05315778".
    public let studyId: String
    /// Short study title shown in the header.
    public let studyTitle: String
    /// The signed-in user; `nil` on the sign-in page (then no navigation is shown).
    public let user: SignedInUser?
    /// The session's CSRF token; every POST form carries it as the hidden field `csrf`.
    public let csrf: String
    /// Messages to show once at the top of the main content.
    public let flashes: [Flash]
    /// The main navigation, with the current section marked.
    public let nav: [NavLink]
    /// Where the sign-out form posts.
    public let signOutAction: String
    /// The database holds synthetic demonstration data (`carta demo`): a banner on every page says so.
    public let synthetic: Bool

    /// Creates the layout model; `current` marks the navigation entry of the page being shown and
    /// `sections` are the entries the user's role may use (a monitor is not offered registration).
    public init(
        studyId: String,
        studyTitle: String,
        user: SignedInUser?,
        csrf: String,
        flashes: [Flash] = [],
        current: NavLink.Section? = nil,
        sections: [NavLink.Section] = NavLink.Section.allCases,
        synthetic: Bool = false
    ) {
        self.synthetic = synthetic
        self.studyId = studyId
        self.studyTitle = studyTitle
        self.user = user
        self.csrf = csrf
        self.flashes = flashes
        self.nav = sections.map { NavLink($0, current: current) }
        self.signOutAction = WebPaths.signOut
    }
}
