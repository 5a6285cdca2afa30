import Foundation

/// The outcome an investigator signs.
///
/// Source: issue 2 scope 6.
public enum EligibilityDecisionKind: String, Sendable, Codable, CaseIterable {
    /// All criteria met; may be enrolled.
    case eligible
    /// Not eligible.
    case notEligible = "not_eligible"
}
