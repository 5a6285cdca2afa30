import CartaCore
import CartaModel
import CartaStudy

/// One participant's captured course read for the outcome derivations: every dated platelet count,
/// bleeding assessment, platelet transfusion and rescue therapy, each with the visit, form and item it
/// came from, so every derived figure can point back at its source values. Pure: read from values.
///
/// Source: issue 9 scope 1 ("derived from the captured data, never from a typed-in summary … traceable
/// to its source records"); spec/clinical.md §1.6 (inputs per subject), §2.1 (Chinese bleeding score).
public struct ParticipantCourseRecord: Sendable {
    /// Where a value came from: the visit, form and item, and the date it applies to.
    public struct Source: Sendable, Hashable, Codable {
        public var visitID: String
        public var formOID: String
        public var itemOID: String
        public var date: ClinicalDate
    }
    public struct Count: Sendable, Hashable {
        public var source: Source
        /// ×10⁹/L.
        public var value: Double
    }
    public struct Bleeding: Sendable, Hashable {
        public var source: Source
        public var present: Bool
        /// The Chinese 2020 score (age points + worst symptom), nil without a date of birth.
        public var score: Int?
        public var decidingSymptom: String?
        /// Score ≥ 5, or visceral / CNS bleeding.
        public var severe: Bool
    }
    /// One ITP-BAT assessment: the grade of each manifestation recorded and the SMOG summary.
    public struct BleedingAssessmentTool: Sendable, Hashable {
        public var source: Source
        /// "Any bleeding since the last assessment" as answered.
        public var anyBleeding: Bool?
        public var assessment: ITPBATAssessment
    }
    public struct Rescue: Sendable, Hashable {
        public var source: Source
        public var start: ClinicalDate
        public var lastDose: ClinicalDate
        public var agent: String
        public var reason: RescueReason
    }

    /// One slot of a concomitant-medication record as typed (any part may be missing).
    public struct ConmedEntry: Sendable, Hashable {
        public var slot: Int
        public var drug: String?
        public var dose: Double?
        public var unit: String?
    }
    /// The ITP regimen recorded at a visit (`any` false: no ITP medication).
    public struct ConmedRecord: Sendable, Hashable {
        public var source: Source
        public var any: Bool
        public var entries: [ConmedEntry]
    }
    /// One completed questionnaire's raw responses.
    public struct QuestionnaireRecord: Sendable, Hashable {
        public var source: Source
        public var version: String?
        public var language: String?
        /// Item number → raw code.
        public var items: [Int: Int]
    }

    public var participant: Participant
    public var chain: ProductChainState
    public var counts: [Count] = []
    public var bleeding: [Bleeding] = []
    /// ITP-BAT assessments in visit order.
    public var itpBat: [BleedingAssessmentTool] = []
    /// Platelet transfusions, each dated by its own date or, when that is missing, by the visit date (see `problems`).
    public var transfusions: [Source] = []
    public var rescues: [Rescue] = []
    /// Concomitant ITP regimens in visit order, and ITP-PAQ forms.
    public var conmedRecords: [ConmedRecord] = []
    /// CTCAE grades of the lab values, with their baseline grades.
    public var labs: LabGrades
    public var questionnaires: [QuestionnaireRecord] = []
    public var toxicity: ToxicityCourse
    /// Assessments at which antipyretic or anti-cytokine therapy for CRS was recorded.
    public var treatedCRSAssessments = 0
    /// Baseline characteristics from screening: age at consent (completed years), sex, weight in kg.
    public var ageAtConsent: Int?
    public var sex: String?
    public var weightKg: Double?
    /// Incomplete records and how the derivation dated them, in words.
    public var problems: [String] = []

    public static let bleedingForm = "F_BLEED", transfusionForm = "F_TRANSFUSION", rescueForm = "F_RESCUE"
    public static let itpBatForm = "F_ITPBAT"
    /// The ITP-BAT form's item for each manifestation (spec §2.2: Skin, visible Mucosae, Organs).
    public static let itpBatItems: [(ITPBATManifestation, String)] = [
        (.petechiae, "BAT_PETECHIAE"), (.ecchymoses, "BAT_ECCHYMOSES"), (.subcutaneousHematomas, "BAT_SC_HAEMATOMA"),
        (.bleedingFromMinorWounds, "BAT_MINOR_WOUNDS"), (.epistaxis, "BAT_EPISTAXIS"), (.gumBleeding, "BAT_GUM"),
        (.oralHemorrhagicBullae, "BAT_ORAL_BULLAE"), (.oralBleedingFromBitesOrTeeth, "BAT_ORAL_BITES"),
        (.subconjunctivalHemorrhage, "BAT_SUBCONJUNCTIVAL"), (.gastrointestinal, "BAT_GI"), (.hemoptysis, "BAT_HAEMOPTYSIS"),
        (.hematuria, "BAT_HAEMATURIA"), (.menorrhagia, "BAT_MENORRHAGIA"), (.muscleHematoma, "BAT_MUSCLE"), (.hemarthrosis, "BAT_JOINT"),
        (.ocular, "BAT_OCULAR"), (.intracranial, "BAT_INTRACRANIAL"),
    ]
    public static let conmedForm = "F_CONMED", questionnaireForm = "F_ITPPAQ", conmedSlots = 1...3

