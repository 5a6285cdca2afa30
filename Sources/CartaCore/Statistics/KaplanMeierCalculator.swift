import Foundation

/// Calculator `km`: Kaplan–Meier estimate (e.g. duration of response) with Greenwood standard
/// errors, pointwise confidence intervals, median survival with its interval, and numbers at risk.
///
/// Source: spec/clinical.md §1.2 (duration of response, Kaplan–Meier); R survival 3.5 `survfit`
/// conventions (reference/km/README.md); Kaplan & Meier 1958; Greenwood 1926.
public enum KaplanMeierCalculator: Calculator {
    public static let name = "km"
    public static let summary = "Kaplan–Meier survival table, Greenwood SE, log/log-log/plain CIs, median with CI, numbers at risk"

    /// One subject: identifier, time from origin to event or censoring, and whether the event occurred.
    public struct Subject: Codable, Sendable, Equatable {
        /// Subject identifier (unique within the input).
        public var id: String
        /// Time in `timeUnit`, ≥ 0.
        public var time: Double
        /// `true` = event (loss of response, death); `false` = censored.
        public var event: Bool
        /// Creates a subject.
        public init(id: String, time: Double, event: Bool) { self.id = id; self.time = time; self.event = event }
    }

    /// Input: subjects, their time unit, and optional confidence level, transform and at-risk times.
    public struct Input: Decodable, Sendable {
        /// The subjects, at least one, ids unique.
        public var subjects: [Subject]
        /// One of `days`, `weeks`, `months`, `years`; required so results are never unit-less.
        public var timeUnit: String
        /// Two-sided confidence level, default 0.95.
        public var confidenceLevel: Double?
        /// `log`, `log-log` (default) or `plain`.
        public var transform: String?
        /// Times (in `timeUnit`) at which to report numbers at risk and S(t); default none.
        public var atRiskTimes: [Double]?
        /// Creates an input.
        public init(subjects: [Subject], timeUnit: String, confidenceLevel: Double? = nil,
                    transform: String? = nil, atRiskTimes: [Double]? = nil) {
            self.subjects = subjects; self.timeUnit = timeUnit; self.confidenceLevel = confidenceLevel
            self.transform = transform; self.atRiskTimes = atRiskTimes
        }
    }

    /// Accepted time units.
    public static let timeUnits = ["days", "weeks", "months", "years"]
    /// Default transform: log-log (SAS PROC LIFETEST and lifelines default; R's default is log).
    public static let defaultTransform = SurvivalConfidenceTransform.logLog

    /// Validates the input (field-named errors) and computes the estimate.
    /// Source: R survival `survfit`, `summary.survfit`, `quantile.survfit`.
    public static func compute(_ input: Input) throws -> Output {
        guard timeUnits.contains(input.timeUnit) else {
            throw CalculatorError.invalid("timeUnit", "must be one of \(timeUnits.joined(separator: ", ")) (got \(input.timeUnit.quotedForMessage))")
        }
        let level = input.confidenceLevel ?? 0.95
        try BinomialConfidence.validate(confidenceLevel: level)
        let transform: SurvivalConfidenceTransform
        if let raw = input.transform {
            guard let t = SurvivalConfidenceTransform(rawValue: raw) else {
                throw CalculatorError.invalid("transform", "must be one of log, log-log, plain (got \(raw.quotedForMessage))")
            }
            transform = t
        } else {
            transform = defaultTransform
        }
        guard !input.subjects.isEmpty else { throw CalculatorError.invalid("subjects", "at least one subject is required") }
        var seen: [String: Int] = [:]
        for (i, s) in input.subjects.enumerated() {
            guard !s.id.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw CalculatorError.invalid("subjects[\(i)].id", "must not be empty")
            }
            if let j = seen[s.id] {
                throw CalculatorError.invalid("subjects[\(i)].id", "duplicates subjects[\(j)].id \"\(s.id)\"; each subject must appear once")
            }
            seen[s.id] = i
            guard s.time.isFinite, s.time >= 0 else {
                throw CalculatorError.outOfRange("subjects[\(i)].time", "must be ≥ 0 \(input.timeUnit) (got \(s.time))")
            }
        }
        let atRiskTimes = input.atRiskTimes ?? []
        for (i, t) in atRiskTimes.enumerated() where !(t.isFinite && t >= 0) {
            throw CalculatorError.outOfRange("atRiskTimes[\(i)]", "must be ≥ 0 \(input.timeUnit) (got \(t))")
        }
        let km = try KaplanMeierEstimate(times: input.subjects.map(\.time), events: input.subjects.map(\.event))
        return try Output(estimate: km, timeUnit: input.timeUnit, confidenceLevel: level, transform: transform,
                          atRiskTimes: atRiskTimes)
    }
}
