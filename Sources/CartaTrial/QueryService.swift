import CartaCore
import CartaModel
import CartaStore
import CartaStudy
import Foundation

/// Data queries: raised by a monitor or data manager on a value (or by the study file's edit checks
/// during a save), answered by the site, closed or re-opened by the monitor or data manager.
///
/// Source: issue 7 scope 5 ("open → answered → closed (or re-opened) with roles per transition; shown on
/// the field, in an inbox with filters and ageing, and through the API"); ICH E6(R3) 3.11.4.
public struct QueryService: Sendable {
    let store: CartaStore
    let study: Study
    let screening: ScreeningService

    public init(store: CartaStore, study: Study, screening: ScreeningService) {
        self.store = store
        self.study = study
        self.screening = screening
    }

    /// Longest query text or answer accepted, in characters.
    public static let maxText = 2_000

    /// Raises a query on one item of a participant's screening data, or of a visit (`visitID`, e.g. `D7`): the item
    /// must be on a form that visit collects.
    public func raise(subjectID: SubjectID, itemOID: String, visitID: String? = nil, text: String, by principal: Principal) async throws -> DataQuery {
        try principal.require(.manageQueries)
        let message = try Self.checkedText(text, field: "text", what: "the question")
        let p = try await screening.participant(subjectID, by: principal)
        guard !itemOID.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw WorkflowError.invalid("item", "Choose the item the query is about; nothing was raised.")
        }
        let (event, candidates) = try Self.event(visitID, study: study)
        guard let form = candidates.first(where: { $0.items.contains { $0.oid == itemOID } }) else {
            throw WorkflowError.invalid("item", visitID.map { "Visit \($0) collects no item \(itemOID.shortenedForMessage); name an item of one of its forms." }
                                        ?? "The study has no item \(itemOID.shortenedForMessage); name the item the query is about.")
        }
        let address = ItemAddress(eventOID: event, formOID: FormOID(form.oid), itemOID: ItemOID(itemOID))
        return try await screening.mapped {
            try await store.raiseQuery(participantID: p.id, address: address, text: message, byName: principal.user.displayName,
                                       actor: principal.actor)
        }
    }

    /// The event of a visit (screening when nil) and the forms it collects; an unknown visit is refused by name.
    static func event(_ visitID: String?, study: Study) throws -> (EventOID, [FormDefinition]) {
        guard let visitID = visitID?.trimmingCharacters(in: .whitespaces), !visitID.isEmpty else { return (ScreeningService.screeningEvent, study.forms) }
        guard let visit = study.schedule.visit(visitID), visitID != study.schedule.visits.first?.id else {
            throw WorkflowError.invalid("visitID", "The schedule has no visit \(visitID.shortenedForMessage) (screening data: leave the visit out); use one of \(study.schedule.visits.dropFirst().map(\.id).joined(separator: ", ")).")
        }
        return (EventOID(visit.id), visit.forms.compactMap { study.form($0) })
    }

    /// Answers an open query (the site: investigator, sub-investigator or coordinator).
    public func answer(id: String, text: String, by principal: Principal) async throws -> DataQuery {
        try await act(id, .answered, text: text, permission: .answerQueries, by: principal)
    }

    /// Closes an open or answered query (monitor or data manager).
    public func close(id: String, text: String, by principal: Principal) async throws -> DataQuery {
        try await act(id, .closed, text: text, permission: .manageQueries, by: principal)
    }

    /// Re-opens an answered or closed query with the reason (monitor or data manager).
    public func reopen(id: String, text: String, by principal: Principal) async throws -> DataQuery {
        try await act(id, .reopened, text: text, permission: .manageQueries, by: principal)
    }

    /// One query, or `notFound` when it is unknown or at a site the principal does not reach.
    public func query(id: String, by principal: Principal) async throws -> (query: DataQuery, subjectID: SubjectID) {
        try principal.require(.readStudyData)
        let notFound = WorkflowError(.notFound, "No query \(id) at your sites.")
        guard let q = try await store.query(id: id) else { throw notFound }
        guard let p = try await store.participant(id: q.participantID), principal.reaches(p.siteID) else { throw notFound }
        return (q, p.subjectID)
    }

    /// A participant's queries, oldest first.
    public func queries(subjectID: SubjectID, by principal: Principal) async throws -> [DataQuery] {
        let p = try await screening.participant(subjectID, by: principal)
        return try await store.queries(participantID: p.id)
    }

    /// The inbox: queries at the principal's sites matching `filter`, oldest first.
    public func inbox(_ filter: QueryFilter, by principal: Principal) async throws -> [(query: DataQuery, subjectID: SubjectID)] {
        try principal.require(.readStudyData)
        var filter = filter
        filter.subjectID = filter.subjectID.map { SubjectID(study.canonicalSubjectID($0.rawValue)) }
        return try await store.queries(studyID: StudyID(study.id), sites: principal.user.sites.listed, filter: filter)
    }

    /// The item's label for people ("Platelet count"), or its OID.
    /// The item's label, with its visit for a query on visit data ("Platelet count — D7").
    public func label(_ address: ItemAddress) -> String {
        let item = study.item(address.itemOID.rawValue)?.label ?? address.itemOID.rawValue
        return address.eventOID == ScreeningService.screeningEvent ? item : "\(item) — \(address.eventOID)"
    }

    func act(_ id: String, _ action: DataQuery.Action, text: String, permission: Permission, by principal: Principal) async throws -> DataQuery {
        try principal.require(permission)
        let message = try Self.checkedText(text, field: "text", what: action == .answered ? "the answer" : "the reason")
        let current = try await query(id: id, by: principal).query
        guard DataQuery.allowed(action, from: current.status) else {
            throw WorkflowError(.invalidState, "This query is \(current.status.rawValue); it cannot be \(action.rawValue) now.")
        }
        return try await screening.mapped {
            try await store.actOnQuery(id: id, action, text: message, byName: principal.user.displayName, actor: principal.actor)
        }
    }

    static func checkedText(_ text: String, field: String, what: String) throws -> String {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !t.isEmpty else { throw WorkflowError.invalid(field, "Write \(what); it is kept in the query's thread and the audit trail.") }
        guard t.count <= maxText else { throw WorkflowError.invalid(field, "Keep \(what) under \(maxText) characters (got \(t.count)).") }
        guard !t.hasControlOrInvisibleCharacters(allowingLineBreaks: true) else {
            throw WorkflowError.invalid(field, "\(what.prefix(1).uppercased() + what.dropFirst()) contains control or invisible characters; retype it.")
        }
        return t
    }
}
