/// How the baseline platelet count is formed from the eligible pre-lymphodepletion counts.
///
/// Source: spec/clinical.md §1.6 rule B ("optionally the mean of the last two such counts").
public enum BaselineMethod: String, Codable, Sendable, CaseIterable {
    /// The most recent eligible count.
    case mostRecent
    /// The mean of the last two eligible counts (the single count when only one exists).
    case meanOfLastTwo
}

/// Which count of a confirming pair dates the event (response or loss).
///
/// Source: spec/clinical.md §1.6 rules C and L ("date of the first of the pair" [D]).
public enum PairDating: String, Codable, Sendable, CaseIterable {
    /// The first count of the pair (spec default).
    case firstOfPair
    /// The count that confirmed it.
    case confirmingCount

    /// The chosen day of a pair.
    @inlinable public func day(first: Int, confirming: Int) -> Int { self == .firstOfPair ? first : confirming }
}

/// What an assessment's status is when no bleeding assessment lies within the matching tolerance.
///
/// Source: spec/clinical.md §1.6 rule S ("needs the platelet value and the bleeding flag").
public enum MissingBleedingPolicy: String, Codable, Sendable, CaseIterable {
    /// The status is not evaluable unless the platelet value alone settles it (NR below 30).
    case notEvaluable
    /// Treat a missing bleeding assessment as "no bleeding".
    case assumeAbsent
}

/// Every [D] and [?] setting of the ITP response rules, with the spec's defaults; carried by the study file.
///
/// Decoding fills any missing key with its default, so a study file lists only what it changes.
/// Source: spec/clinical.md §1.5, §1.6 (rules B, E, S, C, L and derived times), §1.2/§1.4 (steroid dependence).
public struct ResponseSettings: Codable, Sendable, Hashable {
    /// Rule B: single count or mean of the last two [D].
    public var baselineMethod: BaselineMethod = .mostRecent
    /// Rule B: protocol day of the first lymphodepletion dose when the subject gives no date [V: Day −5].
    public var lymphodepletionStartDay: Int = -5
    /// Rule B: whether a count dated on the first LD day itself may be the baseline [?: "dated before" → false].
    public var baselineIncludesLymphodepletionDay: Bool = false
    /// Rule B: minimum days between a platelet transfusion and a baseline count [D: 7].
    public var baselineTransfusionGapDays: Int = 7
    /// Rule E(a): counts fewer than this many days after a platelet transfusion are non-evaluable [D: 7].
    public var transfusionWindowDays: Int = 7
    /// Rule E(b): counts fewer than this many days after the last rescue dose are non-evaluable [D: 56; alt 28].
    public var rescueWindowDays: Int = 56
    /// Rule E(b): steroids or other drugs given for CRS/ICANS count as rescue [D: true].
    public var crsIcansTherapyIsRescue: Bool = true
    /// Rule E(b): replacement IVIG counts as rescue [D: true].
    public var replacementIVIGIsRescue: Bool = true
    /// Rule S: bleeding records within ± this many days of a count belong to it [D: 1].
    public var bleedingMatchToleranceDays: Int = 1
    /// Rule S: status when no bleeding record matches a count [D: not evaluable].
    public var missingBleeding: MissingBleedingPolicy = .notEvaluable
    /// Rule S: "at least 2-fold increase" read as P ≥ multiplier × B [?: 2; rejected reading 3].
    public var baselineMultiplier: Double = 2
    /// Rule C: minimum days between the two qualifying counts [V: 7].
    public var confirmationIntervalDays: Int = 7
    /// Rule C: no evaluable assessment between the pair may fall below the level [D: true].
    public var requireNoInterveningFailure: Bool = true
    /// Rule C: which count of the pair is the response date (TTR, DoR start) [D: first].
    public var responseDateRule: PairDating = .firstOfPair
    /// Rule L: which count of the pair is the loss date (DoR end) [D: first]; bleeding alone always dates itself.
    public var lossDateRule: PairDating = .firstOfPair
    /// Rule L: minimum days between the two counts that confirm a loss [V: 1].
    public var lossConfirmationIntervalDays: Int = 1
    /// Rule L: bleeding alone ends a response on the bleeding date, without confirmation [?: true].
    public var bleedingAloneTriggersLoss: Bool = true
    /// BOR and DoR window end, protocol day [D: 6 months = 183].
    public var responseWindowEndDay: Int = 183
    /// DoR: death without documented loss is an event [D: true, oncology convention].
    public var deathIsDurationEvent: Bool = true
    /// Early response target day and ± window [D: 7 ± 3].
    public var earlyResponseDay: Int = 7, earlyResponseWindowDays: Int = 3
    /// Initial response target day and ± window [D: 30 ± 7].
    public var initialResponseDay: Int = 30, initialResponseWindowDays: Int = 7
    /// Durable response / Month-6 status target day and ± window [D: 183 ± 14].
    public var durableResponseDay: Int = 183, durableResponseWindowDays: Int = 14
    /// IWG dependence: ITP steroid exposure after Day 0 spanning at least this many days [R: "≥ 2 months" = 60].
    public var iwgSteroidDependenceMinDays: Int = 60
    /// Courses separated by at most this many days form one continuing exposure [D: 14].
    public var steroidCourseMaxGapDays: Int = 14
    /// Chinese 2020 dependence: prednisone-equivalent mg/day that must be exceeded [R: 5].
    public var cnSteroidDependenceMgPerDay: Double = 5
    /// Chinese 2020 dependence: days a dose above that threshold must be needed [D: 28].
    public var cnSteroidDependenceMinDays: Int = 28
    /// Chinese 2020 dependence: this many separate ITP courses after Day 0 = "frequent intermittent" [D: 3].
    public var cnFrequentCourseCount: Int = 3
    /// A steroid-dependent participant is a non-responder (either definition) [D: true].
    public var steroidDependenceMeansNonResponse: Bool = true

