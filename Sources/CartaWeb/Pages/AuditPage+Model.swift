import Foundation

/// The audit trail: one page of events and the result of verifying the hash chain.
///
/// Source: issue 2 §4 (who, when, what, why, source; SHA-256 chain; `carta audit verify`).
public enum AuditPage {
    /// How the trail names a record's entity when it has no subject: a generated UUID by its first 8 characters
    /// (enough to tell records apart on a page; the CSV and the archive carry it whole), any other ID (a user name,
    /// a study ID) whole — cutting "demo-coordinator" to "demo-coordin" read as a different name.
    public static func shortEntityID(_ id: String) -> String {
        id.count == 36 && UUID(uuidString: id) != nil ? String(id.prefix(8)) + "…" : id
    }

    /// What the audit page shows.
    public struct Model: PageModel, Equatable {
        /// Template `audit.mustache`.
        public static let template = "audit"
        /// Document title.
        public let title = "Audit trail"
        /// The events of this page, in the order given (normally by sequence number).
        public let events: [Event]
        /// Whether there are events (the table is shown only then).
        public let hasEvents: Bool
        /// The chain verification result.
        public let chain: ChainStatus
        /// E.g. "Events 1–50 of 123".
        public let rangeText: String
        /// Link to the previous (older-numbered) page, if any.
        public let previousHref: String?
        /// Link to the next page, if any.
        public let nextHref: String?
        /// The review filters as typed, their problems, and the CSV export of the same selection.
        public let filters: Filters
        /// The sign-off form for this selection (reviewers only, when it holds records).
        public let signOff: SignOffForm?
        /// Signed-off reviews, newest first.
        public let reviews: [Review]
        /// Whether any review has been signed off.
        public let hasReviews: Bool
        /// The redaction form (data managers only).
        public let redactForm: RedactForm?
        /// The ODM archive download, for roles that may export it.
        public let archiveHref: String?

        /// Creates the model for page `page` (1-based) of `pageSize` records out of `total`; `pageRecords` is how many
        /// records the page's lines hold (a line can be a value with its parts), `events.count` when nil.
        public init(events: [Event], pageRecords: Int? = nil, chain: ChainStatus, page: Int, pageSize: Int, total: Int, filters: Filters = Filters(),
                    signOff: SignOffForm? = nil, reviews: [Review] = [], redactForm: RedactForm? = nil, archiveHref: String? = nil) {
            self.redactForm = redactForm
            self.archiveHref = archiveHref
            self.filters = filters
            self.signOff = signOff
            self.reviews = reviews
            self.hasReviews = !reviews.isEmpty
            self.events = events
            hasEvents = !events.isEmpty
            self.chain = chain
            let first = total == 0 ? 0 : (page - 1) * pageSize + 1
            let last = min(total, (page - 1) * pageSize + (pageRecords ?? events.count))
            rangeText = total == 0 ? "No events" : "Events \(first)–\(last) of \(total)"
            previousHref = page > 1 ? WebPaths.audit + "?" + filters.query + "page=\(page - 1)" : nil
            nextHref = last < total ? WebPaths.audit + "?" + filters.query + "page=\(page + 1)" : nil
        }
    }

    /// One audit event.
    public struct Event: Sendable, Equatable {
        /// Sequence number in the chain (the first record of the line).
        public let seq: Int
        /// The last record's number when the line is a value saved with its parts (unit, standardised value, limits).
        public let seqThrough: Int?
        /// Time with UTC offset, e.g. "2026-11-25T10:15:03Z" or "2026-11-25 11:15:03 +01:00".
        public let time: String
        /// Who made the change.
        public let user: String
        /// web, api, cli or import.
        public let source: String
        /// The entity changed, e.g. "participant BCRITP-001".
        public let entity: String
        /// The field changed, e.g. "HGB".
        public let field: String
        /// The stored path, for the technically minded (shown small under the label).
        public let fieldPath: String?
        /// Value before ("" when created).
        public let oldValue: String
        /// Value after.
        public let newValue: String
        /// Reason for change, if given.
        public let reason: String
        /// Who redacted this record's values, when and why (nil when not redacted: Mustache treats "" as true).
        public let redaction: String?

