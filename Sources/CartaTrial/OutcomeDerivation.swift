import CartaCore
import CartaModel
import CartaStudy
import Crypto
import Foundation

/// Derives the study's outcome measures from participants' captured courses with the rules engine.
/// Pure: no I/O, no clock — the same records always give the same figures.
///
/// Source: spec/clinical.md §1.6 (response engine: rules B, E, S, C, L; best overall response in Days
/// 0…183; DoR methods a and b), §8 (Clopper–Pearson exact 95 % CI; percentages to one decimal), §2.1
/// (Chinese bleeding score), §5.1–5.2 (ASTCT CRS / ICANS grades); R survival `survfit` conventions for
/// the Kaplan–Meier duration of response (log-log interval, numbers at risk).
public enum OutcomeDerivation {
    /// One participant's inputs: the captured course, the adverse-event log and the CRS/ICANS episodes.
    public struct Input: Sendable {
        public var record: ParticipantCourseRecord
        public var events: [AdverseEvent]
        public var episodes: [AdverseEventService.Episode]
        public init(record: ParticipantCourseRecord, events: [AdverseEvent], episodes: [AdverseEventService.Episode]) {
            self.record = record; self.events = events; self.episodes = episodes
        }
    }

    /// `flow` counts everyone registered (all statuses); `inputs` are the enrolled participants.
    public static func derive(_ inputs: [Input], study: Study, flow: (registered: Int, screenFailed: Int)? = nil,
                              scorer: (any QuestionnaireScorer)? = nil) -> StudyOutcomes {
        var acc = Accumulator(study: study, keepParticipants: true, scorer: scorer)
        for input in inputs { _ = acc.add(input) }
        return acc.finish(registered: flow?.registered ?? inputs.count, screenFailed: flow?.screenFailed ?? 0)
    }

    /// The study-level figures built one participant at a time, so a pass over a large study holds only
    /// the aggregates (and, for the Kaplan–Meier, one time per responder), not every participant's sources.
    public struct Accumulator: Sendable {
        let study: Study
        let settings: ResponseSettings
        let keepParticipants: Bool
        /// Whether each participant's `sources` are built (every value's visit, form, item, words and page path): a
        /// streamed table that shows none of them (all but `visits`) spares building them for every participant.
        let includeSources: Bool
        var participants: [StudyOutcomes.Participant] = []
        var enrolled = 0, treated = 0, responders = 0, crIWG = 0, crLiteral = 0
        var ttr: [Int] = []
        var durations: [KaplanMeierCalculator.Subject] = []
        /// "term|code" → subject → (worst grade, serious).
        var worst: [String: [String: (grade: Int, serious: Bool)]] = [:]
        var crs = OutcomeDerivation.emptySyndrome, icans = OutcomeDerivation.emptySyndrome
        var serious = 0, bleeding = 0, severeBleeding = 0, rescue = 0
        let scorer: (any QuestionnaireScorer)?
        let questionnaireItems: Int
        var questionnaire: QuestionnaireDerivation.Accumulator
        var conmedDerived = 0, conmedBaseline = 0, conmedReduced = 0, conmedHalved = 0, conmedStopped = 0, conmedFailed = 0
        var steroidBaseline = 0, steroidMonth3: [Double] = [], steroidMonth6: [Double] = []
        /// CTCAE term → (participants worsened, of them to grade ≥ 3).
        var labWorsening: [String: (all: Int, severe: Int)] = [:]
        var endOfStudy: [String: Int] = [:]
        var itpBatAssessed = 0, itpBatSkin = [0, 0, 0, 0, 0, 0], itpBatMucosae = [0, 0, 0, 0, 0, 0], itpBatOrgans = [0, 0, 0, 0, 0, 0]

        public init(study: Study, keepParticipants: Bool, includeSources: Bool = true, scorer: (any QuestionnaireScorer)? = nil) {
            self.study = study; self.settings = study.settings.response; self.keepParticipants = keepParticipants
            self.includeSources = includeSources
            self.scorer = scorer
            questionnaireItems = ParticipantCourseRecord.questionnaireItems(study).count
            questionnaire = .init(study: study, itemCount: questionnaireItems, scorer: scorer)
        }

