import CartaCore

/// Every [D] design decision and [?] reading of spec/clinical.md that a study file sets, as the
/// clinical rules' own typed settings and regimens: each field is the value the rule receives.
///
/// Each section decodes with the spec default for every key it omits (`settings: {}` is valid).
/// Source: spec/clinical.md §0.1 ("[D] … make it configurable"); DESIGN.md §2 (CartaStudy holds the
/// core's typed settings and regimens); issue 6.
public struct StudySettings: Hashable, Sendable, Codable {
    /// Eligibility readings: E8, E9, E11 window, I2 age anchor. Source: spec/clinical.md §0.4.
    public var eligibility = EligibilitySettings()
    /// ITP response rules B, E, S, C, L. Source: spec/clinical.md §1.6.
    public var response = ResponseSettings()
    /// Which CR definition and time-to-response origin are reported. Source: spec/clinical.md §1.5.
    public var responseReporting = ResponseReporting()
    /// Concomitant-therapy reduction rules. Source: spec/clinical.md §9.3.
    public var conmed = ConmedSettings()
    /// Creatinine-clearance estimate. Source: spec/clinical.md §6.3.
    public var crcl = CrClSettings()
    /// The lymphodepletion regimen (drugs, days, BSA formula, rounding); its `limits` are `dosingLimits`.
    /// Source: spec/clinical.md §6.1–6.3.
    public var lymphodepletion = LymphodepletionRegimen()
    /// The CAR-T dose regimen (range, fractions, dose basis, hold rule); its `limits` are `dosingLimits`.
    /// Source: spec/clinical.md §6.4.
    public var carT = CARTDoseRegimen()
    /// Hard limits and warnings of every dose calculation. Source: spec/clinical.md §6.5.
    public var dosingLimits = DosingLimits()
    /// ITP-PAQ scoring. Source: spec/clinical.md §3.
    public var questionnaire = QuestionnaireSettings()
    /// Adverse-event collection. Source: spec/clinical.md §4.4.
    public var adverseEvents = AdverseEventSettings()

    /// Every setting at its spec default.
    /// Source: spec/clinical.md (defaults as documented on each core type).
    public init() {}

    /// Settings with every default.
    /// Source: spec/clinical.md.
    public static var defaults: StudySettings { StudySettings() }

    /// The section names of `settings:` in a study file, in documentation order.
    /// Source: docs/study-file.md "Settings".
    public static let sectionNames = ["eligibility", "response", "responseReporting", "conmed", "crcl", "lymphodepletion",
                                      "carT", "dosingLimits", "questionnaire", "adverseEvents"]
}
