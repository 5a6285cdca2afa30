import Foundation
import CartaCore

/// Why a saved value was changed: a coded reason plus free text, required for every change to a value
/// once it has been saved, next to that value.
///
/// Source: issue 7 scope 3; standards.md R-RC-1 (ICH E6(R3) 4.2.4: changes after first save need a
/// reason from a coded list plus free text); 21 CFR 11.10(e) (the audit trail keeps why). Stored in the
/// audit record's `reason` as `code` or `code: text`, so both the code and the words survive.
public struct ChangeReason: Sendable, Equatable, Hashable, Codable {
    /// The coded reasons, as common EDC systems list them.
    public enum Code: String, Sendable, Codable, CaseIterable {
        /// The value was typed or copied wrongly.
        case transcriptionError = "transcription_error"
        /// The source document was corrected or updated.
        case sourceUpdated = "source_updated"
        /// A result or information arrived after the first entry.
        case newInformation = "new_information"
        /// Answering a data query.
        case queryResponse = "query_response"
        /// Anything else; the text must say what.
        case other

        /// The words shown in forms and in the audit trail.
        public var label: String {
            switch self {
            case .transcriptionError: return "Transcription error"
            case .sourceUpdated: return "Source document corrected or updated"
            case .newInformation: return "New information or late result"
            case .queryResponse: return "Response to a data query"
            case .other: return "Other (say what)"
            }
        }
    }

    /// The coded reason.
    public var code: Code
    /// The person's own words (required for `other`), trimmed; nil when none.
    public var text: String?

    /// Creates a reason; blank text counts as none.
    public init(code: Code, text: String? = nil) {
        self.code = code
        let t = text?.trimmingCharacters(in: .whitespacesAndNewlines)
        self.text = t?.isEmpty == false ? t : nil
    }

    enum CodingKeys: String, CodingKey { case code, text }

    /// Decodes `{"code": "transcription_error", "text": "…"}`; an unknown code is refused with the list.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let raw = try c.decode(String.self, forKey: .code)
        guard let code = Code(rawValue: raw) else {
            throw DecodingError.dataCorruptedError(forKey: .code, in: c,
                debugDescription: "reason code must be one of \(Self.codeList) (got \(raw.quotedForMessage))")
        }
        self.init(code: code, text: try c.decodeIfPresent(String.self, forKey: .text))
    }

    /// The problem with this reason, if any: `other` needs words; text stays short and printable.
    public var problem: String? {
        if code == .other && text == nil { return "a reason \"other\" needs a few words saying what changed and why" }
        if let text {
            if text.count > 500 { return "the reason text must be at most 500 characters" }
            if text.hasControlOrInvisibleCharacters(allowingLineBreaks: false) { return "the reason text contains control or invisible characters" }
        }
        return nil
    }

    /// The stored form: `code` or `code: text`.
    public var stored: String { text.map { "\(code.rawValue): \($0)" } ?? code.rawValue }

    /// Parses the stored form (also what the CLI's `--reason` takes); nil when the code is unknown.
    public init?(stored: String) {
        let parts = stored.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = parts.first, let code = Code(rawValue: first) else { return nil }
        self.init(code: code, text: parts.count > 1 ? parts[1] : nil)
    }

    /// How it reads in the audit trail: "Transcription error — the lab report says 120".
    public var display: String { text.map { "\(code.label) — \($0)" } ?? code.label }

    /// A stored reason for display: the coded form when it parses, else the text as recorded
    /// (audit records written before the coded list).
    public static func display(stored: String) -> String {
        ChangeReason(stored: stored)?.display ?? stored
    }

    /// The stored form of a reason as `display` shows it (what an ODM archive's ReasonForChange holds); text
    /// that is no coded reason's display is returned as it is.
    public static func stored(display: String) -> String {
        for code in Code.allCases {
            if display == code.label { return code.rawValue }
            let prefix = code.label + " — "
            if display.hasPrefix(prefix) { return ChangeReason(code: code, text: String(display.dropFirst(prefix.count))).stored }
        }
        return display
    }

    /// The codes for an error message: `transcription_error, source_updated, …`.
    public static var codeList: String { Code.allCases.map(\.rawValue).joined(separator: ", ") }
}
