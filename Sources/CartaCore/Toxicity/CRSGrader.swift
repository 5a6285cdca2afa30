/// The raw signs of one CRS assessment, already validated and in standard units.
///
/// Source: spec/clinical.md §5.1 (ASTCT 2019 CRS parameters).
public struct CRSSigns: Hashable, Sendable {
    /// Highest temperature in the assessment period, °C.
    public let temperatureCel: Double
    /// Antipyretic or anti-cytokine therapy (tocilizumab, steroids) has been given for this CRS.
    public let feverMaskingTreatmentGiven: Bool
    /// A CRS episode (qualifying fever) is already ongoing.
    public let crsOngoing: Bool
    public let hypotension: Bool
    public let vasopressors: Set<Vasopressor>
    public let oxygen: OxygenSupport

    /// Creates the value from its parts (no validation; calculators validate input).
    public init(temperatureCel: Double, feverMaskingTreatmentGiven: Bool, crsOngoing: Bool,
                hypotension: Bool, vasopressors: Set<Vasopressor>, oxygen: OxygenSupport) {
        self.temperatureCel = temperatureCel; self.feverMaskingTreatmentGiven = feverMaskingTreatmentGiven
        self.crsOngoing = crsOngoing; self.hypotension = hypotension
        self.vasopressors = vasopressors; self.oxygen = oxygen
    }
}

/// An ASTCT 2019 CRS grade (0 = no CRS) with the parameter points that produced it.
///
/// Source: spec/clinical.md §5.1.
public struct CRSAssessment: Hashable, Sendable {
    /// 0 (no CRS) to 4. Grade 5 (death from CRS) is never derived from signs.
    public let grade: Int
    public let feverPresent: Bool
    /// True when fever was absent but not required (treated, ongoing CRS — ASTCT rule 1).
    public let feverRequirementWaived: Bool
    public let hypotensionGrade: Int
    public let hypoxiaGrade: Int
    /// Vasopressors other than vasopressin (the count ASTCT uses for "multiple").
    public let vasopressorsCountedTowardMultiple: Int
    /// The parameters that set the grade: any of "fever", "hypotension", "hypoxia"; empty when no CRS.
    public let decidedBy: [String]
    public let rule: String
}

/// Grades cytokine release syndrome from raw signs with the ASTCT 2019 consensus table.
///
/// Source: spec/clinical.md §5.1 (Lee et al., BBMT 2019;25:625), algorithm and rules 1–2.
public enum CRSGrader {
    /// Fever threshold, °C (ASTCT: ≥ 38.0 °C).
    public static let feverThresholdCel = 38.0

    /// Grades one assessment; the oxygen support must have a hypoxia grade (cannula flow known).
    ///
    /// Source: spec/clinical.md §5.1 ("grade = max(1, hypo, hyx)" when fever or waived fever).
    public static func grade(_ s: CRSSigns) -> CRSAssessment {
        let fever = CTCAEComparison.greaterOrEqual.holds(s.temperatureCel, feverThresholdCel)
        let waived = !fever && s.feverMaskingTreatmentGiven && s.crsOngoing
        let counted = s.vasopressors.filter(\.countsTowardMultiple).count
        let hypo: Int
        if counted >= 2 { hypo = 4 } else if !s.vasopressors.isEmpty { hypo = 3 } else if s.hypotension { hypo = 2 } else { hypo = 0 }
        let hyx = s.oxygen.hypoxiaGrade ?? 0
        guard fever || waived else {
            return CRSAssessment(
                grade: 0, feverPresent: false, feverRequirementWaived: false, hypotensionGrade: hypo,
                hypoxiaGrade: hyx, vasopressorsCountedTowardMultiple: counted, decidedBy: [],
                rule: "No CRS: temperature < 38.0 °C and no ongoing CRS treated with antipyretics or anti-cytokine therapy (ASTCT requires fever)")
        }
        let grade = max(1, hypo, hyx)
        var by: [String] = []
        if grade == 1 { by = ["fever"] } else {
            if hypo == grade { by.append("hypotension") }
            if hyx == grade { by.append("hypoxia") }
        }
        let feverText = fever ? "fever ≥ 38.0 °C" : "fever not required (antipyretic/anti-cytokine given during ongoing CRS)"
        let hypoText = [0: "no hypotension", 2: "hypotension not requiring vasopressors",
                        3: "hypotension requiring one vasopressor, with or without vasopressin",
                        4: "hypotension requiring multiple vasopressors, excluding vasopressin"][hypo]!
        let hyxText = [0: "no supplemental oxygen", 2: "low-flow oxygen, \(s.oxygen.label)",
                       3: "high-flow or mask oxygen, \(s.oxygen.label)",
                       4: "positive pressure, \(s.oxygen.label)"][hyx]!
        return CRSAssessment(
            grade: grade, feverPresent: fever, feverRequirementWaived: waived, hypotensionGrade: hypo,
            hypoxiaGrade: hyx, vasopressorsCountedTowardMultiple: counted, decidedBy: by,
            rule: "Grade \(grade): \(feverText); \(hypoText) → \(hypo); \(hyxText) → \(hyx); grade = max(1, hypotension, hypoxia)")
    }
}