    /// What a record reads the study's forms for, found once per pass rather than once per participant.
    public struct Lookups: Sendable {
        public let plateletItems: Set<String>
        public let questionnaireItems: [(Int, String)]
        public let gradedItems: [String: Analyte]
        public let dateItems: ProductChainState.DateItems
        public init(study: Study) {
            dateItems = ProductChainState.DateItems(study: study)
            plateletItems = Set(study.allItems.filter { $0.analyte == .platelets }.map(\.oid))
            questionnaireItems = ParticipantCourseRecord.questionnaireItems(study)
            gradedItems = LabGrades.gradedItems(study)
        }
    }

    /// `lookups`: `Lookups(study:)`, passed by callers that read many participants.
    public init(file: ParticipantFile, study: Study, lookups: Lookups? = nil) {
        let lookups = lookups ?? Lookups(study: study)
        participant = file.participant
        // One index of the values for every reader of the course (each building its own was most of a
        // participant's derivation time, BENCHMARKS.md issue 9).
        let values = VisitValues(file.values)
        chain = ProductChainState(values: values, study: study, dateItems: lookups.dateItems)
        toxicity = ToxicityCourse(values: values, study: study, visitDates: chain.visitDates)
        labs = LabGrades(file: file, study: study, visitDates: chain.visitDates, baselineBefore: chain.lymphodepletionDates.values.min(),
                         gradedItems: lookups.gradedItems)
        let plateletItems = lookups.plateletItems
        let screeningVisit = study.schedule.visits.first?.id ?? ""
        let questionnaireItems = lookups.questionnaireItems
        for v in file.values where plateletItems.contains(v.address.itemOID.rawValue) {
            guard let m = v.value, !m.text.isEmpty, let x = m.standardValue else { continue }
            let visit = v.address.eventOID == .screening ? screeningVisit : v.address.eventOID.rawValue
            if let date = chain.visitDates[visit] {
                counts.append(Count(source: Source(visitID: visit, formOID: v.address.formOID.rawValue, itemOID: v.address.itemOID.rawValue, date: date), value: x))
            } else {
                problems.append("\(visit): a platelet count of \(TodayService.number(x)) has no visit date; it is not used until the visit date is recorded.")
            }
        }
        let screeningValue = { (form: String, item: String) in values.value(EventOID.screening.rawValue, form, item) }
        sex = screeningValue("F_CONSENT", "SEX")?.text
        weightKg = screeningValue("F_VITALS", "WEIGHT")?.standardValue
        if let dob = file.dateOfBirth, let consent = screeningValue("F_CONSENT", "CONSENT_DATE").flatMap({ ClinicalDate(iso: $0.text) }) {
            ageAtConsent = dob.age(on: consent)
        }
        counts.sort { ($0.source.date, $0.source.visitID) < ($1.source.date, $1.source.visitID) }
        for visit in study.schedule.visits.dropFirst() {
            guard let visitDate = chain.visitDates[visit.id] else { continue }
            // A visit (or form) without values records nothing any of the readers below would use; the hash look-up
            // comes before the scan of the visit's form list.
            guard let forms = values.forms(of: visit.id) else { continue }
            // The forms this reader uses, picked out of the few the visit recorded (rather than a look-up of each).
            var crs, bleed, bat, transfusion, rescue, conmed, paq: [String: MeasuredValue]?
            for (formOID, items) in forms {
                switch formOID {
                case ToxicityCourse.crsForm: crs = items
                case Self.bleedingForm: bleed = items
                case Self.itpBatForm: bat = items
                case Self.transfusionForm: transfusion = items
                case Self.rescueForm: rescue = items
                case Self.conmedForm: conmed = items
                case Self.questionnaireForm: paq = items
                default: break
                }
            }
            func listed(_ items: [String: MeasuredValue]?, _ form: String) -> [String: MeasuredValue]? {
                items.flatMap { visit.forms.contains(form) ? $0 : nil }
            }
            func date(_ items: [String: MeasuredValue], _ item: String) -> ClinicalDate? { items[item].flatMap { ClinicalDate(iso: $0.text) } }
            if crs?["CRS_FEVER_MASKED"]?.text == "true" { treatedCRSAssessments += 1 }
            if let bleed = listed(bleed, Self.bleedingForm) { readBleeding(text: { bleed[$0]?.text }, visit: visit.id, date: visitDate, dateOfBirth: file.dateOfBirth) }
            if let bat = listed(bat, Self.itpBatForm) { readITPBAT(text: { bat[$0]?.text }, visit: visit.id, date: visitDate) }
            if let transfusion = listed(transfusion, Self.transfusionForm), transfusion["PLT_TRANSFUSED"]?.text == "true" {
                let d = date(transfusion, "PLT_TRANSFUSION_DATE")
                if d == nil { problems.append("\(visit.id): a platelet transfusion has no date; it is dated on the visit date \(visitDate), the latest it can have been (its 7-day window then covers the most counts).") }
                transfusions.append(Source(visitID: visit.id, formOID: Self.transfusionForm, itemOID: "PLT_TRANSFUSION_DATE", date: d ?? visitDate))
            }
            if let rescue = listed(rescue, Self.rescueForm), rescue["RESCUE_GIVEN"]?.text == "true" {
                let start = date(rescue, "RESCUE_START"), end = date(rescue, "RESCUE_END")
                if start == nil || end == nil {
                    problems.append("\(visit.id): rescue therapy without its first or last dose date; both are taken as the visit date \(visitDate).")
                }
                let reason = rescue["RESCUE_REASON"].flatMap { RescueReason(rawValue: $0.text) }
                if reason == nil { problems.append("\(visit.id): rescue therapy without its reason; counted as rescue for ITP (it then opens the not-evaluable window and ends a response).") }
                rescues.append(Rescue(source: Source(visitID: visit.id, formOID: Self.rescueForm, itemOID: "RESCUE_START", date: start ?? visitDate),
                                      start: start ?? visitDate, lastDose: max(end ?? visitDate, start ?? visitDate),
                                      agent: rescue["RESCUE_AGENT"]?.text ?? "unspecified", reason: reason ?? .itp))
            }
            if let conmed = listed(conmed, Self.conmedForm), let any = conmed["CM_ANY"]?.text {
                let entries = Self.conmedSlots.compactMap { n -> ConmedEntry? in
                    let drug = conmed["CM\(n)_DRUG"]?.text, dose = conmed["CM\(n)_DOSE"], unit = conmed["CM\(n)_UNIT"]?.text
                    guard drug != nil || dose != nil || unit != nil else { return nil }
                    return ConmedEntry(slot: n, drug: drug, dose: dose.flatMap { $0.standardValue ?? Double($0.text) }, unit: unit)
                }
                conmedRecords.append(ConmedRecord(source: Source(visitID: visit.id, formOID: Self.conmedForm, itemOID: "CM_ANY", date: visitDate),
                                                  any: any == "true", entries: entries))
            }
            if let paq = listed(paq, Self.questionnaireForm) {
                var items: [Int: Int] = [:]
                for (n, oid) in questionnaireItems { if let x = paq[oid].flatMap({ Int($0.text) }) { items[n] = x } }
                let version = paq["PAQ_VERSION"]?.text, language = paq["PAQ_LANGUAGE"]?.text
                if !items.isEmpty || version != nil {
                    questionnaires.append(QuestionnaireRecord(source: Source(visitID: visit.id, formOID: Self.questionnaireForm, itemOID: "PAQ_DATE",
                                                                             date: date(paq, "PAQ_DATE") ?? visitDate),
                                                              version: version, language: language, items: items))
                }
            }
        }
        conmedRecords.sort { ($0.source.date, $0.source.visitID) < ($1.source.date, $1.source.visitID) }
        transfusions.sort { $0.date < $1.date }
        rescues.sort { $0.start < $1.start }
    }

