import Foundation

/// A data query: a question about one value, raised by a monitor or data manager or by an edit check
/// of the study file, answered at the site and closed (or re-opened) by whoever raised it.
///
/// Source: issue 7 scope 5 ("raised by hand by a monitor or data manager on a field, or automatically by
/// edit checks declared in the study file; open → answered → closed (or re-opened) with roles per
/// transition; shown on the field, in an inbox with filters and ageing, and through the API");
/// ICH E6(R3) 3.11.4 (monitoring findings communicated to the site and resolved); CDISC ODM 1.3.2 has no
/// query element, so the thread is Carta's own.
public struct DataQuery: Sendable, Equatable, Codable {
    /// Where a query stands.
    public enum Status: String, Sendable, Codable, CaseIterable {
        /// Waiting for the site's answer.
        case open
        /// The site answered; waiting for the raiser to close or re-open it.
        case answered
        /// Settled.
        case closed

        /// Whether the query still needs someone's action.
        public var isActive: Bool { self != .closed }
    }

    /// One step of a query's life, with its text. Stored as the raw value: never rename a case.
    public enum Action: String, Sendable, Codable, CaseIterable {
        case raised, answered, closed, reopened
        /// Closed by the system because the value no longer fails the edit check that raised it.
        case resolved

        /// The status the action leads to.
        public var status: Status {
            switch self {
            case .raised, .reopened: return .open
            case .answered: return .answered
            case .closed, .resolved: return .closed
            }
        }
    }

    /// One message of the thread.
    public struct Message: Sendable, Equatable, Codable {
        public var action: Action
        /// Printed name of who acted ("Carta edit check" for the system).
        public var byName: String
        public var at: Date
        public var text: String

        public init(action: Action, byName: String, at: Date, text: String) {
            self.action = action
            self.byName = byName
            self.at = at
            self.text = text
        }
    }

    public var id: String
    public var participantID: ParticipantID
    /// The value the query is about.
    public var address: ItemAddress
    public var status: Status
    /// `nil` for a query raised by a person; the edit check's id for an automatic one.
    public var checkID: String?
    /// The thread, oldest first; the first message is the question.
    public var messages: [Message]

    public init(id: String, participantID: ParticipantID, address: ItemAddress, status: Status, checkID: String?,
                messages: [Message]) {
        self.id = id
        self.participantID = participantID
        self.address = address
        self.status = status
        self.checkID = checkID
        self.messages = messages
    }

    /// The question.
    public var text: String { messages.first?.text ?? "" }
    /// When it was raised.
    public var raisedAt: Date { messages.first?.at ?? .distantPast }
    /// Who raised it.
    public var raisedBy: String { messages.first?.byName ?? "" }
    /// When it last changed.
    public var updatedAt: Date { messages.last?.at ?? raisedAt }

    /// Whole days since it was raised (ageing), for an active query; days it was open for a closed one.
    public func ageInDays(now: Date) -> Int {
        let end = status == .closed ? updatedAt : now
        return max(0, Int(end.timeIntervalSince(raisedAt) / 86_400))
    }

    /// The actions allowed from `status`.
    ///
    /// Source: issue 7 scope 5 (open → answered → closed, or re-opened).
    public static func allowed(_ action: Action, from status: Status) -> Bool {
        switch action {
        case .raised: return false
        case .answered: return status == .open
        case .closed: return status == .open || status == .answered
        case .reopened: return status == .answered || status == .closed
        case .resolved: return status.isActive
        }
    }
}

/// A filter over queries for the inbox and the API; every criterion is optional.
public struct QueryFilter: Sendable, Equatable {
    public var statuses: Set<DataQuery.Status>
    public var subjectID: SubjectID?
    public var formOID: FormOID?
    /// Only queries at least this many days old.
    public var minAgeDays: Int?

    public init(statuses: Set<DataQuery.Status> = [], subjectID: SubjectID? = nil, formOID: FormOID? = nil, minAgeDays: Int? = nil) {
        self.statuses = statuses
        self.subjectID = subjectID
        self.formOID = formOID
        self.minAgeDays = minAgeDays
    }
}
