/// One inclusion or exclusion criterion of a study: its protocol text and the rule that decides it.
///
/// The `rule` always describes the condition as written in the protocol: for an inclusion the
/// requirement ("age 18–65"), for an exclusion the excluding condition ("Hb < 100 g/L"). The
/// evaluation turns that into met / not met from the eligibility point of view.
/// Source: spec/clinical.md §0.4; DESIGN.md §1 (criteria as data, attestation where not measurable).
public struct EligibilityCriterion: Hashable, Sendable, Codable {
    /// Whether the criterion must hold (inclusion) or must not hold (exclusion).
    ///
    /// Source: NCT05315778 registry record, "Inclusion Criteria" / "Exclusion Criteria".
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case inclusion, exclusion
    }

    /// Protocol identifier such as `I2` or `E7`.
    public var id: String
    public var kind: Kind
    /// The criterion as worded in the protocol.
    public var text: String
    /// The machine rule (or attestation) describing the protocol condition.
    public var rule: EligibilityRule
    /// Interpretation notes, e.g. which reading of an ambiguous criterion is in force.
    public var note: String?

    /// Creates a criterion.
    ///
    /// Source: spec/clinical.md §0.4.
    public init(id: String, kind: Kind, text: String, rule: EligibilityRule, note: String? = nil) {
        self.id = id; self.kind = kind; self.text = text; self.rule = rule; self.note = note
    }
}
