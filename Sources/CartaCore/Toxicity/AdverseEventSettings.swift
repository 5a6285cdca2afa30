import Foundation

/// Collection rules for adverse events that a study file sets.
///
/// No core rule reads it yet: the adverse-event service of the "Adverse events" issue will, to decide
/// which events are collected and which are treatment-emergent.
/// Source: spec/clinical.md §4.4 ("from informed consent (procedure-related) and from first LD dose
/// (treatment-emergent) to Month 6" [D]).
public struct AdverseEventSettings: Codable, Sendable, Hashable {
    /// When adverse-event collection starts.
    /// Source: spec/clinical.md §4.4 [D].
    public enum CollectionStart: String, Codable, Sendable, CaseIterable {
        /// Informed consent (procedure-related events too; default).
        case consent
        /// The first lymphodepletion dose (treatment-emergent events only).
        case firstLymphodepletion
    }

    /// §4.4 [D]: default `consent`.
    public var collectionStart: CollectionStart = .consent

    /// The spec's defaults.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable { case collectionStart }

    /// Decodes, taking the default for every absent key.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        collectionStart = try c.decodeIfPresent(CollectionStart.self, forKey: .collectionStart) ?? .consent
    }
}
