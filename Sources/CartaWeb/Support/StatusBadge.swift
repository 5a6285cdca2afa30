import CartaModel

/// A participant status as a badge: code for styling and tests, a word and an icon (not colour alone).
///
/// Source: issue 2 §6 (screening → enrolled or screen failed).
public struct StatusBadge: Sendable, Equatable {
    /// The participant's status (the domain record's own type, so the page cannot drift from it).
    public typealias Status = ParticipantStatus

    /// Stable code: `screening`, `enrolled` or `screen_failed` (used in `data-status` and query links).
    public let code: String
    /// The visible word, e.g. "Screen failed".
    public let label: String
    /// A decorative icon.
    public let icon: String

    /// Creates the badge for a status.
    public init(_ status: Status) {
        code = status.rawValue
        switch status {
        case .screening: (label, icon) = ("Screening", "◔")
        case .enrolled: (label, icon) = ("Enrolled", "✓")
        case .screenFailed: (label, icon) = ("Screen failed", "✕")
        }
    }
}
