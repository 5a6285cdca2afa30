import CartaCore
import CartaModel
import CartaStudy

/// The CRS and ICANS grades of every recorded assessment, in visit order, computed from the raw signs
/// with the rules engine. Pure: read from values.
///
/// Source: spec/clinical.md §5.1 (ASTCT 2019 CRS; rule 1: a treated, ongoing CRS needs no fever) and §5.2
/// (ICE score and ICANS, adults); issue 8 scope 6 ("daily CRS and ICANS assessments from raw signs with
/// the ASTCT grade computed").
public struct ToxicityCourse: Sendable, Hashable {
    /// One visit's assessment: its grade and why, or what is missing to grade it.
    public struct Graded: Sendable, Hashable {
        public var visitID: String
        public var date: ClinicalDate?
        /// nil when the assessment cannot be graded yet (`missing` says why).
        public var grade: Int?
        public var rule: String
        public var missing: [String]
    }

    public var crs: [Graded] = []
    public var icans: [Graded] = []

    public static let crsForm = "F_CRS", icansForm = "F_ICANS"
    static let iceItems = ["ICE_YEAR", "ICE_MONTH", "ICE_CITY", "ICE_HOSPITAL", "ICE_OBJECT1", "ICE_OBJECT2", "ICE_OBJECT3",
                           "ICE_COMMANDS", "ICE_WRITING", "ICE_ATTENTION"]
    static let crsItems = ["CRS_TMAX", "CRS_FEVER_MASKED", "CRS_HYPOTENSION", "CRS_VASOPRESSORS", "CRS_O2_DEVICE"]
    static let icansFindings = ["ICANS_CONSCIOUSNESS", "ICANS_SEIZURE", "ICANS_MOTOR", "ICANS_EDEMA", "ICANS_ICP_SIGNS"]

    /// Grades every visit's CRS and ICANS forms; `visitDates` dates them (from `ProductChainState`).
    public init(values: [ItemValue], study: Study, visitDates: [String: ClinicalDate]) {
        self.init(values: VisitValues(values), study: study, visitDates: visitDates)
    }

    /// The same from an already built index (a whole-study pass builds one per participant for all readers).
    public init(values: VisitValues, study: Study, visitDates: [String: ClinicalDate]) {
        var ongoing = false
        for visit in study.schedule.visits.dropFirst() {
            let id = visit.id
            // A form without values grades to nothing (both graders return nil when nothing is recorded).
            guard let recorded = values.forms(of: id) else { continue }
            if visit.forms.contains(Self.crsForm), let items = recorded[Self.crsForm],
               let graded = Self.gradeCRS(value: { items[$0] }, flag: { items[$0].map { $0.text == "true" } }, ongoing: ongoing) {
                var g = graded
                g.visitID = id; g.date = visitDates[id]
                crs.append(g)
                ongoing = (g.grade ?? 0) >= 1
            }
            if visit.forms.contains(Self.icansForm), let items = recorded[Self.icansForm],
               let graded = Self.gradeICANS(value: { items[$0] }, flag: { items[$0].map { $0.text == "true" } }) {
                var g = graded
                g.visitID = id; g.date = visitDates[id]
                icans.append(g)
            }
        }
    }

    /// The CRS grade from the form's raw signs; nil when nothing of the form is recorded.
    static func gradeCRS(value: (String) -> MeasuredValue?, flag: (String) -> Bool?, ongoing: Bool) -> Graded? {
        let items = crsItems
        guard items.contains(where: { value($0) != nil }) else { return nil }
        let missing = items.filter { value($0) == nil }
        guard missing.isEmpty, let t = value("CRS_TMAX")?.standardValue, let masked = flag("CRS_FEVER_MASKED"),
              let hypotension = flag("CRS_HYPOTENSION"), let count = value("CRS_VASOPRESSORS")?.number,
              let device = value("CRS_O2_DEVICE").flatMap({ OxygenDevice(rawValue: $0.text) }) else {
            return Graded(visitID: "", date: nil, grade: nil, rule: "not graded", missing: missing)
        }
        let oxygen = OxygenSupport(device: device, flowLPerMin: value("CRS_O2_FLOW")?.number)
        if oxygen.hypoxiaGrade == nil {
            return Graded(visitID: "", date: nil, grade: nil, rule: "not graded: a nasal cannula is graded by its flow", missing: ["CRS_O2_FLOW"])
        }
        // Grading counts only how many non-vasopressin agents are running; the form records that number.
        let agents = Set([Vasopressor.norepinephrine, .epinephrine, .phenylephrine, .dopamine].prefix(Int(count)))
        let a = CRSGrader.grade(CRSSigns(temperatureCel: t, feverMaskingTreatmentGiven: masked, crsOngoing: ongoing,
                                         hypotension: hypotension, vasopressors: agents, oxygen: oxygen))
        return Graded(visitID: "", date: nil, grade: a.grade, rule: a.rule, missing: [])
    }

    /// The ICANS grade from the ICE items and the other findings; nil when nothing of the form is recorded.
    static func gradeICANS(value: (String) -> MeasuredValue?, flag: (String) -> Bool?) -> Graded? {
        let findings = icansFindings
        guard findings.contains(where: { value($0) != nil }) || iceItems.contains(where: { value($0) != nil }) else { return nil }
        var missing = findings.filter { value($0) == nil }
        guard let consciousness = value("ICANS_CONSCIOUSNESS").flatMap({ ICANSConsciousness(rawValue: $0.text) }) else {
            return Graded(visitID: "", date: nil, grade: nil, rule: "not graded", missing: missing)
        }
        // ICE cannot be done on an unarousable participant (spec §5.2); otherwise all ten items are needed.
        var ice: ICEItems?
        if consciousness != .unarousable {
            let answers = iceItems.map(flag)
            missing += zip(iceItems, answers).filter { $0.1 == nil }.map(\.0)
            if answers.allSatisfy({ $0 != nil }) {
                let b = answers.map { $0! }
                ice = ICEItems(orientedToYear: b[0], orientedToMonth: b[1], orientedToCity: b[2], orientedToHospital: b[3],
                               namedObject1: b[4], namedObject2: b[5], namedObject3: b[6], followsCommands: b[7],
                               writesStandardSentence: b[8], countsBackwardsFrom100By10: b[9])
            }
        }
        guard missing.isEmpty, let seizure = value("ICANS_SEIZURE").flatMap({ ICANSSeizure(rawValue: $0.text) }),
              let motor = flag("ICANS_MOTOR"), let edema = value("ICANS_EDEMA").flatMap({ ICANSCerebralEdema(rawValue: $0.text) }),
              let icp = flag("ICANS_ICP_SIGNS") else {
            return Graded(visitID: "", date: nil, grade: nil, rule: "not graded", missing: missing)
        }
        // Any one sign of raised ICP is grade 4; which one does not change the grade.
        let a = ICANSGrader.grade(ICANSFindings(ice: ice, consciousness: consciousness, seizure: seizure, deepFocalMotorWeakness: motor,
                                                cerebralEdema: edema, raisedICPSigns: icp ? [.papilledema] : []))
        return Graded(visitID: "", date: nil, grade: a.grade, rule: a.rule, missing: [])
    }

    /// The latest graded assessment on or before `date` (same-day counts: assessed before the fraction).
    public static func latest(_ list: [Graded], onOrBefore date: ClinicalDate) -> Graded? {
        list.last { g in g.grade != nil && (g.date.map { $0 <= date } ?? false) }
    }
}
