import CartaCore

/// The registry's outcome measures derived from the captured data, per participant and for the study,
/// each per-participant figure with the source values and the rule behind it.
///
/// Source: issue 9 scope 1; ClinicalTrials.gov NCT05315778 outcome measures (ORR, TTR, DOR, AE, BLEED,
/// CONMED, HRQOL, all at 6 months); spec/clinical.md §1 (response), §2.1 (bleeding), §4 (adverse events), §8
/// (proportions with Clopper–Pearson intervals).
public struct StudyOutcomes: Sendable, Codable {
    /// One source value behind a derived figure, with the page that shows it.
    public struct SourceValue: Sendable, Hashable, Codable {
        public var visitID: String
        public var formOID: String
        public var itemOID: String
        public var date: ClinicalDate
        /// Protocol day (Day 0 = first CAR-T infusion).
        public var day: Int?
        public var value: String
        /// The number behind `value` (platelets ×10⁹/L, bleeding score), when there is one.
        public var number: Double?
        /// The unit of `number` (UCUM: `10*9/L` for a platelet count, `{score}` for a bleeding score, `{grade}` for the
        /// worst ITP-BAT grade), so an analysis reads the number without parsing `value`.
        public var unit: String?
        /// The response status the engine gave this count (CR, R, NR, NE), for counts only.
        public var status: String?
        /// Why (the engine's sub-rule), for counts only.
        public var basis: String?
        /// The rules of spec §1.6 that used it (B, E, S, C, L).
        public var rules: [String]
        /// The visit page (web) holding the value.
        public var path: String
        public init(visitID: String, formOID: String, itemOID: String, date: ClinicalDate, day: Int?, value: String, number: Double?, unit: String? = nil, status: String?, basis: String?, rules: [String], path: String) {
            self.visitID = visitID; self.formOID = formOID; self.itemOID = itemOID; self.date = date; self.day = day; self.value = value; self.number = number; self.unit = unit; self.status = status; self.basis = basis; self.rules = rules; self.path = path
        }
    }

    /// One ITP-BAT assessment's SMOG summary (spec §2.2: the highest grade per domain, e.g. `S2M3O2`).
    public struct BleedingToolPoint: Sendable, Hashable, Codable {
        public var visitID: String
        public var date: ClinicalDate
        /// Protocol day (Day 0 = first CAR-T infusion).
        public var day: Int?
        public var skin: Int
        public var mucosae: Int
        public var organs: Int
        public var notation: String { "S\(skin)M\(mucosae)O\(organs)" }
        public init(visitID: String, date: ClinicalDate, day: Int?, skin: Int, mucosae: Int, organs: Int) {
            self.visitID = visitID; self.date = date; self.day = day; self.skin = skin; self.mucosae = mucosae; self.organs = organs
        }
    }

    /// Participants by their highest ITP-BAT grade from Day 0 on, per domain (index = grade 0…5).
    public struct BleedingToolSummary: Sendable, Hashable, Codable {
        /// Treated participants with at least one ITP-BAT assessment from Day 0 on.
        public var assessed: Int
        public var skinByWorstGrade: [Int]
        public var mucosaeByWorstGrade: [Int]
        public var organsByWorstGrade: [Int]
        public init(assessed: Int, skinByWorstGrade: [Int], mucosaeByWorstGrade: [Int], organsByWorstGrade: [Int]) {
            self.assessed = assessed; self.skinByWorstGrade = skinByWorstGrade; self.mucosaeByWorstGrade = mucosaeByWorstGrade
            self.organsByWorstGrade = organsByWorstGrade
        }
    }

    public struct Duration: Sendable, Hashable, Codable {
        public var days: Int
        public var event: Bool
        /// loss, death, lastEvaluableAssessment, newITPTherapy.
        public var end: String
        public init(days: Int, event: Bool, end: String) {
            self.days = days; self.event = event; self.end = end
        }
    }

