/// The signed-in user as shown in the page header.
///
/// Source: issue 2 §5 (roles admin, investigator, coordinator, monitor).
public struct SignedInUser: Sendable, Equatable {
    /// The login name.
    public let username: String
    /// The role as shown, e.g. "Investigator".
    public let role: String

    /// Creates the header's user block.
    public init(username: String, role: String) {
        self.username = username
        self.role = role
    }
}
