import Foundation

extension KaplanMeierCalculator {
    /// Output of `km`: the survival table, median with interval, and the requested at-risk rows.
    /// `null` for a median or a limit means "not reached"; for S or its SE/CI, "not defined".
    public struct Output: Encodable, Sendable, Equatable {
        /// What was computed, in words.
        public let method: String
        /// The input's time unit; every time in the output is in it.
        public let timeUnit: String
        /// Two-sided confidence level used (default filled in).
        public let confidenceLevel: Double
        /// Confidence-interval transform used: `log`, `log-log` or `plain`.
        public let transform: String
        /// Subjects analysed.
        public let numberOfSubjects: Int
        /// Events in total.
        public let numberOfEvents: Int
        /// Censorings in total.
        public let numberCensored: Int
        /// One row per distinct observed time (event or censoring), ascending.
        public let table: [Row]
        /// Median survival time and its interval (first time each curve is ≤ 0.5).
        public let medianSurvival: Median
        /// One entry per requested `atRiskTimes` value, in the order given.
        public let atRisk: [AtRisk]

        /// A survival-table row (R `summary.survfit(censored = TRUE)`).
        public struct Row: Encodable, Sendable, Equatable {
            /// Distinct observed time.
            public let time: Double
            /// Subjects with follow-up ≥ time.
            public let numberAtRisk: Int
            /// Events at time.
            public let numberOfEvents: Int
            /// Censorings at time.
            public let numberCensored: Int
            /// S just after time.
            public let survival: Double
            /// Greenwood standard error of S; null once S = 0.
            public let standardError: Double?
            /// Lower confidence limit of S; null once S = 0.
            public let lowerConfidenceLimit: Double?
            /// Upper confidence limit of S; null once S = 0.
            public let upperConfidenceLimit: Double?

            /// Encodes every key, writing `null` for absent values (JSON readers see the field).
            public func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(time, forKey: .time); try c.encode(numberAtRisk, forKey: .numberAtRisk)
                try c.encode(numberOfEvents, forKey: .numberOfEvents); try c.encode(numberCensored, forKey: .numberCensored)
                try c.encode(survival, forKey: .survival); try c.encode(standardError, forKey: .standardError)
                try c.encode(lowerConfidenceLimit, forKey: .lowerConfidenceLimit)
                try c.encode(upperConfidenceLimit, forKey: .upperConfidenceLimit)
            }
            enum CodingKeys: String, CodingKey {
                case time, numberAtRisk, numberOfEvents, numberCensored, survival, standardError
                case lowerConfidenceLimit, upperConfidenceLimit
            }
        }

        /// Median survival time with its confidence interval; null = not reached.
        public struct Median: Encodable, Sendable, Equatable {
            /// First time S ≤ 0.5; null = not reached.
            public let time: Double?
            /// First time the lower confidence curve is ≤ 0.5; null = not reached.
            public let lowerConfidenceLimit: Double?
            /// First time the upper confidence curve is ≤ 0.5; null = not reached.
            public let upperConfidenceLimit: Double?

            /// Encodes every key, writing `null` for absent values (JSON readers see the field).
            public func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(time, forKey: .time)
                try c.encode(lowerConfidenceLimit, forKey: .lowerConfidenceLimit)
                try c.encode(upperConfidenceLimit, forKey: .upperConfidenceLimit)
            }
            enum CodingKeys: String, CodingKey { case time, lowerConfidenceLimit, upperConfidenceLimit }
        }

        /// Subjects at risk and S at a requested time; S null after the last observed time.
        public struct AtRisk: Encodable, Sendable, Equatable {
            /// The requested time.
            public let time: Double
            /// Subjects with follow-up ≥ time.
            public let numberAtRisk: Int
            /// S(time); null after the last observed time.
            public let survival: Double?
            /// Lower confidence limit of S(time).
            public let lowerConfidenceLimit: Double?
            /// Upper confidence limit of S(time).
            public let upperConfidenceLimit: Double?

            /// Encodes every key, writing `null` for absent values (JSON readers see the field).
            public func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(time, forKey: .time); try c.encode(numberAtRisk, forKey: .numberAtRisk)
                try c.encode(survival, forKey: .survival)
                try c.encode(lowerConfidenceLimit, forKey: .lowerConfidenceLimit)
                try c.encode(upperConfidenceLimit, forKey: .upperConfidenceLimit)
            }
            enum CodingKeys: String, CodingKey { case time, numberAtRisk, survival, lowerConfidenceLimit, upperConfidenceLimit }
        }

        /// Assembles the output from an estimate.
        /// Source: R survival `summary.survfit`, `quantile.survfit`.
        init(estimate km: KaplanMeierEstimate, timeUnit: String, confidenceLevel: Double,
             transform: SurvivalConfidenceTransform, atRiskTimes: [Double]) throws {
            let z = NormalDistribution.twoSidedCriticalValue(confidenceLevel: confidenceLevel)
            method = "Kaplan–Meier product-limit estimate; Greenwood standard error of S; "
                + "\(transform.rawValue) pointwise \(String(format: "%g", confidenceLevel * 100))% confidence intervals; "
                + "median = first time S ≤ 0.5 (R survival conventions)"
            self.timeUnit = timeUnit; self.confidenceLevel = confidenceLevel; self.transform = transform.rawValue
            numberOfSubjects = km.subjectCount
            numberOfEvents = km.numberOfEvents.reduce(0, +)
            numberCensored = km.numberCensored.reduce(0, +)
            let band = try km.confidenceBand(transform: transform, confidenceLevel: confidenceLevel)
            table = km.times.indices.map { i in
                Row(time: km.times[i], numberAtRisk: km.numberAtRisk[i], numberOfEvents: km.numberOfEvents[i],
                    numberCensored: km.numberCensored[i], survival: km.survival[i],
                    standardError: km.standardError(row: i), lowerConfidenceLimit: band.lower[i],
                    upperConfidenceLimit: band.upper[i])
            }
            let q = km.quantile(survivalProbability: 0.5, band: band)
            medianSurvival = Median(time: q.time, lowerConfidenceLimit: q.lowerConfidenceLimit,
                                    upperConfidenceLimit: q.upperConfidenceLimit)
            atRisk = atRiskTimes.map { t in
                let p = km.timePoint(at: t, transform: transform, z: z)
                return AtRisk(time: t, numberAtRisk: p.numberAtRisk, survival: p.survival,
                              lowerConfidenceLimit: p.confidenceInterval?.lower,
                              upperConfidenceLimit: p.confidenceInterval?.upper)
            }
        }
    }
}