        /// One participant's figures before they are added: everything derived from that participant alone, so a
        /// pass can derive many participants at once (on both cores) and add them in order. `add(_:)` reads nothing
        /// else, so figures kept from an earlier pass (`OutcomeService`'s stored figures) add up to the same study.
        public struct Figures: Sendable, Codable {
            var participant: StudyOutcomes.Participant
            var contribution: Contribution
        }

        /// What one participant adds to the study-level figures beyond their own row.
        struct Contribution: Sendable, Codable {
            struct Response: Sendable, Codable { var responder: Bool, completeIWG: Bool, completeLiteral: Bool }
            struct Incidence: Sendable, Codable { var key: String, grade: Int, serious: Bool }
            struct Syndrome: Sendable, Codable { var maxGrade: Int, onsetDay: Int, durationDays: [Int] }
            /// The response engine's verdict; nil when the participant was not evaluable (no infusion).
            var response: Response?
            /// Logged adverse events and CRS/ICANS episodes by "term|code" (`OutcomeDerivation.incidenceKey`).
            var incidence: [Incidence]
            /// The participant's CRS and ICANS episodes from Day 0 on (nil: none, or no Day 0).
            var crs: Syndrome?, icans: Syndrome?
            var treatedCRSAssessments: Int
            struct Answer: Sendable, Codable {
                var item: Int, code: Int

                init(item: Int, code: Int) { self.item = item; self.code = code }

                // One integer (item in the high 32 bits, code in the low): a participant keeps about 180 answers, and
                // decoding each as a keyed pair was a third of reading kept figures back (BENCHMARKS.md, scale cohort).
                func encode(to encoder: any Encoder) throws {
                    guard let item = Int32(exactly: item), let code = Int32(exactly: code) else {
                        throw EncodingError.invalidValue(self, .init(codingPath: encoder.codingPath, debugDescription: "an ITP-PAQ item or code beyond 32 bits"))
                    }
                    var c = encoder.singleValueContainer()
                    try c.encode(Int64(item) << 32 | Int64(UInt32(bitPattern: code)))
                }

                init(from decoder: any Decoder) throws {
                    let packed = try decoder.singleValueContainer().decode(Int64.self)
                    item = Int(Int32(truncatingIfNeeded: packed >> 32))
                    code = Int(Int32(truncatingIfNeeded: packed))
                }
            }
            /// Each ITP-PAQ form's raw codes by item, in the order of the record's forms.
            var questionnaireAnswers: [[Answer]]
            var lymphodepletionStart: ClinicalDate?
        }

        /// The figures of one participant (pure: reads nothing of the study-level state, so it may run concurrently).
        public func figures(_ input: Input) -> Figures { figuresOf(input) }

        /// `figures` holding only the study and its settings, not the accumulated state (a pass's concurrent workers
        /// call it while the accumulator grows).
        public var figuresOf: @Sendable (Input) -> Figures {
            let study = study, settings = settings, scorer = scorer, questionnaireItems = questionnaireItems, includeSources = includeSources
            return { Self.figures($0, study: study, settings: settings, scorer: scorer, questionnaireItems: questionnaireItems, includeSources: includeSources) }
        }

