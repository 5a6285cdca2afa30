/// The sub-rule that produced an assessment's status (compact; rendered to text only on demand).
///
/// Source: spec/clinical.md §1.6 rules B, E and S.
public enum StatusBasis: String, Sendable, Equatable, Codable, CaseIterable {
    /// Rule B: counted toward the baseline candidates.
    case baselineCandidate
    /// Rule B: pre-LD count excluded because it is within the gap after a platelet transfusion.
    case baselineAfterTransfusion
    /// Between the first LD dose and Day 0: neither baseline nor response assessment.
    case preInfusion
    /// Rule E(a): within the window after a platelet transfusion (`causeDay` = transfusion day).
    case transfusionWindow
    /// Rule E(b): within the window after rescue therapy (`causeDay` = last dose day, `causeIndex` = rescue).
    case rescueWindow
    /// Rule S: bleeding present (`causeDay` = bleeding record day) → NR.
    case bleeding
    /// Rule S: no bleeding record matched and the platelet value does not settle the status.
    case missingBleeding
    /// Rule S: P ≥ 100 and no bleeding → CR.
    case atLeast100
    /// Rule S: P ≥ 30 and P ≥ multiplier × B and no bleeding → R.
    case atLeast30AndDoubling
    /// Rule S: P ≥ 30 but no baseline exists to test the doubling → not evaluable for R.
    case missingBaseline
    /// Rule S: P < 30 → NR.
    case below30
    /// Rule S: 30 ≤ P < 100 but P < multiplier × B → NR.
    case belowDoubling
}

/// Rule ids that contributed to one dated record, as a bit set (B, E, S, C, L).
///
/// Source: spec/clinical.md §1.6.
public struct RuleSet: OptionSet, Sendable, Equatable, Hashable {
    public let rawValue: UInt8
    /// Creates a set from its bits.
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// B, E, S, C, L.
    public static let baseline = RuleSet(rawValue: 1)
    public static let evaluability = RuleSet(rawValue: 2)
    public static let status = RuleSet(rawValue: 4)
    public static let confirmation = RuleSet(rawValue: 8)
    public static let loss = RuleSet(rawValue: 16)

    /// The ids in spec order, e.g. `["E"]` or `["S", "C"]`.
    public var ids: [String] {
        var out: [String] = []
        if contains(.baseline) { out.append("B") }
        if contains(.evaluability) { out.append("E") }
        if contains(.status) { out.append("S") }
        if contains(.confirmation) { out.append("C") }
        if contains(.loss) { out.append("L") }
        return out
    }
}

/// Whether bleeding was recorded within the matching tolerance of a count.
///
/// Source: spec/clinical.md §1.6 rule S (bleeding flag of the same date ± 1 day).
public enum BleedingFinding: String, Sendable, Equatable, Codable, CaseIterable {
    case present, absent, notAssessed
}

/// One dated platelet record after same-date resolution, with its status and the rules behind it.
///
/// Plain numbers and enums only, so the engine's hot path builds no strings.
/// Source: spec/clinical.md §1.6 (rules B, E, S, C, L), §1.7 T12 (keep both same-day counts).
public struct AssessmentRecord: Sendable, Equatable {
    /// Protocol day (date − Day 0).
    public var day: Int
    /// Index in `ResponseSubject.counts` of the count used.
    public var countIndex: Int
    /// Index of the first count on this date and how many share it (all are kept for display).
    public var firstCountIndex: Int, countsOnDate: Int
    /// The platelet value used, 10^9/L.
    public var plateletsPer10e9L: Double
    /// IWG status (primary); `.notEvaluable` for pre-Day-0 records and non-evaluable counts.
    public var status: ResponseLevel
    /// The sub-rule behind `status`.
    public var basis: StatusBasis
    /// Protocol day of the transfusion, rescue last dose or bleeding record behind `basis`, if any.
    public var causeDay: Int?
    /// Index of the rescue therapy behind `.rescueWindow`, else -1.
    public var causeIndex: Int
    /// Bleeding within the tolerance of this date.
    public var bleeding: BleedingFinding
    /// Protocol-literal CR: evaluable and P ≥ 100, bleeding ignored (spec §1.5 row 1).
    public var meetsProtocolLiteralCR: Bool
    /// Rule ids that touched this record.
    public var rules: RuleSet

    /// True when the count is a post-infusion response assessment that rule E allows.
    public var isEvaluableAssessment: Bool {
        day >= 0 && basis != .transfusionWindow && basis != .rescueWindow && basis != .preInfusion
            && basis != .baselineCandidate && basis != .baselineAfterTransfusion
    }
}
