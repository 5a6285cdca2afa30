import CartaCore

/// Concomitant ITP therapy (registry outcome CONMED) and the ITP-PAQ (registry outcome HRQOL), per
/// participant and for the study.
///
/// Source: spec/clinical.md §9.2 (prednisone equivalents), §9.3 (reduction, discontinuation, % change at
/// months 3 and 6, treatment-failure flag), §3 (ITP-PAQ: raw responses; scale scores only through a
/// licensed scoring plug-in; change from baseline and subjects beyond the minimal important difference).
extension StudyOutcomes {
    /// One concomitant drug's course against its baseline regimen; days are protocol days (Day 0 = first infusion).
    public struct DrugOutcome: Sendable, Hashable, Codable {
        public var drug: String
        public var drugClass: String
        public var intensityUnit: String
        /// Mean daily dose intensity over the baseline window (the last 4 weeks before lymphodepletion).
        public var baselineIntensity: Double
        public var reductionDay: Int?
        public var secondaryReductionDay: Int?
        public var discontinuationDay: Int?
        public var daysOff: Int
        public var daysReduced: Int
        public var percentChangeMonth3: Double?
        public var percentChangeMonth6: Double?
        public var increased: Bool
        public var newDrug: Bool
        public init(drug: String, drugClass: String, intensityUnit: String, baselineIntensity: Double, reductionDay: Int?, secondaryReductionDay: Int?,
                    discontinuationDay: Int?, daysOff: Int, daysReduced: Int, percentChangeMonth3: Double?, percentChangeMonth6: Double?, increased: Bool, newDrug: Bool) {
            self.drug = drug; self.drugClass = drugClass; self.intensityUnit = intensityUnit; self.baselineIntensity = baselineIntensity
            self.reductionDay = reductionDay; self.secondaryReductionDay = secondaryReductionDay; self.discontinuationDay = discontinuationDay
            self.daysOff = daysOff; self.daysReduced = daysReduced; self.percentChangeMonth3 = percentChangeMonth3; self.percentChangeMonth6 = percentChangeMonth6
            self.increased = increased; self.newDrug = newDrug
        }
    }

    /// A participant's concomitant ITP therapy against the baseline regimen.
    public struct ConcomitantTherapy: Sendable, Hashable, Codable {
        public var drugs: [DrugOutcome]
        /// A fall of ≥ 25 % (≥ 50 %) in some drug's intensity sustained ≥ 28 days; a sustained stop.
        public var anyReduction: Bool
        public var anySecondaryReduction: Bool
        public var anyDiscontinuation: Bool
        /// An increase above baseline or a new ITP drug after Day 0 (spec §9.3 item 5).
        public var treatmentFailure: Bool
        public var drugsAtBaseline: Int
        public var drugsAtMonth6: Int?
        /// Corticosteroids summed as prednisone-equivalent mg/day: baseline and % change at months 3 and 6.
        public var steroidBaselineMgPerDay: Double
        public var steroidPercentChangeMonth3: Double?
        public var steroidPercentChangeMonth6: Double?
        /// The prednisone-equivalence table version used.
        public var equivalenceTable: String
        public init(drugs: [DrugOutcome], anyReduction: Bool, anySecondaryReduction: Bool, anyDiscontinuation: Bool, treatmentFailure: Bool, drugsAtBaseline: Int,
                    drugsAtMonth6: Int?, steroidBaselineMgPerDay: Double, steroidPercentChangeMonth3: Double?, steroidPercentChangeMonth6: Double?, equivalenceTable: String) {
            self.drugs = drugs; self.anyReduction = anyReduction; self.anySecondaryReduction = anySecondaryReduction; self.anyDiscontinuation = anyDiscontinuation
            self.treatmentFailure = treatmentFailure; self.drugsAtBaseline = drugsAtBaseline; self.drugsAtMonth6 = drugsAtMonth6
            self.steroidBaselineMgPerDay = steroidBaselineMgPerDay; self.steroidPercentChangeMonth3 = steroidPercentChangeMonth3
            self.steroidPercentChangeMonth6 = steroidPercentChangeMonth6; self.equivalenceTable = equivalenceTable
        }
    }

    /// The corticosteroid dose from a protocol day on (prednisone-equivalent mg/day), a step of the dose plot.
    public struct DosePoint: Sendable, Hashable, Codable {
        public var day: Int
        public var mgPerDay: Double
        public init(day: Int, mgPerDay: Double) { self.day = day; self.mgPerDay = mgPerDay }
    }

