/// One screening value an eligibility rule can read, already checked and standardised.
///
/// Numbers are in the analyte's standard unit (`unit` says which); reference limits are in the
/// same unit. Source: spec/clinical.md §10.3 ("grade only on standardised values").
public enum Observation: Hashable, Sendable, Codable {
    /// A numeric result with the lab's normal reference limits when known.
    case number(value: Double, unit: String, lowerLimitNormal: Double?, upperLimitNormal: Double?)
    /// A coded answer, e.g. `POS`, `FAIL`.
    case code(String)
    /// A yes/no answer.
    case boolean(Bool)
    /// A calendar date.
    case date(ClinicalDate)
}

/// Everything eligibility evaluation needs about one person, keyed by item OID.
///
/// The date of birth is identifying and is held outside the study forms; the caller passes it in.
/// Source: spec/clinical.md §0.4; issue 2 scope item 6.
public struct EligibilityFacts: Hashable, Sendable {
    public var dateOfBirth: ClinicalDate?
    public var consentDate: ClinicalDate?
    /// Planned date of the first CAR-T infusion (Day 0), once scheduled.
    public var plannedInfusionDate: ClinicalDate?
    /// Checked values keyed by item OID.
    public var observations: [String: Observation]

    /// Creates a set of facts; all parts may be missing while screening is in progress.
    ///
    /// Source: issue 2 scope item 6.
    public init(dateOfBirth: ClinicalDate? = nil, consentDate: ClinicalDate? = nil,
                plannedInfusionDate: ClinicalDate? = nil, observations: [String: Observation] = [:]) {
        self.dateOfBirth = dateOfBirth; self.consentDate = consentDate
        self.plannedInfusionDate = plannedInfusionDate; self.observations = observations
    }

    /// Keys used in `CriterionResult.notEvaluable(missing:)` for the non-item facts.
    ///
    /// Source: issue 2 scope item 6 ("not evaluable (with what is missing)").
    public enum MissingKey {
        public static let dateOfBirth = "dateOfBirth"
        public static let consentDate = "consentDate"
        public static let plannedInfusionDate = "plannedInfusionDate"
        /// The key naming a missing reference limit of an item, e.g. `CREAT.ULN`.
        public static func limit(_ item: String, _ limit: ReferenceLimit) -> String { "\(item).\(limit.rawValue)" }
    }
}
