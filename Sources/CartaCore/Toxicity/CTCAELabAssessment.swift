/// The CTCAE v5.0 grade of one laboratory value, with the threshold and rule that decided it.
///
/// Source: spec/clinical.md §4.2 (grading, baseline rules, treatment-emergent worsening).
public struct CTCAELabAssessment: Hashable, Sendable {
    public let term: CTCAELabTerm
    /// The graded value in the term's standard unit (`term.analyte.standardUnit`).
    public let valueInStandardUnit: Double
    public let grade: CTCAEGrade
    /// Which criteria variant applied, e.g. "baseline normal (≤ ULN)"; empty when the term has one.
    public let criteriaVariant: String
    /// The threshold that decided the grade, e.g. `< 50.0 10*9/L` or `> 3.0 × ULN`; nil when not computable.
    public let decidingThreshold: String?
    /// That threshold as a number in the standard unit (multiple × reference); nil when not computable.
    public let decidingThresholdValue: Double?
    /// The CTCAE rule text for the assigned grade (or the reason it is not computable).
    public let rule: String
    /// The baseline value's grade under the same criteria; nil when no baseline was given.
    public let baselineGrade: CTCAEGrade?
    /// True when the grade is worse than the baseline grade; nil when either is unknown.
    public let treatmentEmergentWorsening: Bool?
}
