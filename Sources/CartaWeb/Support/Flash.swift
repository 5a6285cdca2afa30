/// A one-time message shown at the top of the next page (after a redirect).
///
/// Carries an icon and a word besides its colour so the kind is never shown by colour alone
/// (WCAG 2.2 SC 1.4.1). Source: issue 2 §7 (web pages).
public struct Flash: Sendable, Equatable {
    /// What kind of message this is.
    public enum Kind: String, Sendable {
        case success, error, warning
    }

    /// The message kind as a CSS/test hook: `success`, `error` or `warning`.
    public let kind: String
    /// The text shown to the user.
    public let message: String
    /// The visible word before the message ("Saved", "Error", "Warning").
    public let word: String
    /// A decorative icon (hidden from screen readers; `word` carries the meaning).
    public let icon: String
    /// `alert` for errors and warnings (announced at once), `status` for success.
    public let ariaRole: String

    /// Creates a flash message of a given kind.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind.rawValue
        self.message = message
        switch kind {
        case .success: (word, icon, ariaRole) = ("Done", "✓", "status")
        case .error: (word, icon, ariaRole) = ("Error", "✕", "alert")
        case .warning: (word, icon, ariaRole) = ("Warning", "!", "alert")
        }
    }
}
