import Foundation

/// Scoring rules of the ITP-PAQ questionnaire that a study file sets.
///
/// Read by `LikertScale` for the installed scoring plug-in (`QuestionnaireScorer`) of registry outcome HRQOL.
/// Source: spec/clinical.md §3 ("score a scale when ≥ 50% of its items are answered" [D]).
public struct QuestionnaireSettings: Codable, Sendable, Hashable {
    /// A scale is scored when at least this share of its items is answered (0…1, default 0.5).
    public var minAnsweredFraction: Double = 0.5

    /// The spec's defaults.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable { case minAnsweredFraction }

    /// Decodes, taking the default for every absent key.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        minAnsweredFraction = try c.decodeIfPresent(Double.self, forKey: .minAnsweredFraction) ?? 0.5
    }

    /// Checks ranges; throws naming `prefix.key`.
    /// Source: spec/clinical.md §3.
    public func validate(prefix: String = "settings") throws {
        if !(minAnsweredFraction > 0 && minAnsweredFraction <= 1) {
            throw CalculatorError.outOfRange("\(prefix).minAnsweredFraction", "must be a number in (0, 1] (got \(minAnsweredFraction))")
        }
    }
}
