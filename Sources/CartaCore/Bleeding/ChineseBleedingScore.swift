/// The Chinese ITP bleeding score: age points plus the single highest symptom points, kept apart.
///
/// Source: spec/clinical.md §2.1 (score = age points + highest symptom points, range 0–10; severe
/// ITP when score ≥ 5 or platelets < 10 ×10^9/L with active bleeding; `symptomPoints == 0` means
/// "not bleeding" — age points never make a subject a bleeder).
public struct ChineseBleedingScore: Hashable, Sendable {
    public let ageYears: Int
    /// 0 (< 65 y), 1 (65–74 y) or 2 (≥ 75 y).
    public let agePoints: Int
    /// Highest points among the recorded symptoms (not summed across sites); 0 when none.
    public let symptomPoints: Int
    /// The table row that gave `symptomPoints`, nil when no symptom.
    public let decidingSymptom: String?
    /// `agePoints + symptomPoints`.
    public let total: Int
    /// True when any symptom scores (symptomPoints > 0).
    public let bleeding: Bool
    /// True when `total ≥ 5`.
    public let severeByScore: Bool
    /// Severe ITP (score ≥ 5, or platelets < 10 with bleeding); nil when it depends on a platelet
    /// count that was not given.
    public let severe: Bool?

    /// Age points: ≥ 75 → 2, ≥ 65 → 1, else 0.
    ///
    /// Source: spec/clinical.md §2.1 age rows.
    public static func agePoints(ageYears: Int) -> Int { ageYears >= 75 ? 2 : ageYears >= 65 ? 1 : 0 }

    /// Scores the recorded symptoms; `plateletsPer10e9L` (optional) completes the severity rule.
    ///
    /// Source: spec/clinical.md §2.1.
    public init(ageYears: Int, symptoms: [ChineseBleedingSymptom], plateletsPer10e9L: Double? = nil) {
        self.ageYears = ageYears
        agePoints = Self.agePoints(ageYears: ageYears)
        let worst = symptoms.max { $0.points < $1.points }
        symptomPoints = worst?.points ?? 0
        decidingSymptom = worst?.item
        total = agePoints + symptomPoints
        bleeding = symptomPoints > 0
        severeByScore = total >= 5
        if severeByScore { severe = true }
        else if !bleeding { severe = false }
        else if let p = plateletsPer10e9L { severe = p < 10 }
        else { severe = nil }
    }
}