        static func figures(_ input: Input, study: Study, settings: ResponseSettings, scorer: (any QuestionnaireScorer)?, questionnaireItems: Int,
                            includeSources: Bool) -> Figures {
            var (p, result) = OutcomeDerivation.participant(input, study: study, settings: settings, includeSources: includeSources)
            let r = input.record
            if let eos = r.chain.endOfStudy {
                p.endOfStudy = eos.status
                p.endOfStudyDay = r.chain.dayZero.map { $0.days(to: eos.date) }
            }
            let lymphodepletionStart = r.chain.lymphodepletionDates.values.min()
            let worse = r.labs.worsening(after: lymphodepletionStart)
            p.labWorsening = worse.map { .init(term: $0.key.ctcaeTerm, baselineGrade: $0.value.baseline, worstGrade: $0.value.worst) }.sorted { $0.term < $1.term }
            let conmed = ConcomitantTherapyDerivation.derive(r, settings: study.settings.conmed, finalVisit: study.schedule.visits.last(where: { $0.kind == .visit })?.id)
            let (forms, formProblems) = QuestionnaireDerivation.forms(r, itemCount: questionnaireItems, scorer: scorer, settings: study.settings.questionnaire)
            p.concomitantTherapy = conmed.outcome
            p.steroidDose = conmed.steroidDose
            p.questionnaires = forms
            p.problems += conmed.problems + formProblems
            let contribution = Contribution(
                response: result.map { .init(responder: $0.bestOverallResponse.isResponse, completeIWG: $0.completeResponseIWG != nil,
                                             completeLiteral: $0.completeResponseProtocolLiteral != nil) },
                incidence: OutcomeDerivation.incidence(of: input), crs: OutcomeDerivation.syndrome(input, "CRS"), icans: OutcomeDerivation.syndrome(input, "ICANS"),
                treatedCRSAssessments: r.treatedCRSAssessments, questionnaireAnswers: r.questionnaires.map { $0.items.sorted { $0.key < $1.key }.map { .init(item: $0.key, code: $0.value) } },
                lymphodepletionStart: lymphodepletionStart)
            return Figures(participant: p, contribution: contribution)
        }

        /// Adds one enrolled participant and returns their figures.
        public mutating func add(_ input: Input) -> StudyOutcomes.Participant { add(figures(input)) }

        /// Adds one enrolled participant whose figures are already derived (`figures(input)`), and returns them.
        public mutating func add(_ figures: Figures) -> StudyOutcomes.Participant {
            let p = figures.participant, c = figures.contribution
            addTherapyAndLabs(figures)
            enrolled += 1
            if keepParticipants { participants.append(p) }
            if let response = c.response {
                treated += 1
                if response.responder { responders += 1 }
                if response.completeIWG { crIWG += 1 }
                if response.completeLiteral { crLiteral += 1 }
                if let t = p.timeToResponseDays { ttr.append(t) }
                if let d = p.durationOfResponse { durations.append(.init(id: p.subjectID, time: Double(d.days), event: d.event)) }
            }
            for i in c.incidence {
                let old = worst[i.key, default: [:]][p.subjectID]
                worst[i.key, default: [:]][p.subjectID] = (max(old?.grade ?? 0, i.grade), (old?.serious ?? false) || i.serious)
            }
            crs.treatedAssessments += c.treatedCRSAssessments
            OutcomeDerivation.add(c.crs, into: &crs)
            OutcomeDerivation.add(c.icans, into: &icans)
            if p.seriousAdverseEvents > 0 { serious += 1 }
            if p.bleedingAssessmentsWithBleeding > 0 { bleeding += 1 }
            if p.severeBleeding { severeBleeding += 1 }
            if p.rescueTherapies > 0 { rescue += 1 }
            // `day` is nil without a Day 0, so this is the ITP-BAT from Day 0 on.
            let after = p.itpBat.filter { ($0.day ?? -1) >= 0 }
            if !after.isEmpty {
                itpBatAssessed += 1
                itpBatSkin[min(5, after.map(\.skin).max() ?? 0)] += 1
                itpBatMucosae[min(5, after.map(\.mucosae).max() ?? 0)] += 1
                itpBatOrgans[min(5, after.map(\.organs).max() ?? 0)] += 1
            }
            return p
        }

