import Foundation

/// Which audit records a reviewer wants: by participant, form or item, user, time and site.
///
/// Source: issue 7 scope 8 ("an audit view with filters (participant, form, field, user, date range)");
/// standards.md R-AT-5 (risk-based audit-trail review); issue 7 scope 1 (users see only their sites).
public struct AuditFilter: Sendable, Equatable {
    /// Only records of this entity kind.
    public var entity: AuditEntity?
    /// Only records of this record (a participant's internal id for participant data).
    public var entityID: String?
    /// Only records about this participant (internal id), of every kind: the participant and identity, values, device
    /// times, alerts, source verification and adverse events (whose records carry the participant's id), and eligibility
    /// decisions, queries, casebook signatures and locks on the casebook or its forms (which carry their own ids).
    public var participantID: String?
    /// Only item-value records whose field starts with this path (`SCREENING/F_VITALS/` for a form,
    /// `SCREENING/F_VITALS/WEIGHT` for an item and its parts).
    public var fieldPrefix: String?
    /// Only item-value records of this form, at any event (screening or a visit).
    public var formOID: String?
    /// With `formOID`: only records of this item of the form (the value and its parts), at any event.
    public var itemOID: String?
    /// Only records made by this user name.
    public var username: String?
    /// Only records at or after this UTC instant (ISO 8601 text as stored).
    public var from: String?
    /// Only records before this UTC instant.
    public var before: String?
    /// Only records about participants of these sites (every kind, as `participantID`), database-wide locks, and no account
    /// or authentication records (nil = every site).
    public var sites: [SiteID]?
    /// When set, account records — authentication (sign-ins, failed passwords, lockouts) and account changes — only of
    /// this account; every other record as the other criteria select (nil = every account's, for those who review access).
    public var accountRecordsOf: AccountOwner?
    /// Only changes to participant data made after the participant's first signature (eligibility or
    /// casebook) or after a lock covering it was placed — the changes a reviewer looks at first.
    public var afterSignatureOrLock: Bool = false

    /// The account whose own account records a reader may see: authentication records carry the user name tried,
    /// account-change records the account's id.
    public struct AccountOwner: Sendable, Equatable {
        public var username: String
        public var userID: String
        public init(username: String, userID: String) { self.username = username; self.userID = userID }
    }

    /// Creates a filter; every criterion is optional.
    public init(entity: AuditEntity? = nil, entityID: String? = nil, fieldPrefix: String? = nil, username: String? = nil,
                from: String? = nil, before: String? = nil, sites: [SiteID]? = nil) {
        self.entity = entity
        self.entityID = entityID
        self.fieldPrefix = fieldPrefix
        self.username = username
        self.from = from
        self.before = before
        self.sites = sites
    }
}