        /// Creates an event row.
        public init(seq: Int, seqThrough: Int? = nil, time: String, user: String, source: String, entity: String,
                    field: String, fieldPath: String? = nil, oldValue: String, newValue: String, reason: String, redaction: String? = nil) {
            self.seqThrough = seqThrough
            self.redaction = redaction
            self.fieldPath = fieldPath
            self.seq = seq
            self.time = time
            self.user = user
            self.source = source
            self.entity = entity
            self.field = field
            self.oldValue = oldValue
            self.newValue = newValue
            self.reason = reason
        }
    }

    /// The form that signs off the review of the current selection (standards.md R-AT-5): the scope in
    /// words, the fixed meaning, password (and code with a second factor) and an optional comment.
    public struct SignOffForm: Sendable, Equatable {
        /// The selection in words ("participant BCRITP-001 · changes after a signature or lock").
        public let scope: String
        /// How many records the sign-off covers now.
        public let recordCount: Int
        public let meaning: String
        public let signerName: String
        public let needsCode: Bool
        public init(scope: String, recordCount: Int, meaning: String, signerName: String, needsCode: Bool) {
            self.scope = scope; self.recordCount = recordCount; self.meaning = meaning; self.signerName = signerName; self.needsCode = needsCode
        }
    }

    /// Redacting one record's values (standards.md R-AT-3): sequence number, justification, password (and code).
    public struct RedactForm: Sendable, Equatable {
        public let needsCode: Bool
        public init(needsCode: Bool) { self.needsCode = needsCode }
    }

    /// One signed-off review.
    public struct Review: Sendable, Equatable {
        public let scope: String
        /// Link to the audit view of the same scope.
        public let href: String
        public let records: String
        public let reviewer: String
        public let signedAt: String
        public let meaning: String
        /// The reviewer's findings (nil when none: Mustache treats "" as true).
        public let comment: String?
        public let contentHash: String
        public init(scope: String, href: String, records: String, reviewer: String, signedAt: String, meaning: String,
                    comment: String?, contentHash: String) {
            self.scope = scope; self.href = href; self.records = records; self.reviewer = reviewer; self.signedAt = signedAt
            self.meaning = meaning; self.comment = comment; self.contentHash = contentHash
        }
    }

    /// The review filters (issue 7 scope 8): participant, form, item, user, site-calendar dates, and
    /// "changes after a signature or lock".
    public struct Filters: Sendable, Equatable {
        public let subject: String
        public let forms: [SelectOption]
        public let item: String
        public let user: String
        public let from: String
        public let to: String
        /// Only changes after a signature or lock.
        public let afterSignatureOrLock: Bool
        /// Why the filters were refused, if they were.
        public let error: String?
        /// The filters as a query string ending in `&` (empty without filters), for paging links.
        public let query: String
        /// The CSV export of the same selection.
        public let exportHref: String

        public init(subject: String = "", forms: [SelectOption] = [], item: String = "", user: String = "", from: String = "",
                    to: String = "", afterSignatureOrLock: Bool = false, error: String? = nil) {
            self.subject = subject; self.forms = forms; self.item = item; self.user = user; self.from = from; self.to = to
            self.afterSignatureOrLock = afterSignatureOrLock
            self.error = error
            let form = forms.first { $0.selected && !$0.value.isEmpty }?.value ?? ""
            let pairs = [("subject", subject), ("form", form), ("item", item), ("user", user), ("from", from), ("to", to),
                         ("after_signature_or_lock", afterSignatureOrLock ? "1" : "")]
                .filter { !$0.1.isEmpty }
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._")
            query = pairs.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")&" }.joined()
            exportHref = WebPaths.audit + ".csv" + (query.isEmpty ? "" : "?" + String(query.dropLast()))
        }
    }

    public struct ChainStatus: Sendable, Equatable {
        /// `verified` or `broken` (for `data-chain` and styling).
        public let code: String
        /// Whether the chain verified.
        public let intact: Bool
        /// E.g. "Hash chain verified: 123 events." or "Chain broken at event 17: hash mismatch."
        public let message: String

        /// A verified chain of `count` events.
        public static func verified(count: Int) -> ChainStatus {
            ChainStatus(code: "verified", intact: true, message: "Hash chain verified: \(count) events, no broken link.")
        }

        /// A chain broken at event `seq`.
        public static func broken(atSeq seq: Int, detail: String) -> ChainStatus {
            ChainStatus(code: "broken", intact: false, message: "Hash chain broken at event \(seq): \(detail)")
        }
    }
}
