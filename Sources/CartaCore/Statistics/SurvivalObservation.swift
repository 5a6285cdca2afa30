/// One subject's follow-up for a time-to-event analysis: the time (in the analysis' time unit)
/// and whether the event happened then (`true`) or follow-up was censored (`false`).
///
/// Source: spec/clinical.md §1.2 (duration of response, Kaplan–Meier style).
public struct SurvivalObservation: Sendable, Hashable, Codable {
    /// Time from origin to event or censoring, ≥ 0, in the caller's time unit.
    public var time: Double
    /// `true` = event (e.g. loss of response or death); `false` = censored.
    public var event: Bool

    /// Creates an observation.
    public init(time: Double, event: Bool) {
        self.time = time; self.event = event
    }
}
