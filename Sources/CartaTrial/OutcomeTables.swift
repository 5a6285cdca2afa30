import CartaCore
import CartaModel

/// The analysis-ready tables of the derivation as CSV (RFC 4180): one row per participant, per
/// response assessment, per duration-of-response interval and per adverse event term and participant.
///
/// Source: issue 9 scope 1 ("analysis-ready tables (subject-level, response by visit, time-to-event,
/// adverse events) export as CSV"); RFC 4180 (quoting); CDISC ADaM naming habits (one record per subject
/// in the subject-level table, AVAL/CNSR in the time-to-event table).
///
/// Every table ends with a `SYNTHETIC` column (`Y` on every row of a `carta demo` database, `N` otherwise), so rows
/// copied out of a demonstration database carry their mark into whatever they are pasted or appended into (issue 9
/// scope 3: synthetic data can never be mixed with real data); the downloads' file names say it too.
public enum OutcomeTables {
    public enum Table: String, CaseIterable, Sendable {
        case subjects, visits, tte, ae, conmed, qs
    }

    public static func csv(_ table: Table, _ o: StudyOutcomes) -> String {
        var out = line(header(table))
        switch table {
        case .ae: out += studyRows(o).map(line).joined()
        default: for p in o.participants { out += rows(table, p, synthetic: o.synthetic).map(line).joined() }
        }
        return out
    }

    /// The table's column names.
    public static func header(_ table: Table) -> [String] { columns(table) + ["SYNTHETIC"] }

    static func columns(_ table: Table) -> [String] {
        switch table {
        case .subjects:
            return ["USUBJID", "SITEID", "DAY0", "BASELINE_PLT", "BOR", "STATUS_M6", "TTR_DAYS", "CR_IWG_DAY", "CR_LITERAL_DAY", "CR_DISCORDANT",
                    "DOR_DAYS", "DOR_EVENT", "DOR_END", "DAYS_IN_RESPONSE", "DAYS_OBSERVED", "MAX_CRS", "MAX_ICANS", "AE_N", "SAE_N",
                    "WORST_AE_GRADE", "MAX_BLEED_SCORE", "SEVERE_BLEED", "ITPBAT_WORST", "PLT_TRANSFUSIONS", "RESCUES",
                    "CM_REDUCTION", "CM_DISCONTINUED", "CM_FAILURE", "STEROID_BASE_MG", "STEROID_PCHG_M3", "STEROID_PCHG_M6", "PAQ_FORMS", "LAB_WORSENING", "EOS_STATUS", "EOS_DAY"]
        case .visits: return ["USUBJID", "VISIT", "FORM", "ITEM", "DATE", "DAY", "VALUE", "AVAL", "AVALU", "STATUS", "BASIS", "RULES"]
        case .tte: return ["USUBJID", "PARAMCD", "AVAL", "CNSR", "EVNTDESC"]
        case .ae: return ["TERM", "MEDDRA", "PARTICIPANTS", "WORST_G1", "WORST_G2", "WORST_G3", "WORST_G4", "WORST_G5", "SERIOUS"]
        case .conmed: return ["USUBJID", "DRUG", "CLASS", "INTENSITY_UNIT", "BASELINE", "REDUCTION_DAY", "REDUCTION50_DAY", "DISCONTINUATION_DAY",
                              "DAYS_OFF", "DAYS_REDUCED", "PCHG_M3", "PCHG_M6", "INCREASED", "NEW_DRUG"]
        case .qs: return ["USUBJID", "VISIT", "DATE", "DAY", "VERSION", "LANGUAGE", "ANSWERED", "ITEMS", "SCALE", "SCORE", "STATUS"]
        }
    }

    /// One participant's rows of a per-participant table (none for `ae`, which is study-level); `synthetic` says whether
    /// the database holds demonstration data (`CartaStore.isSynthetic`, `StudyOutcomes.synthetic`).
    public static func rows(_ table: Table, _ p: StudyOutcomes.Participant, synthetic: Bool) -> [[String]] {
        cells(table, p).map { $0 + [flag(synthetic)] }
    }

