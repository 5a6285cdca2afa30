import CartaCore
import CartaModel
import CartaStudy
import CartaTrial
import CartaWeb
import Foundation
import Hummingbird

/// The query parameters the lists share, read the same way by the web pages and the API: a bad one is refused by name
/// rather than ignored or read as its default.
extension CartaServices {
    /// Refuses a parameter the list does not know by name: a mistyped filter (`subject` where the route reads
    /// `subjectID`) was ignored, and the list came back unfiltered as if it had matched.
    static func refuseUnknownParameters<Parameters: Sequence>(_ parameters: Parameters, known: [String]) throws
        where Parameters.Element == (key: Substring, value: Substring) {
        for (key, _) in parameters where !known.contains(String(key)) {
            let name = String(key.prefix(40))
            throw AppError.invalid(name, "\(name.quotedForMessage) is not a parameter of this list; it takes \(known.joined(separator: ", ")). Nothing was filtered.")
        }
    }

    /// The participant lists' status filter (web and API): empty is every status, anything else is refused by name.
    static func statusParameter(_ text: String?) throws -> ParticipantStatus? {
        guard let text, !text.isEmpty else { return nil }
        guard let status = ParticipantStatus(rawValue: text) else {
            throw AppError.invalid("status", "status must be one of \(ParticipantStatus.allCases.map(\.rawValue).joined(separator: ", ")) (got \(text.quotedForMessage)).")
        }
        return status
    }

    /// The participant lists' search (web and API): part of a subject ID, at most 40 visible characters.
    static func subjectSearch(_ text: String?) throws -> String {
        let subject = (text ?? "").trimmingCharacters(in: .whitespaces)
        guard subject.count <= 40, !subject.hasControlOrInvisibleCharacters() else {
            throw AppError.invalid("subject", "subject must be at most 40 visible characters of a subject ID (got \(subject.quotedForMessage)).")
        }
        return subject
    }

    /// A list's `page` parameter: a whole number from 1 (1 when absent), refused by name otherwise.
    static func pageParameter(_ page: String?) throws -> Int {
        guard let page, !page.isEmpty else { return 1 }
        guard page.utf8.count <= 9, let n = Int(page), n >= 1 else {
            throw AppError.invalid("page", "page must be a whole number from 1 (got \(page.quotedForMessage)).")
        }
        return n
    }
}
