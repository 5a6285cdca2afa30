/// A confirmed response level: the first and the confirming assessment of the qualifying pair.
///
/// Source: spec/clinical.md §1.6 rule C (response date = first of the pair).
public struct ConfirmedLevel: Sendable, Equatable {
    /// Protocol day of the first count of the pair (the response date).
    public var firstDay: Int
    /// Protocol day of the count that confirmed it.
    public var confirmingDay: Int
    /// Indices into `ResponseResult.records`.
    public var firstRecord: Int, confirmingRecord: Int
}

/// A loss of a level: the first count of the confirming pair, or a bleeding record.
///
/// Source: spec/clinical.md §1.6 rule L (loss date = first of the pair; bleeding alone on its date).
public struct LossEvent: Sendable, Equatable {
    /// Protocol day of the loss.
    public var day: Int
    /// Protocol day of the second count of the pair; nil when bleeding alone triggered it.
    public var confirmingDay: Int?
    /// True when a bleeding record triggered the loss.
    public var byBleeding: Bool
}

/// What ended a duration-of-response interval.
///
/// Source: spec/clinical.md §1.6 (DoR method a: event or censoring reasons).
public enum DurationEnd: String, Codable, Sendable, CaseIterable, Equatable {
    case loss, death, lastEvaluableAssessment, newITPTherapy
}

/// Duration of response by IWG method (a): response date to loss, or censored.
///
/// Source: spec/clinical.md §1.2 (IWG DoR a), §1.6 (censoring rules).
public struct DurationOfResponse: Sendable, Equatable {
    /// Days from the response date to `endDay`.
    public var days: Int
    /// True for an event (loss, or death when counted), false when censored.
    public var isEvent: Bool
    /// Protocol day the interval ends.
    public var endDay: Int
    /// Why it ended.
    public var end: DurationEnd
}

/// Duration of response by IWG method (b): cumulative days in CR/R over days observed.
///
/// Source: spec/clinical.md §1.2 (IWG DoR b), §1.6 (status carried forward, piecewise constant).
public struct TimeInResponse: Sendable, Equatable {
    /// Days with a carried-forward status of R or CR.
    public var daysInResponse: Int
    /// Days from Day 0 to the last evaluable assessment in the window.
    public var daysObserved: Int
    /// `daysInResponse / daysObserved`, nil when nothing was observed.
    public var fraction: Double? { daysObserved > 0 ? Double(daysInResponse) / Double(daysObserved) : nil }
}

/// A time-anchored response label (early / initial / durable) with the assessment it used.
///
/// Source: spec/clinical.md §1.3, §1.4, §1.6 (nearest assessment within the window).
public struct TimedFlag: Sendable, Equatable {
    /// Met when the nearest evaluable assessment has status ≥ R.
    public var outcome: FlagOutcome
    /// Protocol day of the assessment used, nil when none fell in the window.
    public var day: Int?
    /// Status of that assessment (`.notEvaluable` when none).
    public var status: ResponseLevel
}

/// Corticosteroid dependence by both definitions.
///
/// Source: spec/clinical.md §1.2 (IWG), §1.4 (Chinese 2020), §1.5 row 6.
public struct SteroidDependence: Sendable, Equatable {
    /// IWG: ongoing or repeated ITP corticosteroids spanning ≥ the set minimum after Day 0.
    public var iwg: Bool
    /// Chinese 2020: > 5 mg/day prednisone-equivalent needed for the set minimum, or frequent courses.
    public var chinese2020: Bool
    /// Either definition.
    public var any: Bool { iwg || chinese2020 }
}

/// The full response derivation for one participant; every figure traceable to `records`.
///
/// Source: spec/clinical.md §1.5–§1.6.
public struct ResponseResult: Sendable, Equatable {
    /// Baseline B in 10^9/L, nil when no eligible pre-LD count exists (R not evaluable; CR is).
    public var baselinePer10e9L: Double?
    /// Every resolved dated count, in date order.
    public var records: [AssessmentRecord]
    /// First confirmed R-or-better (the response) within the window.
    public var response: ConfirmedLevel?
    /// First confirmed IWG CR (≥ 100 and no bleeding) within the window.
    public var completeResponseIWG: ConfirmedLevel?
    /// First confirmed protocol-literal CR (≥ 100, bleeding ignored) within the window.
    public var completeResponseProtocolLiteral: ConfirmedLevel?
    /// Protocol-literal and IWG CR disagree (confirmed in one only, or on different dates).
    public var crDiscordant: Bool
    /// IWG loss of CR (< 100 or bleeding) after a confirmed CR.
    public var lossOfCR: LossEvent?
    /// IWG loss of R (< 30 or < 2 × B or bleeding) after a confirmed response.
    public var lossOfResponse: LossEvent?
    /// Chinese 2020 relapse (< 30 or < 2 × B or bleeding, ≥ 2 counts ≥ 1 day apart) after a response.
    public var relapseCN: LossEvent?
    /// Best overall response in Days 0…window end, after the steroid-dependence rule.
    public var bestOverallResponse: ResponseLevel
    /// Best overall response before the steroid-dependence rule was applied.
    public var bestOverallResponseBeforeSteroidRule: ResponseLevel
    /// Days from Day 0 to the response date (responders only).
    public var timeToResponseDays: Int?
    /// Sensitivity origin: days from the first LD dose to the response date.
    public var timeToResponseFromLymphodepletionDays: Int?
    /// Days from Day 0 to the IWG CR date.
    public var timeToCRDays: Int?
    /// DoR method (a) for the response.
    public var durationOfResponse: DurationOfResponse?
    /// DoR method (a) for IWG CR.
    public var durationOfCR: DurationOfResponse?
    /// DoR method (b).
    public var timeInResponse: TimeInResponse
    /// Early (≈ Day 7), initial (≈ Day 30) and durable (≈ Day 183) response flags.
    public var earlyResponse: TimedFlag, initialResponse: TimedFlag, durableResponse: TimedFlag
    /// Status at Month 6 (the durable-flag assessment's status).
    public var statusAtMonth6: ResponseLevel { durableResponse.status }
    /// Corticosteroid dependence by both definitions.
    public var steroidDependence: SteroidDependence
    /// Records indices used for the baseline (one or two).
    public var baselineRecords: [Int]
}