    /// The spec's defaults.
    public init() {}

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case baselineMethod, lymphodepletionStartDay, baselineIncludesLymphodepletionDay, baselineTransfusionGapDays
        case transfusionWindowDays, rescueWindowDays, crsIcansTherapyIsRescue, replacementIVIGIsRescue
        case bleedingMatchToleranceDays, missingBleeding, baselineMultiplier, confirmationIntervalDays
        case requireNoInterveningFailure, responseDateRule, lossDateRule, lossConfirmationIntervalDays, bleedingAloneTriggersLoss
        case responseWindowEndDay, deathIsDurationEvent, earlyResponseDay, earlyResponseWindowDays
        case initialResponseDay, initialResponseWindowDays, durableResponseDay, durableResponseWindowDays
        case iwgSteroidDependenceMinDays, steroidCourseMaxGapDays, cnSteroidDependenceMgPerDay
        case cnSteroidDependenceMinDays, cnFrequentCourseCount, steroidDependenceMeansNonResponse
    }

    /// Decodes, taking the default for every absent key.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func get<T: Decodable>(_ k: CodingKeys, _ d: T) throws -> T { try c.decodeIfPresent(T.self, forKey: k) ?? d }
        baselineMethod = try get(.baselineMethod, baselineMethod)
        lymphodepletionStartDay = try get(.lymphodepletionStartDay, lymphodepletionStartDay)
        baselineIncludesLymphodepletionDay = try get(.baselineIncludesLymphodepletionDay, baselineIncludesLymphodepletionDay)
        baselineTransfusionGapDays = try get(.baselineTransfusionGapDays, baselineTransfusionGapDays)
        transfusionWindowDays = try get(.transfusionWindowDays, transfusionWindowDays)
        rescueWindowDays = try get(.rescueWindowDays, rescueWindowDays)
        crsIcansTherapyIsRescue = try get(.crsIcansTherapyIsRescue, crsIcansTherapyIsRescue)
        replacementIVIGIsRescue = try get(.replacementIVIGIsRescue, replacementIVIGIsRescue)
        bleedingMatchToleranceDays = try get(.bleedingMatchToleranceDays, bleedingMatchToleranceDays)
        missingBleeding = try get(.missingBleeding, missingBleeding)
        baselineMultiplier = try get(.baselineMultiplier, baselineMultiplier)
        confirmationIntervalDays = try get(.confirmationIntervalDays, confirmationIntervalDays)
        requireNoInterveningFailure = try get(.requireNoInterveningFailure, requireNoInterveningFailure)
        responseDateRule = try get(.responseDateRule, responseDateRule)
        lossDateRule = try get(.lossDateRule, lossDateRule)
        lossConfirmationIntervalDays = try get(.lossConfirmationIntervalDays, lossConfirmationIntervalDays)
        bleedingAloneTriggersLoss = try get(.bleedingAloneTriggersLoss, bleedingAloneTriggersLoss)
        responseWindowEndDay = try get(.responseWindowEndDay, responseWindowEndDay)
        deathIsDurationEvent = try get(.deathIsDurationEvent, deathIsDurationEvent)
        earlyResponseDay = try get(.earlyResponseDay, earlyResponseDay)
        earlyResponseWindowDays = try get(.earlyResponseWindowDays, earlyResponseWindowDays)
        initialResponseDay = try get(.initialResponseDay, initialResponseDay)
        initialResponseWindowDays = try get(.initialResponseWindowDays, initialResponseWindowDays)
        durableResponseDay = try get(.durableResponseDay, durableResponseDay)
        durableResponseWindowDays = try get(.durableResponseWindowDays, durableResponseWindowDays)
        iwgSteroidDependenceMinDays = try get(.iwgSteroidDependenceMinDays, iwgSteroidDependenceMinDays)
        steroidCourseMaxGapDays = try get(.steroidCourseMaxGapDays, steroidCourseMaxGapDays)
        cnSteroidDependenceMgPerDay = try get(.cnSteroidDependenceMgPerDay, cnSteroidDependenceMgPerDay)
        cnSteroidDependenceMinDays = try get(.cnSteroidDependenceMinDays, cnSteroidDependenceMinDays)
        cnFrequentCourseCount = try get(.cnFrequentCourseCount, cnFrequentCourseCount)
        steroidDependenceMeansNonResponse = try get(.steroidDependenceMeansNonResponse, steroidDependenceMeansNonResponse)
    }

    /// Checks that every setting is usable; throws naming `prefix.key`.
    /// Source: spec/clinical.md §1.6 (windows are whole non-negative days; intervals at least 1 day).
    public func validate(prefix: String = "settings") throws {
        func nonNegative(_ v: Int, _ k: CodingKeys) throws {
            if v < 0 { throw CalculatorError.outOfRange("\(prefix).\(k.rawValue)", "must be ≥ 0 days, got \(v)") }
        }
        try nonNegative(baselineTransfusionGapDays, .baselineTransfusionGapDays)
        try nonNegative(transfusionWindowDays, .transfusionWindowDays)
        try nonNegative(rescueWindowDays, .rescueWindowDays)
        try nonNegative(bleedingMatchToleranceDays, .bleedingMatchToleranceDays)
        try nonNegative(earlyResponseWindowDays, .earlyResponseWindowDays)
        try nonNegative(initialResponseWindowDays, .initialResponseWindowDays)
        try nonNegative(durableResponseWindowDays, .durableResponseWindowDays)
        try nonNegative(steroidCourseMaxGapDays, .steroidCourseMaxGapDays)
        try nonNegative(responseWindowEndDay, .responseWindowEndDay)
        if confirmationIntervalDays < 1 {
            throw CalculatorError.outOfRange("\(prefix).confirmationIntervalDays", "must be ≥ 1 day (two separate occasions), got \(confirmationIntervalDays)")
        }
        if lossConfirmationIntervalDays < 1 {
            throw CalculatorError.outOfRange("\(prefix).lossConfirmationIntervalDays", "must be ≥ 1 day (two separate occasions), got \(lossConfirmationIntervalDays)")
        }
        if !(baselineMultiplier >= 1) || !baselineMultiplier.isFinite {
            throw CalculatorError.outOfRange("\(prefix).baselineMultiplier", "must be a finite number ≥ 1, got \(baselineMultiplier)")
        }
        if lymphodepletionStartDay >= 0 {
            throw CalculatorError.outOfRange("\(prefix).lymphodepletionStartDay", "must be before Day 0, got \(lymphodepletionStartDay)")
        }
        for (v, k) in [(iwgSteroidDependenceMinDays, CodingKeys.iwgSteroidDependenceMinDays),
                       (cnSteroidDependenceMinDays, .cnSteroidDependenceMinDays), (cnFrequentCourseCount, .cnFrequentCourseCount)] where v < 1 {
            throw CalculatorError.outOfRange("\(prefix).\(k.rawValue)", "must be ≥ 1, got \(v)")
        }
    }
}
