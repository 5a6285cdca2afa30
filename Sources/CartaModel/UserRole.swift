import Foundation

/// A user's role; the server maps roles to permissions.
///
/// Source: issue 2 scope 5 ("A coordinator cannot sign eligibility; a monitor cannot write").
public enum UserRole: String, Sendable, Codable, CaseIterable {
    /// Manages users and the study.
    case admin
    /// Signs eligibility decisions.
    case investigator
    /// Registers participants and enters data.
    case coordinator
    /// Reads only.
    case monitor
}