        /// Concomitant therapy, the ITP-PAQ and lab worsening of one participant, into the study's figures.
        mutating func addTherapyAndLabs(_ figures: Figures) {
            if let status = figures.participant.endOfStudy { endOfStudy[status, default: 0] += 1 }
            for w in figures.participant.labWorsening {
                let old = labWorsening[w.term] ?? (0, 0)
                labWorsening[w.term] = (old.all + 1, old.severe + (w.worstGrade >= 3 ? 1 : 0))
            }
            questionnaire.add(figures.participant.questionnaires, answers: figures.contribution.questionnaireAnswers.map { $0.map { ($0.item, $0.code) } },
                              lymphodepletionStart: figures.contribution.lymphodepletionStart)
            guard let c = figures.participant.concomitantTherapy else { return }
            conmedDerived += 1
            if c.treatmentFailure { conmedFailed += 1 }
            guard c.drugsAtBaseline > 0 else { return }
            conmedBaseline += 1
            if c.anyReduction { conmedReduced += 1 }
            if c.anySecondaryReduction { conmedHalved += 1 }
            if c.anyDiscontinuation { conmedStopped += 1 }
            if c.steroidBaselineMgPerDay > 0 {
                steroidBaseline += 1
                if let x = c.steroidPercentChangeMonth3 { steroidMonth3.append(x) }
                if let x = c.steroidPercentChangeMonth6 { steroidMonth6.append(x) }
            }
        }

        public func finish(registered: Int, screenFailed: Int) -> StudyOutcomes {
            func proportion(_ x: Int, of total: Int? = nil) -> StudyOutcomes.Proportion? {
                let total = total ?? treated
                guard total > 0, let out = try? ProportionCalculator.compute(.init(successes: x, total: total)) else { return nil }
                return .init(successes: x, total: total, percentText: out.percentText,
                             lower: out.exactInterval.lowerConfidenceLimit, upper: out.exactInterval.upperConfidenceLimit)
            }
            let sortedTTR = ttr.sorted()
            var outcomes = StudyOutcomes(
                studyID: study.id, settingsDigest: OutcomeDerivation.settingsDigest(settings),
                method: "Response engine of spec/clinical.md §1.6 (IWG 2009 R/CR with the registry's \"PR\" = IWG R; protocol-literal CR ≥ 100 ×10⁹/L beside IWG CR), "
                    + "response window Days 0–\(settings.responseWindowEndDay), confirmation ≥ \(settings.confirmationIntervalDays) days apart, "
                    + "baseline \(settings.baselineMethod.rawValue), missing bleeding \(settings.missingBleeding.rawValue); Clopper–Pearson exact 95 % CI; "
                    + "Kaplan–Meier with log-log 95 % CI; CTCAE v5.0; ASTCT 2019.",
                participants: participants, registered: registered, screenFailed: screenFailed, enrolled: enrolled, treated: treated,
                overallResponse: proportion(responders), completeResponseIWG: proportion(crIWG), completeResponseProtocolLiteral: proportion(crLiteral),
                timeToResponse: .init(n: sortedTTR.count, median: OutcomeDerivation.median(sortedTTR), minimum: sortedTTR.first, maximum: sortedTTR.last),
                durationOfResponse: OutcomeDerivation.duration(durations),
                adverseEventsByTerm: OutcomeDerivation.incidence(worst),
                participantsWithSeriousEvents: serious, crs: crs, icans: icans,
                participantsWithBleeding: bleeding, participantsWithSevereBleeding: severeBleeding, participantsWithRescue: rescue)
            outcomes.concomitantTherapy = .init(
                derived: conmedDerived, withBaselineTherapy: conmedBaseline, reduction: proportion(conmedReduced, of: conmedBaseline),
                secondaryReduction: proportion(conmedHalved, of: conmedBaseline), discontinuation: proportion(conmedStopped, of: conmedBaseline),
                treatmentFailure: conmedFailed, withSteroidAtBaseline: steroidBaseline,
                steroidChangeMonth3: steroidMonth3.count, medianSteroidPercentChangeMonth3: StudyOutcomes.median(steroidMonth3.sorted()),
                steroidChangeMonth6: steroidMonth6.count, medianSteroidPercentChangeMonth6: StudyOutcomes.median(steroidMonth6.sorted()))
            outcomes.questionnaire = questionnaire.finish()
            outcomes.itpBat = .init(assessed: itpBatAssessed, skinByWorstGrade: itpBatSkin, mucosaeByWorstGrade: itpBatMucosae, organsByWorstGrade: itpBatOrgans)
            outcomes.endOfStudy = endOfStudy
            outcomes.labWorsening = labWorsening.map { .init(term: $0.key, participants: $0.value.all, toGrade3OrMore: $0.value.severe) }
                .sorted { ($0.participants, $1.term) > ($1.participants, $0.term) }
            return outcomes
        }
    }