    public struct Participant: Sendable, Codable {
        public var subjectID: String
        public var siteID: String
        /// Age in completed years at consent, sex and screening weight (the baseline table).
        public var ageYears: Int?
        public var sex: String?
        public var weightKg: Double?
        public var dayZero: ClinicalDate?
        /// Baseline platelet count ×10⁹/L (rule B), nil when no eligible pre-lymphodepletion count exists.
        public var baseline: Double?
        /// Best overall response by month 6 (CR, R = registry "PR", NR, NE); nil before Day 0.
        public var bestOverallResponse: String?
        /// Status at month 6 (the assessment nearest Day 183 within its window).
        public var statusAtMonth6: String?
        /// Protocol day of the first count of the confirmed response pair (= time to response in days).
        public var timeToResponseDays: Int?
        /// IWG CR (≥ 100 and no bleeding) and the protocol-literal CR (≥ 100), side by side.
        public var completeResponseIWGDay: Int?
        public var completeResponseProtocolLiteralDay: Int?
        public var crDiscordant: Bool
        /// Duration of response, method (a): response date to loss, or censored.
        public var durationOfResponse: Duration?
        /// Duration of response, method (b): days in response over days observed.
        public var daysInResponse: Int
        public var daysObserved: Int
        public var lossOfResponseDay: Int?
        public var maxCRSGrade: Int?
        public var maxICANSGrade: Int?
        /// Protocol days of the first CRS and ICANS episode, and of each serious adverse event's onset.
        public var crsOnsetDay: Int?
        public var icansOnsetDay: Int?
        public var seriousEventDays: [Int]
        public var adverseEvents: Int
        public var seriousAdverseEvents: Int
        public var worstAdverseEventGrade: Int?
        public var maxBleedingScore: Int?
        public var bleedingAssessmentsWithBleeding: Int
        public var severeBleeding: Bool
        public var plateletTransfusions: Int
        public var rescueTherapies: Int
        /// Concomitant ITP therapy against the baseline regimen (nil when it could not be derived: see `problems`).
        public var concomitantTherapy: ConcomitantTherapy? = nil
        /// Corticosteroid dose steps (prednisone-equivalent mg/day) from the baseline window to the last visit.
        public var steroidDose: [DosePoint] = []
        /// Completed ITP-PAQ forms.
        public var questionnaires: [QuestionnaireForm] = []
        /// How the participant's study ended (F_DISPOSITION status) and on which protocol day; nil while on study.
        public var endOfStudy: String? = nil
        public var endOfStudyDay: Int? = nil
        /// Lab terms whose CTCAE grade rose above baseline after lymphodepletion.
        public var labWorsening: [LabWorsening] = []
        /// ITP-BAT assessments in visit order (spec §2.2), and the highest grade per domain from Day 0 on (`S1M2O0`).
        public var itpBat: [BleedingToolPoint] = []
        public var worstITPBAT: String? = nil
        /// Every value the figures above were derived from.
        public var sources: [SourceValue]
        /// Incomplete records and how they were handled.
        public var problems: [String]
        public init(subjectID: String, siteID: String, ageYears: Int?, sex: String?, weightKg: Double?, dayZero: ClinicalDate?, baseline: Double?, bestOverallResponse: String?, statusAtMonth6: String?, timeToResponseDays: Int?, completeResponseIWGDay: Int?, completeResponseProtocolLiteralDay: Int?, crDiscordant: Bool, durationOfResponse: Duration?, daysInResponse: Int, daysObserved: Int, lossOfResponseDay: Int?, maxCRSGrade: Int?, maxICANSGrade: Int?, crsOnsetDay: Int?, icansOnsetDay: Int?, seriousEventDays: [Int], adverseEvents: Int, seriousAdverseEvents: Int, worstAdverseEventGrade: Int?, maxBleedingScore: Int?, bleedingAssessmentsWithBleeding: Int, severeBleeding: Bool, plateletTransfusions: Int, rescueTherapies: Int, sources: [SourceValue], problems: [String]) {
            self.subjectID = subjectID; self.siteID = siteID; self.ageYears = ageYears; self.sex = sex; self.weightKg = weightKg; self.dayZero = dayZero; self.baseline = baseline; self.bestOverallResponse = bestOverallResponse; self.statusAtMonth6 = statusAtMonth6; self.timeToResponseDays = timeToResponseDays; self.completeResponseIWGDay = completeResponseIWGDay; self.completeResponseProtocolLiteralDay = completeResponseProtocolLiteralDay; self.crDiscordant = crDiscordant; self.durationOfResponse = durationOfResponse; self.daysInResponse = daysInResponse; self.daysObserved = daysObserved; self.lossOfResponseDay = lossOfResponseDay; self.maxCRSGrade = maxCRSGrade; self.maxICANSGrade = maxICANSGrade; self.crsOnsetDay = crsOnsetDay; self.icansOnsetDay = icansOnsetDay; self.seriousEventDays = seriousEventDays; self.adverseEvents = adverseEvents; self.seriousAdverseEvents = seriousAdverseEvents; self.worstAdverseEventGrade = worstAdverseEventGrade; self.maxBleedingScore = maxBleedingScore; self.bleedingAssessmentsWithBleeding = bleedingAssessmentsWithBleeding; self.severeBleeding = severeBleeding; self.plateletTransfusions = plateletTransfusions; self.rescueTherapies = rescueTherapies; self.sources = sources; self.problems = problems
        }
    }