    /// One completed questionnaire: how much was answered and, with a scoring plug-in, its scale scores.
    public struct QuestionnaireForm: Sendable, Hashable, Codable {
        public var visitID: String
        public var date: ClinicalDate
        public var day: Int?
        public var version: String
        public var language: String
        public var answered: Int
        public var items: Int
        /// Empty when no licensed scoring plug-in is installed.
        public var scales: [ScaleScore]
        public init(visitID: String, date: ClinicalDate, day: Int?, version: String, language: String, answered: Int, items: Int, scales: [ScaleScore]) {
            self.visitID = visitID; self.date = date; self.day = day; self.version = version; self.language = language
            self.answered = answered; self.items = items; self.scales = scales
        }
    }

    /// Study-level concomitant therapy: proportions over the treated participants with a baseline ITP drug.
    public struct ConcomitantTherapySummary: Sendable, Hashable, Codable {
        /// Treated participants whose concomitant therapy could be derived, and those of them on an ITP drug at baseline.
        public var derived: Int
        public var withBaselineTherapy: Int
        public var reduction: Proportion?
        public var secondaryReduction: Proportion?
        public var discontinuation: Proportion?
        public var treatmentFailure: Int
        /// Participants on corticosteroids at baseline, and the median % change of their prednisone-equivalent
        /// dose at months 3 and 6 over those followed that long (n beside each).
        public var withSteroidAtBaseline: Int
        public var steroidChangeMonth3: Int
        public var medianSteroidPercentChangeMonth3: Double?
        public var steroidChangeMonth6: Int
        public var medianSteroidPercentChangeMonth6: Double?
        public init(derived: Int, withBaselineTherapy: Int, reduction: Proportion?, secondaryReduction: Proportion?, discontinuation: Proportion?, treatmentFailure: Int,
                    withSteroidAtBaseline: Int, steroidChangeMonth3: Int, medianSteroidPercentChangeMonth3: Double?, steroidChangeMonth6: Int, medianSteroidPercentChangeMonth6: Double?) {
            self.derived = derived; self.withBaselineTherapy = withBaselineTherapy; self.reduction = reduction; self.secondaryReduction = secondaryReduction
            self.discontinuation = discontinuation; self.treatmentFailure = treatmentFailure; self.withSteroidAtBaseline = withSteroidAtBaseline
            self.steroidChangeMonth3 = steroidChangeMonth3; self.medianSteroidPercentChangeMonth3 = medianSteroidPercentChangeMonth3
            self.steroidChangeMonth6 = steroidChangeMonth6; self.medianSteroidPercentChangeMonth6 = medianSteroidPercentChangeMonth6
        }
    }

    /// One scale at one visit: mean score, mean change from baseline and participants improved by at least the MID.
    public struct ScaleSummary: Sendable, Hashable, Codable {
        public var scale: String
        public var scored: Int
        public var meanScore: Double?
        public var withChange: Int
        public var meanChange: Double?
        public var improvedByMID: Int?
        public init(scale: String, scored: Int, meanScore: Double?, withChange: Int, meanChange: Double?, improvedByMID: Int?) {
            self.scale = scale; self.scored = scored; self.meanScore = meanScore; self.withChange = withChange; self.meanChange = meanChange; self.improvedByMID = improvedByMID
        }
    }

    /// One visit's questionnaires: completion, the median raw code of each item, and scales when scored.
    public struct QuestionnaireVisit: Sendable, Hashable, Codable {
        public var visitID: String
        public var completed: Int
        public var medianAnswered: Double?
        /// Median raw response code per item (index 0 = item 1); nil where nobody answered.
        public var itemMedians: [Double?]
        public var scales: [ScaleSummary]
        public init(visitID: String, completed: Int, medianAnswered: Double?, itemMedians: [Double?], scales: [ScaleSummary]) {
            self.visitID = visitID; self.completed = completed; self.medianAnswered = medianAnswered; self.itemMedians = itemMedians; self.scales = scales
        }
    }

    public struct QuestionnaireSummary: Sendable, Hashable, Codable {
        public var instrument: String
        /// `instrument version` of the installed scoring plug-in; nil when none is installed (raw summaries only).
        public var scoredBy: String?
        public var visits: [QuestionnaireVisit]
        public init(instrument: String, scoredBy: String?, visits: [QuestionnaireVisit]) {
            self.instrument = instrument; self.scoredBy = scoredBy; self.visits = visits
        }
    }
}
