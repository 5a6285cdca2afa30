/// JSON input and output of the `conmed-reduction` calculator.
///
/// Source: spec/clinical.md §9.3; docs/calculators/conmed-reduction.md.
extension ConmedReductionCalculator {
    /// One participant's concomitant ITP drugs as dated constant-dose intervals.
    public struct Input: Decodable, Sendable, Equatable {
        public var day0Date: ClinicalDate
        public var lymphodepletionStartDate: ClinicalDate?
        public var dataCutoffDate: ClinicalDate?
        public var drugs: [Drug]
        public var settings: ConmedSettings

        /// One drug with its dose unit and intervals.
        public struct Drug: Decodable, Sendable, Equatable {
            public var drug: String
            /// `mg/day` (corticosteroids, oral TPO-RAs), `ug/kg/week` (romiplostim), `U/kg/day` (rhTPO); any for others.
            public var doseUnit: String
            public var doses: [Dose]
            public init(drug: String, doseUnit: String, doses: [Dose]) { self.drug = drug; self.doseUnit = doseUnit; self.doses = doses }
        }
        /// A constant dose from `startDate` to `endDate` inclusive, in the drug's `doseUnit`.
        public struct Dose: Decodable, Sendable, Equatable {
            public var startDate: ClinicalDate
            public var endDate: ClinicalDate
            public var dose: Double
            public init(startDate: ClinicalDate, endDate: ClinicalDate, dose: Double) { self.startDate = startDate; self.endDate = endDate; self.dose = dose }
        }

        public init(day0Date: ClinicalDate, lymphodepletionStartDate: ClinicalDate?, dataCutoffDate: ClinicalDate?, drugs: [Drug], settings: ConmedSettings) {
            self.day0Date = day0Date; self.lymphodepletionStartDate = lymphodepletionStartDate; self.dataCutoffDate = dataCutoffDate
            self.drugs = drugs; self.settings = settings
        }

        private enum CodingKeys: String, CodingKey { case day0Date, lymphodepletionStartDate, dataCutoffDate, drugs, settings }

        /// Decodes; settings default to the spec's.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            day0Date = try c.decode(ClinicalDate.self, forKey: .day0Date)
            lymphodepletionStartDate = try c.decodeIfPresent(ClinicalDate.self, forKey: .lymphodepletionStartDate)
            dataCutoffDate = try c.decodeIfPresent(ClinicalDate.self, forKey: .dataCutoffDate)
            drugs = try c.decode([Drug].self, forKey: .drugs)
            settings = try c.decodeIfPresent(ConmedSettings.self, forKey: .settings) ?? ConmedSettings()
        }
    }

    /// Per-drug results and the participant summary.
    public struct Output: Encodable, Sendable, Equatable {
        public var drugs: [DrugResult]
        public var anyReduction: Bool
        public var anySecondaryReduction: Bool
        public var anyDiscontinuation: Bool
        /// Any increase above baseline or new ITP drug after Day 0 (spec §9.3 item 5).
        public var treatmentFailure: Bool
        public var drugsAtBaseline: Int
        public var drugsAtMonth6: Int?
        public var changeInDrugCount: Int?
        public var prednisoneEquivalenceTable: String
        public var settings: ConmedSettings

        /// One drug's result.
        public struct DrugResult: Encodable, Sendable, Equatable {
            public var drug: String
            public var drugClass: ITPDrugClass
            public var intensityUnit: String
            public var baselineIntensity: Double
            public var reduction: ClinicalDate?
            public var secondaryReduction: ClinicalDate?
            public var discontinuation: ClinicalDate?
            public var daysOff: Int
            public var daysReduced: Int
            public var percentChangeMonth3: Double?
            public var percentChangeMonth6: Double?
            public var increased: Bool
            public var newDrug: Bool
            public var takenAtMonth6: Bool?

            init(drug: String, drugClass: ITPDrugClass, intensityUnit: String, result r: DrugReductionResult, day0: ClinicalDate) {
                self.drug = drug; self.drugClass = drugClass; self.intensityUnit = intensityUnit
                // Rounded for stable output: intensity to 1e-6, percent changes to 0.01.
                baselineIntensity = (r.baselineIntensity * 1e6).rounded() / 1e6
                reduction = r.reductionStartDay.map { day0.adding(days: $0) }
                secondaryReduction = r.secondaryReductionStartDay.map { day0.adding(days: $0) }
                discontinuation = r.discontinuationStartDay.map { day0.adding(days: $0) }
                daysOff = r.daysOff; daysReduced = r.daysReduced
                percentChangeMonth3 = r.percentChangeMonth3.map { ($0 * 100).rounded() / 100 }
                percentChangeMonth6 = r.percentChangeMonth6.map { ($0 * 100).rounded() / 100 }
                increased = r.increased; newDrug = r.newDrug; takenAtMonth6 = r.takenAtMonth6
            }
        }
    }
}
