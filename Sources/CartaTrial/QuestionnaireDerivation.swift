import CartaCore
import CartaModel
import CartaStudy

/// ITP-PAQ (registry outcome HRQOL) from the raw responses: completion and raw item summaries always;
/// scale scores, change from baseline and participants beyond the minimal important difference only
/// when a licensed scoring plug-in is installed — the report says which.
///
/// Source: spec/clinical.md §3 (raw integers with item id, version and language; licensed scoring plugged
/// in, never hard-coded; baseline before lymphodepletion, months 1, 3, 6; change from baseline and the
/// count of subjects exceeding the MID per scale).
enum QuestionnaireDerivation {
    static let instrument = "ITP-PAQ"
    /// Raw codes are 0…7 (the form's hard range); one histogram bin per code.
    static let codes = 8

    /// A participant's scored forms, and what could not be scored.
    static func forms(_ r: ParticipantCourseRecord, itemCount: Int, scorer: (any QuestionnaireScorer)?, settings: QuestionnaireSettings) -> ([StudyOutcomes.QuestionnaireForm], [String]) {
        var problems: [String] = []
        let forms = r.questionnaires.map { q -> StudyOutcomes.QuestionnaireForm in
            var scales: [ScaleScore] = []
            if let scorer {
                if let version = q.version, let language = q.language {
                    do {
                        scales = try scorer.score(QuestionnaireResponses(version: version, language: language, sex: r.sex, items: q.items), settings: settings)
                    } catch {
                        problems.append("\(q.source.visitID): the \(instrument) could not be scored by \(scorer.instrument) \(scorer.version): \(error).")
                    }
                } else {
                    problems.append("\(q.source.visitID): the \(instrument) has no version or language; it is not scored (the scoring depends on both).")
                }
            }
            return .init(visitID: q.source.visitID, date: q.source.date, day: r.chain.dayZero.map { $0.days(to: q.source.date) },
                         version: q.version ?? "", language: q.language ?? "", answered: q.items.count, items: itemCount, scales: scales)
        }
        return (forms, problems)
    }

    /// The study-level summary built one participant at a time (histograms, not every response).
    struct Accumulator: Sendable {
        struct Scale: Sendable { var n = 0, sum = 0.0, changes = 0, changeSum = 0.0, improved = 0, mid: Double? }
        struct Visit: Sendable {
            var completed = 0
            var answered: [Int] = []
            var histogram: [[Int]]
            var scales: [String: Scale] = [:]
            var scaleOrder: [String] = []
        }
        let visitOrder: [String]
        let scoredBy: String?
        var visits: [String: Visit]

        init(study: Study, itemCount: Int, scorer: (any QuestionnaireScorer)?) {
            visitOrder = study.schedule.visits.filter { $0.forms.contains(ParticipantCourseRecord.questionnaireForm) }.map(\.id)
            scoredBy = scorer.map { "\($0.instrument) \($0.version)" }
            visits = Dictionary(uniqueKeysWithValues: visitOrder.map { ($0, Visit(histogram: Array(repeating: Array(repeating: 0, count: QuestionnaireDerivation.codes), count: itemCount))) })
        }

        /// `answers` are each form's raw codes by item, in the order of the record's forms.
        mutating func add(_ forms: [StudyOutcomes.QuestionnaireForm], answers: [[(item: Int, code: Int)]], lymphodepletionStart: ClinicalDate?) {
            let baseline = forms.filter { f in lymphodepletionStart.map { f.date <= $0 } ?? false }.max { $0.date < $1.date }
            for (form, items) in zip(forms, answers) {
                guard var v = visits[form.visitID] else { continue }
                v.completed += 1
                v.answered.append(form.answered)
                for (item, code) in items where item >= 1 && item <= v.histogram.count && (0..<QuestionnaireDerivation.codes).contains(code) {
                    v.histogram[item - 1][code] += 1
                }
                for s in form.scales {
                    if v.scales[s.scale] == nil { v.scaleOrder.append(s.scale) }
                    var acc = v.scales[s.scale] ?? Scale(mid: s.minimalImportantDifference)
                    if let score = s.score {
                        acc.n += 1; acc.sum += score
                        if let base = baseline, base != form, let b = base.scales.first(where: { $0.scale == s.scale })?.score {
                            acc.changes += 1; acc.changeSum += score - b
                            if let mid = s.minimalImportantDifference, score - b >= mid { acc.improved += 1 }
                        }
                    }
                    v.scales[s.scale] = acc
                }
                visits[form.visitID] = v
            }
        }

        func finish() -> StudyOutcomes.QuestionnaireSummary {
            let out = visitOrder.compactMap { id -> StudyOutcomes.QuestionnaireVisit? in
                guard let v = visits[id] else { return nil }
                let medians = v.histogram.map(Self.median)
                let scales = v.scaleOrder.compactMap { name -> StudyOutcomes.ScaleSummary? in
                    guard let s = v.scales[name] else { return nil }
                    return .init(scale: name, scored: s.n, meanScore: s.n > 0 ? (s.sum / Double(s.n) * 10).rounded() / 10 : nil, withChange: s.changes,
                                 meanChange: s.changes > 0 ? (s.changeSum / Double(s.changes) * 10).rounded() / 10 : nil, improvedByMID: s.mid == nil ? nil : s.improved)
                }
                return .init(visitID: id, completed: v.completed, medianAnswered: StudyOutcomes.median(v.answered.sorted().map(Double.init)),
                             itemMedians: medians, scales: scales)
            }
            return .init(instrument: QuestionnaireDerivation.instrument, scoredBy: scoredBy, visits: out)
        }

        /// The median code of a histogram (mean of the middle two for an even count).
        static func median(_ histogram: [Int]) -> Double? {
            let n = histogram.reduce(0, +)
            guard n > 0 else { return nil }
            func code(at rank: Int) -> Int {
                var seen = 0
                for (c, k) in histogram.enumerated() { seen += k; if seen > rank { return c } }
                return histogram.count - 1
            }
            return n % 2 == 1 ? Double(code(at: n / 2)) : Double(code(at: n / 2 - 1) + code(at: n / 2)) / 2
        }
    }
}
