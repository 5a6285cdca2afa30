/// An ICANS grade (0 = no ICANS) with the points of every domain.
///
/// Source: spec/clinical.md §5.2.
public struct ICANSAssessment: Hashable, Sendable {
    /// 0 (no ICANS) to 4. Grade 5 (death from ICANS) is never derived from findings.
    public let grade: Int
    /// ICE score 0–10, or nil when ICE could not be performed (unarousable).
    public let iceScore: Int?
    public let iceGrade: Int
    public let consciousnessGrade: Int
    public let seizureGrade: Int
    public let motorGrade: Int
    public let raisedICPOrEdemaGrade: Int
    /// Domains that set the grade (`ice`, `consciousness`, `seizure`, `motor`, `raisedICPOrEdema`).
    public let decidedBy: [String]
    /// True when an intracranial haemorrhage was recorded; it is excluded from ICANS.
    public let intracranialHemorrhageRecordedSeparately: Bool
    public let rule: String
}

/// Grades ICANS as the worst of the ICE, consciousness, seizure, motor and ICP/oedema domains.
///
/// Source: spec/clinical.md §5.2 (ASTCT 2019, adults).
public enum ICANSGrader {
    /// ICE-domain points: 10 → 0, 7–9 → 1, 3–6 → 2, 0–2 → 3; 4 when unarousable and ICE not possible.
    ///
    /// Source: spec/clinical.md §5.2 ICE row ("ICE 0 and awake with global aphasia → G3").
    public static func iceGrade(score: Int?, consciousness: ICANSConsciousness) -> Int {
        guard let score else { return consciousness == .unarousable ? 4 : 0 }
        switch score {
        case 10...: return 0
        case 7...9: return 1
        case 3...6: return 2
        default: return 3
        }
    }

    /// Grades one assessment; `findings.ice` must be present unless the patient is unarousable.
    ///
    /// Source: spec/clinical.md §5.2.
    public static func grade(_ f: ICANSFindings) -> ICANSAssessment {
        let score = f.ice?.score
        let domains: [(String, Int)] = [
            ("ice", iceGrade(score: score, consciousness: f.consciousness)),
            ("consciousness", f.consciousness.grade),
            ("seizure", f.seizure.grade),
            ("motor", f.deepFocalMotorWeakness ? 4 : 0),
            ("raisedICPOrEdema", max(f.cerebralEdema.grade, f.raisedICPSigns.isEmpty ? 0 : 4)),
        ]
        let grade = domains.map(\.1).max()!
        let by = grade == 0 ? [] : domains.filter { $0.1 == grade }.map(\.0)
        var rule = grade == 0
            ? "No ICANS: ICE \(score.map(String.init) ?? "not done") with no other neurological finding"
            : "Grade \(grade): worst domain \(by.joined(separator: ", ")) (ICE \(score.map(String.init) ?? "not possible, unarousable"))"
        if f.intracranialHemorrhage {
            rule += "; intracranial hemorrhage recorded separately — excluded from ICANS, grade it with CTCAE"
        }
        return ICANSAssessment(
            grade: grade, iceScore: score, iceGrade: domains[0].1, consciousnessGrade: domains[1].1,
            seizureGrade: domains[2].1, motorGrade: domains[3].1, raisedICPOrEdemaGrade: domains[4].1,
            decidedBy: by, intracranialHemorrhageRecordedSeparately: f.intracranialHemorrhage, rule: rule)
    }
}
