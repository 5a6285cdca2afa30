import Mustache

/// The query inbox: every query at the viewer's sites, filtered by status, participant, form and age,
/// oldest first, with its age in days.
///
/// Source: issue 7 scope 5 ("shown on the field, in an inbox with filters and ageing").
public enum QueryInboxPage {
    public struct Model: PageModel, Equatable {
        public static let template = "queries"
        public let title = "Queries"
        public let rows: [Row]
        public let hasRows: Bool
        public let statuses: [SelectOption]
        public let forms: [SelectOption]
        public let subject: String
        public let minAgeDays: String
        public let summary: String

        public init(rows: [Row], statuses: [SelectOption], forms: [SelectOption], subject: String, minAgeDays: String, summary: String) {
            self.rows = rows
            self.hasRows = !rows.isEmpty
            self.statuses = statuses
            self.forms = forms
            self.subject = subject
            self.minAgeDays = minAgeDays
            self.summary = summary
        }
    }

    public struct Row: Sendable, Equatable {
        public let id: String, subjectId: String, href: String, item: String, form: String, status: String, ageDays: Int
        public let origin: String, lastMessage: String
        public init(id: String, subjectId: String, href: String, item: String, form: String, status: String, ageDays: Int,
                    origin: String, lastMessage: String) {
            self.id = id; self.subjectId = subjectId; self.href = href; self.item = item; self.form = form; self.status = status
            self.ageDays = ageDays; self.origin = origin; self.lastMessage = lastMessage
        }
    }
}

extension QueryInboxPage.Model: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "title": self.title
        case "rows": self.rows
        case "hasRows": self.hasRows
        case "statuses": self.statuses
        case "forms": self.forms
        case "subject": self.subject
        case "minAgeDays": self.minAgeDays
        case "summary": self.summary
        default: nil
        }
    }
}

extension QueryInboxPage.Row: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "id": self.id
        case "subjectId": self.subjectId
        case "href": self.href
        case "item": self.item
        case "form": self.form
        case "status": self.status
        case "ageDays": self.ageDays
        case "origin": self.origin
        case "lastMessage": self.lastMessage
        default: nil
        }
    }
}
