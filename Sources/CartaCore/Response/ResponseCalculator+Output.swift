/// JSON output of the `response` calculator.
///
/// Source: spec/clinical.md §1.5–§1.6; docs/calculators/response.md.
extension ResponseCalculator {
    /// The derivation with every dated record explained.
    public struct Output: Encodable, Sendable, Equatable {
        public var baselinePer10e9L: Double?
        public var baselineDates: [ClinicalDate]
        public var assessments: [Assessment]
        /// IWG best overall response by the window end (primary), after the steroid-dependence rule.
        public var bestOverallResponse: ResponseLevel
        public var bestOverallResponseBeforeSteroidRule: ResponseLevel
        /// Display label of the best overall response ("PR (= IWG R)" for R).
        public var bestOverallResponseLabel: String
        public var response: Confirmed?
        public var completeResponseIWG: Confirmed?
        public var completeResponseProtocolLiteral: Confirmed?
        public var crDiscordant: Bool
        public var lossOfCR_IWG: Loss?
        public var lossOfResponse_IWG: Loss?
        public var relapse_CN: Loss?
        public var timeToResponseDays: Int?
        public var timeToResponseFromLymphodepletionDays: Int?
        public var timeToCRDays: Int?
        public var durationOfResponse: Duration?
        public var durationOfCR: Duration?
        public var timeInResponse: InResponse
        public var earlyResponse: Flag
        public var initialResponse: Flag
        public var durableResponse: Flag
        public var statusAtMonth6: ResponseLevel
        public var corticosteroidDependence: Dependence
        public var settings: ResponseSettings

        /// One dated record.
        public struct Assessment: Encodable, Sendable, Equatable {
            public var date: ClinicalDate
            public var protocolDay: Int
            public var plateletsPer10e9L: Double
            public var samples: [Sample]
            public var status: ResponseLevel
            public var basis: StatusBasis
            public var bleeding: BleedingFinding
            /// The bleeding assessments within the matching tolerance of this date (post-Day-0 records only).
            public var bleedingRecords: [BleedingIn]
            public var meetsProtocolLiteralCR: Bool
            public var rules: [String]
            public var explanation: String
        }
        /// A bleeding assessment as given in the input.
        public struct BleedingIn: Encodable, Sendable, Equatable {
            public var date: ClinicalDate
            public var present: Bool
            public var grade: Int?
        }
        /// One sample on a date (all kept; `used` marks the one the rules used).
        public struct Sample: Encodable, Sendable, Equatable {
            public var plateletsPer10e9L: Double
            public var anticoagulant: Anticoagulant
            public var used: Bool
        }
        /// A confirmed level.
        public struct Confirmed: Encodable, Sendable, Equatable {
            public var date: ClinicalDate
            public var protocolDay: Int
            public var confirmedOnDate: ClinicalDate
        }
        /// A loss or relapse.
        public struct Loss: Encodable, Sendable, Equatable {
            public var date: ClinicalDate
            public var protocolDay: Int
            public var confirmedOnDate: ClinicalDate?
            public var byBleeding: Bool
        }
        /// DoR method (a).
        public struct Duration: Encodable, Sendable, Equatable {
            public var days: Int
            public var event: Bool
            public var endDate: ClinicalDate
            public var end: DurationEnd
        }
        /// DoR method (b).
        public struct InResponse: Encodable, Sendable, Equatable {
            public var daysInResponse: Int
            public var daysObserved: Int
            /// Rounded to 4 decimals.
            public var fraction: Double?
        }
        /// A timed flag.
        public struct Flag: Encodable, Sendable, Equatable {
            public var outcome: FlagOutcome
            public var assessmentDate: ClinicalDate?
            public var status: ResponseLevel
        }
        /// Steroid dependence.
        public struct Dependence: Encodable, Sendable, Equatable {
            public var iwg: Bool
            public var chinese2020: Bool
        }
    }
}