    static let emptySyndrome = StudyOutcomes.SyndromeSummary(participants: 0, byMaxGrade: [0, 0, 0, 0, 0], onsetDays: [], durationDays: [], treatedAssessments: 0)

    static func participant(_ input: Input, study: Study, settings: ResponseSettings, includeSources: Bool = true) -> (StudyOutcomes.Participant, ResponseResult?) {
        let r = input.record
        let subject = r.participant.subjectID.rawValue
        let d0 = r.chain.dayZero
        // Death (an adverse event with a fatal outcome or of grade 5) ends follow-up: spec §1.6 DoR censoring.
        let fatalEvent = input.events.filter { $0.outcome == .fatal || $0.grade == 5 }.map { $0.resolution ?? $0.onset }.min()
        let death = [fatalEvent, r.chain.endOfStudy.flatMap { $0.status == "death" ? $0.date : nil }].compactMap { $0 }.min()
        let result = r.responseSubject().map { subject -> ResponseResult in
            var s = subject
            s.deathDayNumber = death?.dayNumber
            return ResponseEngine.evaluate(s, settings: settings)
        }
        func day(_ d: ClinicalDate) -> Int? { d0.map { d.dayNumber - $0.dayNumber } }
        func path(_ visit: String) -> String { "/participants/\(subject)/visits/\(visit)" }
        var sources: [StudyOutcomes.SourceValue] = []
        // Engine records are in count order, one per date; each points at the count it used.
        var recordByCount: [Int: AssessmentRecord] = [:]
        if includeSources { for rec in result?.records ?? [] { recordByCount[rec.countIndex] = rec } }
        for (i, c) in r.counts.enumerated() where includeSources {
            let rec = recordByCount[i]
            let screening = c.source.visitID == study.schedule.visits.first?.id
            sources.append(.init(visitID: c.source.visitID, formOID: c.source.formOID, itemOID: c.source.itemOID, date: c.source.date, day: day(c.source.date),
                                 value: TodayService.number(c.value) + " ×10⁹/L", number: c.value, unit: Analyte.platelets.standardUnit, status: rec?.status.rawValue, basis: rec?.basis.rawValue,
                                 rules: rec?.rules.ids ?? [], path: screening ? "/participants/\(subject)" : path(c.source.visitID)))
        }
        for b in r.bleeding where includeSources {
            sources.append(.init(visitID: b.source.visitID, formOID: b.source.formOID, itemOID: b.source.itemOID, date: b.source.date, day: day(b.source.date),
                                 value: b.present ? "bleeding" + (b.score.map { ", score \($0)" } ?? "") : "no bleeding", number: b.score.map(Double.init), unit: b.score == nil ? nil : "{score}", status: nil, basis: nil,
                                 rules: ["S"], path: path(b.source.visitID)))
        }
        for b in r.itpBat where includeSources {
            sources.append(.init(visitID: b.source.visitID, formOID: b.source.formOID, itemOID: b.source.itemOID, date: b.source.date, day: day(b.source.date),
                                 value: "ITP-BAT \(b.assessment.notation)", number: Double(max(b.assessment.skin, b.assessment.mucosae, b.assessment.organs)),
                                 unit: "{grade}", status: nil, basis: nil, rules: [], path: path(b.source.visitID)))
        }
        for t in r.transfusions where includeSources {
            sources.append(.init(visitID: t.visitID, formOID: t.formOID, itemOID: t.itemOID, date: t.date, day: day(t.date), value: "platelet transfusion", number: nil,
                                 status: nil, basis: nil, rules: ["E"], path: path(t.visitID)))
        }
        for x in r.rescues where includeSources {
            sources.append(.init(visitID: x.source.visitID, formOID: x.source.formOID, itemOID: x.source.itemOID, date: x.start, day: day(x.start),
                                 value: "rescue \(x.agent) for \(x.reason.rawValue), \(x.start)…\(x.lastDose)", number: nil, status: nil, basis: nil, rules: ["E"], path: path(x.source.visitID)))
        }
        let crs = input.episodes.filter { $0.syndrome == "CRS" }.map(\.maxGrade).max()
        let icans = input.episodes.filter { $0.syndrome == "ICANS" }.map(\.maxGrade).max()
        let dor = result?.durationOfResponse.map { StudyOutcomes.Duration(days: $0.days, event: $0.isEvent, end: $0.end.rawValue) }
        let p = StudyOutcomes.Participant(
            subjectID: subject, siteID: r.participant.siteID.rawValue, ageYears: r.ageAtConsent, sex: r.sex, weightKg: r.weightKg, dayZero: d0, baseline: result?.baselinePer10e9L,
            bestOverallResponse: result?.bestOverallResponse.rawValue, statusAtMonth6: result?.statusAtMonth6.rawValue,
            timeToResponseDays: result?.timeToResponseDays, completeResponseIWGDay: result?.completeResponseIWG?.firstDay,
            completeResponseProtocolLiteralDay: result?.completeResponseProtocolLiteral?.firstDay, crDiscordant: result?.crDiscordant ?? false,
            durationOfResponse: dor, daysInResponse: result?.timeInResponse.daysInResponse ?? 0, daysObserved: result?.timeInResponse.daysObserved ?? 0,
            lossOfResponseDay: result?.lossOfResponse?.day, maxCRSGrade: crs, maxICANSGrade: icans,
            crsOnsetDay: input.episodes.first { $0.syndrome == "CRS" }.flatMap { day($0.onset) },
            icansOnsetDay: input.episodes.first { $0.syndrome == "ICANS" }.flatMap { day($0.onset) },
            seriousEventDays: input.events.filter(\.serious).compactMap { day($0.onset) },
            adverseEvents: input.events.count, seriousAdverseEvents: input.events.filter(\.serious).count,
            worstAdverseEventGrade: (input.events.map(\.grade) + input.episodes.map(\.maxGrade)).max(),
            maxBleedingScore: r.bleeding.compactMap(\.score).max(), bleedingAssessmentsWithBleeding: r.bleeding.filter(\.present).count,
            severeBleeding: r.bleeding.contains { $0.present && $0.severe }, plateletTransfusions: r.transfusions.count,
            rescueTherapies: r.rescues.count, sources: sources.sorted { ($0.date, $0.formOID) < ($1.date, $1.formOID) },
            problems: r.problems + (d0 == nil ? ["No CAR-T infusion recorded: not in the analysis population."] : []))
        var out = p
        out.itpBat = r.itpBat.map { .init(visitID: $0.source.visitID, date: $0.source.date, day: day($0.source.date), skin: $0.assessment.skin,
                                          mucosae: $0.assessment.mucosae, organs: $0.assessment.organs) }
        let treatment = out.itpBat.filter { ($0.day ?? -1) >= 0 }
        if !treatment.isEmpty {
            out.worstITPBAT = StudyOutcomes.BleedingToolPoint(visitID: "", date: treatment[0].date, day: nil, skin: treatment.map(\.skin).max() ?? 0,
                                                              mucosae: treatment.map(\.mucosae).max() ?? 0, organs: treatment.map(\.organs).max() ?? 0).notation
        }
        return (out, result)
    }

