import CartaModel
import Foundation

/// The audit trail as CSV for reviewers and inspectors: readable labels beside the stored paths, UTC
/// times, coded reasons spelled out. RFC 4180 quoting; cells that a spreadsheet would run as a formula
/// are prefixed with an apostrophe (OWASP "CSV Injection").
///
/// Source: issue 7 scope 8 ("export with readable labels"); standards.md R-AT-4, R-AT-6.
enum AuditCSV {
    static let header = "seq,time_utc,user,source,subject_id,entity,entity_id,field,field_path,old_value,new_value,reason_code,reason,redaction\r\n"

    static func row(_ e: AuditEvent, subject: String, fieldLabel: String) -> String {
        let reason = e.reason.flatMap(ChangeReason.init(stored:))
        let cells = [String(e.seq), e.at, e.username, e.source.rawValue, subject, e.entity.rawValue, e.entityID, fieldLabel, e.field,
                     e.oldValue ?? "", e.newValue ?? "", reason?.code.rawValue ?? "", reason?.display ?? e.reason ?? "", e.redaction ?? ""]
        return cells.map(cell).joined(separator: ",") + "\r\n"
    }

    static func cell(_ text: String) -> String {
        var t = text
        if let first = t.first, "=+-@\t\r".contains(first) { t = "'" + t }
        guard t.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return t }
        return "\"" + t.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