    /// The questionnaire's numbered items (`PAQ_01` → 1), in the study file's order.
    public static func questionnaireItems(_ study: Study) -> [(Int, String)] {
        (study.form(questionnaireForm)?.items ?? []).compactMap { item in
            guard item.oid.hasPrefix("PAQ_"), let n = Int(item.oid.dropFirst(4)) else { return nil }
            return (n, item.oid)
        }
    }

    /// Chinese 2020 bleeding score from the form's coded sites (spec §2.1; the worst site scores, not the sum).
    mutating func readBleeding(text: (String) -> String?, visit: String, date: ClinicalDate, dateOfBirth: ClinicalDate?) {
        let skin = text("BLEED_SKIN"), mucosal = text("BLEED_MUCOSAL"), visceral = text("BLEED_VISCERAL"), cns = text("BLEED_CNS")
        let answered = [skin, mucosal, visceral].compactMap { $0 }
        guard let skin, let mucosal, let visceral, let cns else {
            guard !answered.isEmpty || cns != nil else { return }
            // An incomplete assessment that records bleeding still records bleeding (rule S: NR that day);
            // one that records none is not used, since an unanswered site may have bled.
            if answered.contains(where: { $0 != "none" }) || cns == "true" {
                bleeding.append(Bleeding(source: Source(visitID: visit, formOID: Self.bleedingForm, itemOID: "BLEED_SKIN", date: date), present: true,
                                         score: nil, decidingSymptom: nil, severe: (visceral.map { $0 != "none" } ?? false) || cns == "true"))
                problems.append("\(visit): the bleeding assessment is incomplete; the bleeding it records is used, without a score.")
            } else {
                problems.append("\(visit): the bleeding assessment is incomplete and records no bleeding; it is not used (the day's count is then not evaluable for response).")
            }
            return
        }
        var symptoms: [ChineseBleedingSymptom] = []
        if skin != "none" { symptoms.append(.skin(headOrFace: skin == "headFace")) }
        if mucosal != "none" { symptoms.append(.mucosal(frequentOrHardToStop: mucosal == "frequent", withAnemia: mucosal == "anemia")) }
        if visceral != "none" { symptoms.append(.visceral(withAnemia: visceral == "anemia", lifeThreatening: visceral == "lifeThreatening")) }
        if cns == "true" { symptoms.append(.centralNervousSystem) }
        let score = dateOfBirth.map { ChineseBleedingScore(ageYears: $0.age(on: date), symptoms: symptoms) }
        let worst = symptoms.max { $0.points < $1.points }
        let deep = visceral != "none" || cns == "true"
        bleeding.append(Bleeding(source: Source(visitID: visit, formOID: Self.bleedingForm, itemOID: "BLEED_SKIN", date: date),
                                 present: !symptoms.isEmpty, score: score?.total, decidingSymptom: worst?.item,
                                 severe: deep || (score?.severeByScore ?? false)))
    }