    /// SHA-256 of the response settings as canonical JSON: two reports with the same digest used the same rules.
    static func settingsDigest(_ settings: ResponseSettings) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(settings)) ?? Data()
        return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// Median of sorted whole days (mean of the middle two for an even count).
    public static func median(_ sorted: [Int]) -> Double? { StudyOutcomes.median(sorted.map(Double.init)) }

    /// Kaplan–Meier of DoR method (a) over the responders, through the `km` calculator.
    static func duration(_ subjects: [KaplanMeierCalculator.Subject]) -> StudyOutcomes.DurationSummary? {
        guard !subjects.isEmpty,
              let km = try? KaplanMeierCalculator.compute(.init(subjects: subjects, timeUnit: "days", atRiskTimes: StudyOutcomes.DurationSummary.atRiskDays))
        else { return nil }
        return .init(responders: subjects.count, events: km.numberOfEvents, medianDays: km.medianSurvival.time,
                     medianLower: km.medianSurvival.lowerConfidenceLimit, medianUpper: km.medianSurvival.upperConfidenceLimit,
                     steps: km.table.map { .init(time: $0.time, atRisk: $0.numberAtRisk, events: $0.numberOfEvents, censored: $0.numberCensored,
                                                 survival: $0.survival, lower: $0.lowerConfidenceLimit, upper: $0.upperConfidenceLimit) },
                     atRisk: km.atRisk.map(\.numberAtRisk))
    }

    /// One participant's entries of the incidence table: logged events and CRS/ICANS episodes from the assessments,
    /// keyed by term so they merge (a participant counts once per term, at the worst grade of either).
    static func incidence(of input: Input) -> [Accumulator.Contribution.Incidence] {
        // "Other, specify" terms are told apart by what was specified (ICANS is not any other nervous-system event).
        func key(_ term: String, _ code: String, _ specify: String?) -> String {
            "\(term)\(specify.map { ": \($0)" } ?? "")|\(code)"
        }
        let logged = input.events.map { Accumulator.Contribution.Incidence(key: key($0.term, $0.meddraCode, $0.term.hasSuffix("specify") ? $0.specify : nil),
                                                                           grade: $0.grade, serious: $0.serious) }
        let derived = input.episodes.map { Accumulator.Contribution.Incidence(key: key($0.term, $0.meddraCode, $0.term.hasSuffix("specify") ? $0.syndrome : nil),
                                                                              grade: $0.maxGrade, serious: false) }
        return logged + derived
    }

    static func incidence(_ worst: [String: [String: (grade: Int, serious: Bool)]]) -> [StudyOutcomes.TermIncidence] {
        worst.map { key, bySubject in
            let parts = key.split(separator: "|", maxSplits: 1).map(String.init)
            var grades = [0, 0, 0, 0, 0]
            for g in bySubject.values where (1...5).contains(g.grade) { grades[g.grade - 1] += 1 }
            return StudyOutcomes.TermIncidence(term: parts[0], meddraCode: parts.count > 1 ? parts[1] : "", participants: bySubject.count,
                                               byWorstGrade: grades, serious: bySubject.values.filter(\.serious).count)
        }.sorted { ($0.participants, $1.term) > ($1.participants, $0.term) }
    }

    /// One participant's episodes of a syndrome, relative to Day 0 (nil without episodes or without Day 0).
    static func syndrome(_ input: Input, _ name: String) -> Accumulator.Contribution.Syndrome? {
        let episodes = input.episodes.filter { $0.syndrome == name }
        guard let first = episodes.first, let d0 = input.record.chain.dayZero else { return nil }
        return .init(maxGrade: episodes.map(\.maxGrade).max() ?? 0, onsetDay: d0.days(to: first.onset),
                     durationDays: episodes.compactMap { e in e.resolution.map { e.onset.days(to: $0) } })
    }

    static func add(_ syndrome: Accumulator.Contribution.Syndrome?, into out: inout StudyOutcomes.SyndromeSummary) {
        guard let syndrome else { return }
        out.participants += 1
        if (1...5).contains(syndrome.maxGrade) { out.byMaxGrade[syndrome.maxGrade - 1] += 1 }
        out.onsetDays.append(syndrome.onsetDay)
        out.durationDays += syndrome.durationDays
    }
}
