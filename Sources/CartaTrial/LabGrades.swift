import CartaCore
import CartaModel
import CartaStudy

/// The CTCAE v5.0 grade of every graded laboratory value a participant has, with its baseline grade: what
/// the visit page shows beside each value on entry, what raises a grade ≥ 3 alert on the today screen, and
/// what the outcome derivation counts as treatment-emergent worsening. Pure: read from values.
///
/// Source: spec/clinical.md §4.1–4.2 (CTCAE v5.0 laboratory criteria, baseline rules, "grade only on
/// standardized values", a missing LLN/ULN makes the grade not computable rather than 0); issue 8 scope 6
/// ("the CTCAE grade shown on entry"); issue 9 scope 1 ("treatment-emergent lab worsening").
public struct LabGrades: Sendable {
    public struct Graded: Sendable, Hashable {
        public var visitID: String
        public var formOID: String
        public var itemOID: String
        public var date: ClinicalDate?
        public var term: CTCAELabTerm
        public var value: Double
        public var grade: Int?
        public var baselineGrade: Int?
        /// Grade above the baseline grade (nil when either is not computable or there is no baseline).
        public var worsening: Bool?
        /// What the grade was decided with besides the value: the reference limits and the baseline value.
        public var lowerLimitNormal: Double?
        public var upperLimitNormal: Double?
        public var baseline: Double?

        /// "CTCAE v5.0 Neutrophil count decreased: grade 3 (< 1.0 – 0.5)" or why it is not computable: the grader
        /// asked again with its explanations, only when shown (a whole-study derivation grades every value and
        /// shows no text; the grader is pure, so the words explain the grade stored as long as the value, limits and
        /// baseline are the ones it was graded with, as `LabGrades` leaves them).
        public var text: String {
            let a = CTCAELabGrader.grade(term, value: value, lowerLimitNormal: lowerLimitNormal, upperLimitNormal: upperLimitNormal, baseline: baseline)
            let what = "CTCAE v5.0 \(term.ctcaeTerm): "
            return grade.map { what + "grade \($0)" + (a.decidingThreshold.map { " (\($0))" } ?? "") }
                ?? what + "not graded — \(a.grade.notComputableReason ?? a.rule)"
        }
    }

    /// Every graded value in visit-date order (screening first).
    public var values: [Graded] = []

    /// The lab terms graded for an analyte (both directions for lymphocytes).
    static let termsByAnalyte: [Analyte: [CTCAELabTerm]] = Dictionary(grouping: CTCAELabTerm.allCases.filter { $0 != .cd4LymphocytesDecreased }, by: \.analyte)

    /// `baselineBefore`: values dated before this day (the first lymphodepletion) are baseline candidates;
    /// the latest of them is the baseline (spec §4.2 [D]: baseline = last value before lymphodepletion).
    /// `gradedItems`: `LabGrades.gradedItems(study)`, computed once by callers that grade many participants.
    public init(file: ParticipantFile, study: Study, visitDates: [String: ClinicalDate], baselineBefore: ClinicalDate?,
                gradedItems: [String: Analyte]? = nil) {
        let screeningVisit = study.schedule.visits.first?.id ?? ""
        let items = gradedItems ?? Self.gradedItems(study)
        struct Raw { var visit: String; var form: String; var item: String; var date: ClinicalDate?; var value: MeasuredValue; var analyte: Analyte }
        var raw: [Raw] = []
        for v in file.values {
            guard let analyte = items[v.address.itemOID.rawValue], let m = v.value, m.standardValue != nil else { continue }
            let visit = v.address.eventOID == .screening ? screeningVisit : v.address.eventOID.rawValue
            raw.append(Raw(visit: visit, form: v.address.formOID.rawValue, item: v.address.itemOID.rawValue, date: visitDates[visit], value: m, analyte: analyte))
        }
        // Undated values sort last (their visit date is not recorded yet).
        let undated = Int.max
        raw.sort { ($0.date?.dayNumber ?? undated, $0.visit) < ($1.date?.dayNumber ?? undated, $1.visit) }
        var baseline: [Analyte: Double] = [:]
        for r in raw {
            guard let x = r.value.standardValue else { continue }
            let isBaseline = r.visit == screeningVisit || (baselineBefore.map { d in r.date.map { $0 < d } ?? false } ?? false)
            let terms = Self.termsByAnalyte[r.analyte] ?? []
            let base = isBaseline ? x : baseline[r.analyte]
            let lln = r.value.lowerLimitNormal, uln = r.value.upperLimitNormal
            for term in terms {
                let a = CTCAELabGrader.grades(term, value: x, lowerLimitNormal: lln, upperLimitNormal: uln, baseline: base)
                // An increased-direction term that grades 0 for a low value (and vice versa) adds nothing beside its partner.
                if terms.count > 1, a.grade == 0 { continue }
                values.append(Graded(visitID: r.visit, formOID: r.form, itemOID: r.item, date: r.date, term: term, value: x, grade: a.grade,
                                     baselineGrade: a.baselineGrade, worsening: a.worsening,
                                     lowerLimitNormal: lln, upperLimitNormal: uln, baseline: base))
            }
            if isBaseline { baseline[r.analyte] = x }
        }
    }

    /// The items whose values have a CTCAE laboratory term, by OID.
    public static func gradedItems(_ study: Study) -> [String: Analyte] {
        var items: [String: Analyte] = [:]
        for form in study.forms { for item in form.items { if let a = item.analyte, termsByAnalyte[a] != nil { items[item.oid] = a } } }
        return items
    }

    /// Treatment-emergent worsening: per term, the worst grade after baseline that is above the baseline grade.
    public func worsening(after start: ClinicalDate?) -> [CTCAELabTerm: (baseline: Int, worst: Int)] {
        guard let start else { return [:] }
        var out: [CTCAELabTerm: (baseline: Int, worst: Int)] = [:]
        for g in values where g.worsening == true {
            guard let d = g.date, d >= start, let grade = g.grade, let base = g.baselineGrade else { continue }
            if grade > out[g.term]?.worst ?? -1 { out[g.term] = (base, grade) }
        }
        return out
    }

    /// The grade texts of one visit by "FORM/ITEM" (what the visit page shows beside each value).
    public func texts(visitID: String) -> [String: String] {
        var out: [String: String] = [:]
        for g in values where g.visitID == visitID {
            let key = "\(g.formOID)/\(g.itemOID)"
            out[key] = out[key].map { $0 + "; " + g.text } ?? g.text
        }
        return out
    }
}