    static func cells(_ table: Table, _ p: StudyOutcomes.Participant) -> [[String]] {
        switch table {
        case .subjects:
            let dor = p.durationOfResponse
            let first: [String] = [p.subjectID, p.siteID, p.dayZero?.description ?? "", num(p.baseline), p.bestOverallResponse ?? "", p.statusAtMonth6 ?? "",
                                   int(p.timeToResponseDays), int(p.completeResponseIWGDay), int(p.completeResponseProtocolLiteralDay), flag(p.crDiscordant)]
            let second: [String] = [int(dor?.days), dor.map { flag($0.event) } ?? "", dor?.end ?? "", String(p.daysInResponse), String(p.daysObserved),
                                    int(p.maxCRSGrade), int(p.maxICANSGrade), String(p.adverseEvents), String(p.seriousAdverseEvents)]
            let third: [String] = [int(p.worstAdverseEventGrade), int(p.maxBleedingScore), flag(p.severeBleeding), p.worstITPBAT ?? "", String(p.plateletTransfusions), String(p.rescueTherapies)]
            let cm = p.concomitantTherapy
            let fourth: [String] = [cm.map { flag($0.anyReduction) } ?? "", cm.map { flag($0.anyDiscontinuation) } ?? "", cm.map { flag($0.treatmentFailure) } ?? "",
                                    num(cm?.steroidBaselineMgPerDay), num(cm?.steroidPercentChangeMonth3), num(cm?.steroidPercentChangeMonth6), String(p.questionnaires.count),
                                    p.labWorsening.map { "\($0.term) \($0.baselineGrade)>\($0.worstGrade)" }.joined(separator: "; "),
                                    p.endOfStudy ?? "", int(p.endOfStudyDay)]
            return [first + second + third + fourth]
        case .conmed:
            return (p.concomitantTherapy?.drugs ?? []).map { d in
                [p.subjectID, d.drug, d.drugClass, d.intensityUnit, num(d.baselineIntensity), int(d.reductionDay), int(d.secondaryReductionDay), int(d.discontinuationDay),
                 String(d.daysOff), String(d.daysReduced), num(d.percentChangeMonth3), num(d.percentChangeMonth6), flag(d.increased), flag(d.newDrug)]
            }
        case .qs:
            // One row per scale when scored; otherwise one row per form (completion only, SCALE empty).
            return p.questionnaires.flatMap { q -> [[String]] in
                let head = [p.subjectID, q.visitID, q.date.description, int(q.day), q.version, q.language, String(q.answered), String(q.items)]
                return q.scales.isEmpty ? [head + ["", "", "unscored"]] : q.scales.map { head + [$0.scale, num($0.score), $0.status] }
            }
        case .visits:
            return p.sources.map { s in
                [p.subjectID, s.visitID, s.formOID, s.itemOID, s.date.description, int(s.day), s.value, num(s.number), s.number == nil ? "" : s.unit ?? "", s.status ?? "", s.basis ?? "", s.rules.joined(separator: " ")]
            }
        case .tte:
            var out: [[String]] = []
            if let d = p.durationOfResponse { out.append([p.subjectID, "DOR", String(d.days), d.event ? "0" : "1", d.end]) }
            // Time to response for every treated participant: non-responders censored at their last evaluable day.
            if let t = p.timeToResponseDays { out.append([p.subjectID, "TTR", String(t), "0", "response"]) }
            else if p.dayZero != nil { out.append([p.subjectID, "TTR", String(p.daysObserved), "1", "no response by the last evaluable assessment"]) }
            return out
        case .ae: return []
        }
    }

    /// The study-level rows (the `ae` table).
    public static func studyRows(_ o: StudyOutcomes) -> [[String]] {
        o.adverseEventsByTerm.map { t in [t.term, t.meddraCode, String(t.participants)] + t.byWorstGrade.map(String.init) + [String(t.serious), flag(o.synthetic)] }
    }

    /// One CSV line with its CRLF.
    public static func line(_ cells: [String]) -> String { cells.map(quote).joined(separator: ",") + "\r\n" }

    static func int(_ x: Int?) -> String { x.map(String.init) ?? "" }
    static func num(_ x: Double?) -> String { x.map { $0 == $0.rounded() ? String(Int($0)) : String($0) } ?? "" }
    static func flag(_ b: Bool) -> String { b ? "Y" : "N" }

    /// RFC 4180 quoting; a leading = + - @ TAB CR is prefixed with ' so a spreadsheet never runs it as a formula (OWASP CSV injection).
    public static func quote(_ s: String) -> String {
        var v = s
        if let f = v.first, "=+-@\t\r".contains(f), Double(v) == nil { v = "'" + v }
        guard v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return v }
        return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
