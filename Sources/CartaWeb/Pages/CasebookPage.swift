import Mustache

/// The printable casebook of one participant: every recorded value with its units, reference range, last
/// change and source-verification mark; the eligibility decision; every signature with the SHA-256 it is
/// bound to and whether it still stands; every query with its thread; and the audit history. Pseudonymised
/// (subject ID only). A print stylesheet hides navigation and forms.
///
/// Source: issue 7 scope 8 ("a printable casebook per participant with values, audit history, queries and
/// signatures"); standards.md R-CP-1 (human-readable copies for inspection, 21 CFR 11.10(b)); R-ES-1
/// (signature manifestations shown wherever the record is printed, 21 CFR 11.50(b)).
public enum CasebookPage {
    public struct Model: PageModel, Equatable {
        public static let template = "casebook"
        public let title: String
        public let subjectId: String
        public let study: String
        public let site: String
        public let status: String
        public let printedAt: String
        public let printedBy: String
        public let eligibility: String?
        public let forms: [Form]
        public let signatures: [Signature]
        public let hasSignatures: Bool
        public let queries: [Query]
        public let hasQueries: Bool
        /// `nil` when the viewer's role may not read the audit trail.
        public let audit: Audit?

        public init(subjectId: String, study: String, site: String, status: String, printedAt: String, printedBy: String,
                    eligibility: String?, forms: [Form], signatures: [Signature], queries: [Query], audit: Audit?) {
            self.title = "Casebook \(subjectId)"
            self.subjectId = subjectId
            self.study = study
            self.site = site
            self.status = status
            self.printedAt = printedAt
            self.printedBy = printedBy
            self.eligibility = eligibility
            self.forms = forms
            self.signatures = signatures
            self.hasSignatures = !signatures.isEmpty
            self.queries = queries
            self.hasQueries = !queries.isEmpty
            self.audit = audit
        }
    }

    /// One form as recorded at one visit.
    public struct Form: Sendable, Equatable {
        public let visitID: String, visit: String, oid: String, name: String
        public let rows: [Row]
        public init(visitID: String, visit: String, oid: String, name: String, rows: [Row]) {
            self.visitID = visitID; self.visit = visit; self.oid = oid; self.name = name; self.rows = rows
        }
    }

    public struct Row: Sendable, Equatable {
        /// Element id, "cb-<VisitID>-<ItemOID>".
        public let id: String
        public let label: String, value: String, range: String, changed: String, verified: String
        public init(id: String, label: String, value: String, range: String, changed: String, verified: String) {
            self.id = id; self.label = label; self.value = value; self.range = range; self.changed = changed; self.verified = verified
        }
    }

    public struct Signature: Sendable, Equatable {
        public let kind: String, signer: String, at: String, meaning: String, contentHash: String, standing: String
        public init(kind: String, signer: String, at: String, meaning: String, contentHash: String, standing: String) {
            self.kind = kind; self.signer = signer; self.at = at; self.meaning = meaning; self.contentHash = contentHash; self.standing = standing
        }
    }

    public struct Query: Sendable, Equatable {
        public let item: String, status: String
        public let thread: [Message]
        public init(item: String, status: String, thread: [Message]) { self.item = item; self.status = status; self.thread = thread }
    }

    public struct Message: Sendable, Equatable {
        public let action: String, by: String, at: String, text: String
        public init(action: String, by: String, at: String, text: String) { self.action = action; self.by = by; self.at = at; self.text = text }
    }

    public struct Audit: Sendable, Equatable {
        public let events: [AuditRow]
        /// Set when the history was cut at the page's limit, saying where to read the rest.
        public let truncated: String?
        public init(events: [AuditRow], truncated: String?) { self.events = events; self.truncated = truncated }
    }

    public struct AuditRow: Sendable, Equatable {
        public let seq: Int, time: String, user: String, field: String, change: String, reason: String
        /// The last record's number when the line is a value saved with its parts.
        public let seqThrough: Int?
        public init(seq: Int, seqThrough: Int? = nil, time: String, user: String, field: String, change: String, reason: String) {
            self.seq = seq; self.seqThrough = seqThrough; self.time = time; self.user = user; self.field = field; self.change = change; self.reason = reason
        }
    }
}

extension CasebookPage.Model: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "title": self.title
        case "subjectId": self.subjectId
        case "study": self.study
        case "site": self.site
        case "status": self.status
        case "printedAt": self.printedAt
        case "printedBy": self.printedBy
        case "eligibility": self.eligibility
        case "forms": self.forms
        case "signatures": self.signatures
        case "hasSignatures": self.hasSignatures
        case "queries": self.queries
        case "hasQueries": self.hasQueries
        case "audit": self.audit
        default: nil
        }
    }
}

extension CasebookPage.Form: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "visitID": self.visitID
        case "visit": self.visit
        case "oid": self.oid
        case "name": self.name
        case "rows": self.rows
        default: nil
        }
    }
}

extension CasebookPage.Row: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "id": self.id
        case "label": self.label
        case "value": self.value
        case "range": self.range
        case "changed": self.changed
        case "verified": self.verified
        default: nil
        }
    }
}

extension CasebookPage.Signature: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "kind": self.kind
        case "signer": self.signer
        case "at": self.at
        case "meaning": self.meaning
        case "contentHash": self.contentHash
        case "standing": self.standing
        default: nil
        }
    }
}

extension CasebookPage.Query: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "item": self.item
        case "status": self.status
        case "thread": self.thread
        default: nil
        }
    }
}

extension CasebookPage.Message: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "action": self.action
        case "by": self.by
        case "at": self.at
        case "text": self.text
        default: nil
        }
    }
}

extension CasebookPage.Audit: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "events": self.events
        case "truncated": self.truncated
        default: nil
        }
    }
}

extension CasebookPage.AuditRow: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "seq": self.seq
        case "seqThrough": self.seqThrough
        case "time": self.time
        case "user": self.user
        case "field": self.field
        case "change": self.change
        case "reason": self.reason
        default: nil
        }
    }
}
