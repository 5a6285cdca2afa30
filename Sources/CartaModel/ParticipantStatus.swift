import Foundation

/// Where a participant is in screening.
///
/// Source: issue 2 scope 6.
public enum ParticipantStatus: String, Sendable, Codable, CaseIterable {
    /// Registered; screening data being collected.
    case screening
    /// Enrolled after a signed eligible decision.
    case enrolled
    /// Not enrolled; reasons recorded.
    case screenFailed = "screen_failed"
}