    /// x / n with the exact Clopper–Pearson 95 % interval (as percentages, one decimal in `percentText`).
    public struct Proportion: Sendable, Hashable, Codable {
        public var successes: Int
        public var total: Int
        public var percentText: String
        public var lower: Double
        public var upper: Double
        public init(successes: Int, total: Int, percentText: String, lower: Double, upper: Double) {
            self.successes = successes; self.total = total; self.percentText = percentText; self.lower = lower; self.upper = upper
        }
    }

    public struct Spread: Sendable, Hashable, Codable {
        public var n: Int
        public var median: Double?
        public var minimum: Int?
        public var maximum: Int?
        public init(n: Int, median: Double?, minimum: Int?, maximum: Int?) {
            self.n = n; self.median = median; self.minimum = minimum; self.maximum = maximum
        }
    }

    /// One Kaplan–Meier step of the duration of response.
    public struct SurvivalStep: Sendable, Hashable, Codable {
        public var time: Double
        public var atRisk: Int
        public var events: Int
        public var censored: Int
        public var survival: Double
        public var lower: Double?
        public var upper: Double?
        public init(time: Double, atRisk: Int, events: Int, censored: Int, survival: Double, lower: Double?, upper: Double?) {
            self.time = time; self.atRisk = atRisk; self.events = events; self.censored = censored; self.survival = survival; self.lower = lower; self.upper = upper
        }
    }

    public struct DurationSummary: Sendable, Hashable, Codable {
        public var responders: Int
        public var events: Int
        public var medianDays: Double?
        public var medianLower: Double?
        public var medianUpper: Double?
        public var steps: [SurvivalStep]
        /// Numbers at risk at days 0, 30, …, 180.
        public var atRisk: [Int]
        public static let atRiskDays: [Double] = [0, 30, 60, 90, 120, 150, 180]
        public init(responders: Int, events: Int, medianDays: Double?, medianLower: Double?, medianUpper: Double?, steps: [SurvivalStep], atRisk: [Int]) {
            self.responders = responders; self.events = events; self.medianDays = medianDays; self.medianLower = medianLower; self.medianUpper = medianUpper; self.steps = steps; self.atRisk = atRisk
        }
    }

    /// Participants with an adverse event of one CTCAE term, by their worst grade.
    public struct TermIncidence: Sendable, Hashable, Codable {
        public var term: String
        public var meddraCode: String
        public var participants: Int
        /// Participants whose worst grade of this term is 1…5 (index 0 = grade 1).
        public var byWorstGrade: [Int]
        public var serious: Int
        public init(term: String, meddraCode: String, participants: Int, byWorstGrade: [Int], serious: Int) {
            self.term = term; self.meddraCode = meddraCode; self.participants = participants; self.byWorstGrade = byWorstGrade; self.serious = serious
        }
    }

    public struct SyndromeSummary: Sendable, Hashable, Codable {
        public var participants: Int
        /// Participants whose maximum grade is 1…5 (index 0 = grade 1).
        public var byMaxGrade: [Int]
        /// Onset days (Day 0 = first infusion) of each participant's first episode.
        public var onsetDays: [Int]
        /// Durations in days of resolved episodes.
        public var durationDays: [Int]
        /// Assessments at which antipyretic or anti-cytokine therapy was recorded (CRS only).
        public var treatedAssessments: Int
        public init(participants: Int, byMaxGrade: [Int], onsetDays: [Int], durationDays: [Int], treatedAssessments: Int) {
            self.participants = participants; self.byMaxGrade = byMaxGrade; self.onsetDays = onsetDays; self.durationDays = durationDays; self.treatedAssessments = treatedAssessments
        }
    }