    /// The ITP-BAT grades of a visit and their SMOG summary (spec §2.2: the highest grade per domain). An answer
    /// that contradicts the grades, or the same visit's Chinese assessment, is reported, never smoothed over:
    /// recorded bleeding is bleeding, so the grades are used as typed.
    mutating func readITPBAT(text: (String) -> String?, visit: String, date: ClinicalDate) {
        let any = text("BAT_ANY").map { $0 == "true" }
        let grades = Self.itpBatItems.compactMap { m, oid in text(oid).flatMap { Int($0) }.map { (m, $0) } }
        guard any != nil || !grades.isEmpty else { return }
        let assessment = ITPBATAssessment(grades)
        let bleeds = assessment.skin + assessment.mucosae + assessment.organs > 0
        if any == true && !bleeds {
            problems.append("\(visit): ITP-BAT records bleeding without grading a manifestation; its SMOG summary (\(assessment.notation)) understates it — grade the manifestations.")
        } else if any == false && bleeds {
            problems.append("\(visit): ITP-BAT grades bleeding (\(assessment.notation)) although \"any bleeding\" is no; the grades are used.")
        }
        if let chinese = bleeding.last(where: { $0.source.visitID == visit }), chinese.present != (bleeds || any == true) {
            problems.append("\(visit): the ITP-BAT (\(assessment.notation)) and the Chinese bleeding assessment (\(chinese.present ? "bleeding" : "no bleeding")) disagree; response uses the Chinese assessment (spec §1.6 rule S).")
        }
        itpBat.append(BleedingAssessmentTool(source: Source(visitID: visit, formOID: Self.itpBatForm, itemOID: "BAT_ANY", date: date),
                                             anyBleeding: any, assessment: assessment))
    }

    /// The response engine's input (spec §1.6), nil before Day 0.
    public func responseSubject() -> ResponseSubject? {
        guard let d0 = chain.dayZero else { return nil }
        let ldStart = chain.lymphodepletionDates.values.min()
        return ResponseSubject(
            day0DayNumber: d0.dayNumber, lymphodepletionStartDayNumber: ldStart?.dayNumber,
            counts: counts.map { PlateletCount(dayNumber: $0.source.date.dayNumber, plateletsPer10e9L: $0.value) },
            transfusions: transfusions.map { Transfusion(dayNumber: $0.date.dayNumber) },
            rescues: rescues.map { RescueTherapy(startDayNumber: $0.start.dayNumber, lastDoseDayNumber: $0.lastDose.dayNumber, drug: $0.agent, reason: $0.reason) },
            bleeding: bleeding.sorted { $0.source.date < $1.source.date }.map { BleedingRecord(dayNumber: $0.source.date.dayNumber, present: $0.present, grade: $0.score) })
    }
}
