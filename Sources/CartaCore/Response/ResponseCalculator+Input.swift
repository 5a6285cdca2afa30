/// JSON input of the `response` calculator.
///
/// Source: spec/clinical.md §1.6 (inputs per subject); docs/calculators/response.md.
extension ResponseCalculator {
    /// The participant's dated data; every list sorted by date (checked, errors name the field).
    public struct Input: Decodable, Sendable, Equatable {
        /// Day 0 = first CAR-T infusion.
        public var day0Date: ClinicalDate
        /// Actual first lymphodepletion dose; default Day 0 + `settings.lymphodepletionStartDay`.
        public var lymphodepletionStartDate: ClinicalDate?
        /// Records after this date are ignored.
        public var dataCutoffDate: ClinicalDate?
        /// Date of death, if any.
        public var deathDate: ClinicalDate?
        public var plateletCounts: [Count]
        public var transfusions: [TransfusionIn]
        public var rescueTherapies: [Rescue]
        public var bleedingAssessments: [Bleeding]
        public var corticosteroidCourses: [Steroid]
        public var settings: ResponseSettings

        /// A platelet count.
        public struct Count: Decodable, Sendable, Equatable {
            public var date: ClinicalDate
            public var plateletsPer10e9L: Double
            public var anticoagulant: Anticoagulant?
        }
        /// A transfusion.
        public struct TransfusionIn: Decodable, Sendable, Equatable {
            public var date: ClinicalDate
            public var product: TransfusionProduct
        }
        /// A rescue or confounding therapy.
        public struct Rescue: Decodable, Sendable, Equatable {
            public var startDate: ClinicalDate
            public var lastDoseDate: ClinicalDate?
            public var drug: String
            public var reason: RescueReason
        }
        /// A bleeding assessment.
        public struct Bleeding: Decodable, Sendable, Equatable {
            public var date: ClinicalDate
            public var present: Bool
            public var grade: Int?
        }
        /// A corticosteroid course at a constant daily dose of a named drug (converted per spec §9.2).
        public struct Steroid: Decodable, Sendable, Equatable {
            public var startDate: ClinicalDate
            public var endDate: ClinicalDate
            public var drug: String
            public var doseMgPerDay: Double
            public var reason: SteroidReason
        }

        private enum CodingKeys: String, CodingKey {
            case day0Date, lymphodepletionStartDate, dataCutoffDate, deathDate, plateletCounts, transfusions
            case rescueTherapies, bleedingAssessments, corticosteroidCourses, settings
        }

        /// Decodes; optional lists default to empty and settings to the spec defaults.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            day0Date = try c.decode(ClinicalDate.self, forKey: .day0Date)
            lymphodepletionStartDate = try c.decodeIfPresent(ClinicalDate.self, forKey: .lymphodepletionStartDate)
            dataCutoffDate = try c.decodeIfPresent(ClinicalDate.self, forKey: .dataCutoffDate)
            deathDate = try c.decodeIfPresent(ClinicalDate.self, forKey: .deathDate)
            plateletCounts = try c.decode([Count].self, forKey: .plateletCounts)
            transfusions = try c.decodeIfPresent([TransfusionIn].self, forKey: .transfusions) ?? []
            rescueTherapies = try c.decodeIfPresent([Rescue].self, forKey: .rescueTherapies) ?? []
            bleedingAssessments = try c.decodeIfPresent([Bleeding].self, forKey: .bleedingAssessments) ?? []
            corticosteroidCourses = try c.decodeIfPresent([Steroid].self, forKey: .corticosteroidCourses) ?? []
            settings = try c.decodeIfPresent(ResponseSettings.self, forKey: .settings) ?? ResponseSettings()
        }
    }
}
