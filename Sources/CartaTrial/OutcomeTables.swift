import CartaCore
import CartaModel

/// The analysis-ready tables of the derivation as CSV (RFC 4180): one row per participant, per
/// response assessment, per duration-of-response interval and per adverse event term and participant.
///
/// Source: issue 9 scope 1 ("analysis-ready tables (subject-level, response by visit, time-to-event,
/// adverse events) export as CSV"); RFC 4180 (quoting); CDISC ADaM naming habits (one record per subject
/// in the subject-level table, AVAL/CNSR in the time-to-event table).
public enum OutcomeTables {
    public enum Table: String, CaseIterable, Sendable {
        case subjects, visits, tte, ae
    }

    public static func csv(_ table: Table, _ o: StudyOutcomes) -> String {
        var rows: [[String]]
        switch table {
        case .subjects:
            rows = [["USUBJID", "SITEID", "DAY0", "BASELINE_PLT", "BOR", "STATUS_M6", "TTR_DAYS", "CR_IWG_DAY", "CR_LITERAL_DAY", "CR_DISCORDANT",
                     "DOR_DAYS", "DOR_EVENT", "DOR_END", "DAYS_IN_RESPONSE", "DAYS_OBSERVED", "MAX_CRS", "MAX_ICANS", "AE_N", "SAE_N",
                     "WORST_AE_GRADE", "MAX_BLEED_SCORE", "SEVERE_BLEED", "PLT_TRANSFUSIONS", "RESCUES"]]
            for p in o.participants {
                rows.append([p.subjectID, p.siteID, p.dayZero?.description ?? "", num(p.baseline), p.bestOverallResponse ?? "", p.statusAtMonth6 ?? "",
                             int(p.timeToResponseDays), int(p.completeResponseIWGDay), int(p.completeResponseProtocolLiteralDay), flag(p.crDiscordant),
                             int(p.durationOfResponse?.days), p.durationOfResponse.map { flag($0.event) } ?? "", p.durationOfResponse?.end ?? "",
                             String(p.daysInResponse), String(p.daysObserved), int(p.maxCRSGrade), int(p.maxICANSGrade), String(p.adverseEvents),
                             String(p.seriousAdverseEvents), int(p.worstAdverseEventGrade), int(p.maxBleedingScore), flag(p.severeBleeding),
                             String(p.plateletTransfusions), String(p.rescueTherapies)])
            }
        case .visits:
            rows = [["USUBJID", "VISIT", "FORM", "ITEM", "DATE", "DAY", "VALUE", "STATUS", "BASIS", "RULES"]]
            for p in o.participants {
                for s in p.sources {
                    rows.append([p.subjectID, s.visitID, s.formOID, s.itemOID, s.date.description, int(s.day), s.value, s.status ?? "", s.basis ?? "",
                                 s.rules.joined(separator: " ")])
                }
            }
        case .tte:
            rows = [["USUBJID", "PARAMCD", "AVAL", "CNSR", "EVNTDESC"]]
            for p in o.participants {
                if let d = p.durationOfResponse { rows.append([p.subjectID, "DOR", String(d.days), d.event ? "0" : "1", d.end]) }
                if let t = p.timeToResponseDays { rows.append([p.subjectID, "TTR", String(t), "0", "response"]) }
            }
        case .ae:
            rows = [["TERM", "MEDDRA", "PARTICIPANTS", "WORST_G1", "WORST_G2", "WORST_G3", "WORST_G4", "WORST_G5", "SERIOUS"]]
            for t in o.adverseEventsByTerm {
                rows.append([t.term, t.meddraCode, String(t.participants)] + t.byWorstGrade.map(String.init) + [String(t.serious)])
            }
        }
        return rows.map { $0.map(quote).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    static func int(_ x: Int?) -> String { x.map(String.init) ?? "" }
    static func num(_ x: Double?) -> String { x.map { $0 == $0.rounded() ? String(Int($0)) : String($0) } ?? "" }
    static func flag(_ b: Bool) -> String { b ? "Y" : "N" }

    /// RFC 4180 quoting; a leading = + - @ is prefixed with ' so a spreadsheet never runs it as a formula (OWASP CSV injection).
    public static func quote(_ s: String) -> String {
        var v = s
        if let f = v.first, "=+-@".contains(f), Double(v) == nil { v = "'" + v }
        guard v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return v }
        return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