    public var studyID: String
    /// SHA-256 of the response settings the figures were derived with (the rule version).
    public var settingsDigest: String
    /// What the figures were computed with, in words (engine, spec sections, settings).
    public var method: String
    public var participants: [Participant]
    /// Participants registered for screening, screen failures and enrolled (the flow diagram).
    public var registered: Int
    public var screenFailed: Int
    public var enrolled: Int
    /// Participants who received at least one CAR-T fraction (the analysis population).
    public var treated: Int
    public var overallResponse: Proportion?
    public var completeResponseIWG: Proportion?
    public var completeResponseProtocolLiteral: Proportion?
    public var timeToResponse: Spread
    public var durationOfResponse: DurationSummary?
    public var adverseEventsByTerm: [TermIncidence]
    public var participantsWithSeriousEvents: Int
    public var crs: SyndromeSummary
    public var icans: SyndromeSummary
    public var participantsWithBleeding: Int
    public var participantsWithSevereBleeding: Int
    public var participantsWithRescue: Int
    public var concomitantTherapy: ConcomitantTherapySummary? = nil
    public var questionnaire: QuestionnaireSummary? = nil
    public var labWorsening: [LabWorseningSummary] = []
    /// ITP-BAT: participants by their highest grade per domain from Day 0 on.
    public var itpBat: BleedingToolSummary? = nil
    /// Participants by how their study ended (completed, withdrewConsent, …); those still on study are not counted.
    public var endOfStudy: [String: Int] = [:]
    /// The database holds synthetic demonstration data (`carta demo`), never real participants.
    public var synthetic = false
    /// The audit records the derivation read the data at (`DataCut`); nil for figures not read from a store.
    public var dataCut: DataCut? = nil

    /// The data a derivation came from, named by the audit trail: every saved change writes its audit record in its own
    /// transaction and deriving writes none, so the trail's last record before and after the pass identifies the state
    /// of the data it read — and says when a change was saved while it read (then some participants may have been
    /// read before the change and some after). No clock: the same data derive to the same bytes.
    ///
    /// Source: issue 9 scope 1 (every derived value traceable to its source records); ICH E6(R3) 4.2 (data
    /// traceability) — the data cut of an analysis is stated with the analysis.
    public struct DataCut: Sendable, Codable, Equatable {
        /// The trail's last record when the pass began (0: an empty trail).
        public var firstAuditRecord: Int
        /// The trail's last record when the pass ended.
        public var lastAuditRecord: Int
        public var isConsistent: Bool { firstAuditRecord == lastAuditRecord }
        public init(firstAuditRecord: Int, lastAuditRecord: Int) {
            self.firstAuditRecord = firstAuditRecord; self.lastAuditRecord = lastAuditRecord
        }

        /// One line for people, as `carta derive` and `carta report` print it.
        public var text: String {
            isConsistent
                ? "Data as of audit record \(lastAuditRecord)."
                : "Warning: changes were saved while these figures were derived (audit records \(firstAuditRecord + 1) to \(lastAuditRecord)), "
                    + "so they may mix the data before and after them. Derive again when data entry pauses."
        }
    }
    public init(studyID: String, settingsDigest: String, method: String, participants: [Participant], registered: Int, screenFailed: Int, enrolled: Int, treated: Int, overallResponse: Proportion?, completeResponseIWG: Proportion?, completeResponseProtocolLiteral: Proportion?, timeToResponse: Spread, durationOfResponse: DurationSummary?, adverseEventsByTerm: [TermIncidence], participantsWithSeriousEvents: Int, crs: SyndromeSummary, icans: SyndromeSummary, participantsWithBleeding: Int, participantsWithSevereBleeding: Int, participantsWithRescue: Int) {
        self.studyID = studyID; self.settingsDigest = settingsDigest; self.method = method; self.participants = participants; self.registered = registered; self.screenFailed = screenFailed; self.enrolled = enrolled; self.treated = treated; self.overallResponse = overallResponse; self.completeResponseIWG = completeResponseIWG; self.completeResponseProtocolLiteral = completeResponseProtocolLiteral; self.timeToResponse = timeToResponse; self.durationOfResponse = durationOfResponse; self.adverseEventsByTerm = adverseEventsByTerm; self.participantsWithSeriousEvents = participantsWithSeriousEvents; self.crs = crs; self.icans = icans; self.participantsWithBleeding = participantsWithBleeding; self.participantsWithSevereBleeding = participantsWithSevereBleeding; self.participantsWithRescue = participantsWithRescue
    }

    /// The median of sorted numbers (the mean of the middle two for an even count); nil when empty.
    public static func median(_ sorted: [Double]) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let n = sorted.count
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }
}
