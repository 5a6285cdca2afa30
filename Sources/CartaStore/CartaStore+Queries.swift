import CartaModel
import Foundation
import SQLKit

extension CartaStore {
    /// Raises a query on one value of a participant, audited; refused when a lock covers the form.
    ///
    /// Source: issue 7 scope 5.
    public func raiseQuery(participantID: ParticipantID, address: ItemAddress, text: String, byName: String,
                           actor: AuditActor) async throws -> DataQuery {
        let atText = StoreTimestamp.string(now())
        return try await write { db in
            guard let p = try await Self.loadParticipant(db, participantID) else { throw StoreError.notFound("participant \(participantID) does not exist") }
            try await Self.refuseIfLocked(db, participant: p, forms: [address.formOID])
            let (query, changes) = try await Self.insertQuery(db, participantID, address, checkID: nil, text: text,
                                                              byUser: actor.userID, byName: byName, at: atText)
            try await Self.appendAudit(db, actor: actor, at: atText, reason: nil, changes)
            return query
        }
    }

    /// Moves a query on by `action` (answered, closed, re-opened) with its text, audited. The status is checked
    /// inside the transaction, so two people acting at once cannot both succeed; refused on a locked form.
    ///
    /// Source: issue 7 scope 5 (open → answered → closed, or re-opened).
    public func actOnQuery(id: String, _ action: DataQuery.Action, text: String, byName: String,
                           actor: AuditActor) async throws -> DataQuery {
        let atText = StoreTimestamp.string(now())
        return try await write { db in
            guard let query = try await Self.queries(db, where: { $0.where(Self.q("id"), .equal, SQLBind(id)) }).first else {
                throw StoreError.notFound("no query \(id)")
            }
            guard DataQuery.allowed(action, from: query.status) else {
                throw StoreError.invalidState("query \(id) is \(query.status.rawValue); it cannot be \(action.rawValue) now (reload to see its thread)")
            }
            let p = try await Self.loadParticipant(db, query.participantID)
            try await Self.refuseIfLocked(db, participant: p, forms: [query.address.formOID])
            let changes = try await Self.appendQueryMessage(db, query, action, text: text, byUser: actor.userID, byName: byName, at: atText)
            try await Self.appendAudit(db, actor: actor, at: atText, reason: nil, changes)
            return try await Self.queries(db, where: { $0.where(Self.q("id"), .equal, SQLBind(id)) }).first ?? query
        }
    }

    /// One query with its thread.
    public func query(id: String) async throws -> DataQuery? {
        try await read { db in try await Self.queries(db, where: { $0.where(Self.q("id"), .equal, SQLBind(id)) }).first }
    }

    /// A participant's queries, oldest first, with their threads (two statements).
    public func queries(participantID: ParticipantID) async throws -> [DataQuery] {
        try await read { db in try await Self.queries(db, where: { $0.where(Self.q("participant_id"), .equal, SQLBind(participantID.rawValue)) }) }
    }

    /// The queries of a study at `sites` (nil: every site) matching `filter`, oldest first, with each subject ID.
    public func queries(studyID: StudyID, sites: [SiteID]?, filter: QueryFilter) async throws -> [(query: DataQuery, subjectID: SubjectID)] {
        let rows: [(DataQuery, SubjectID)] = try await read { db in
            var subjects: [String: SubjectID] = [:]
            var select = db.select().column("id").column("subject_id").from("participants").where("study_id", .equal, studyID.rawValue)
            if let sites { select = select.where("site_id", .in, sites.map(\.rawValue)) }
            if let s = filter.subjectID { select = select.where("subject_id", .equal, s.rawValue) }
            for row in try await select.all() {
                subjects[try row.decode(column: "id", as: String.self)] = SubjectID(try row.decode(column: "subject_id", as: String.self))
            }
            guard !subjects.isEmpty else { return [] }
            let found = try await Self.queries(db, where: { q in
                var q = q.join(SQLAlias(SQLIdentifier("participants"), as: SQLIdentifier("p")), method: SQLJoinMethod.inner,
                               on: SQLColumn("id", table: "p"), .equal, SQLColumn("participant_id", table: "q"))
                    .where(SQLColumn("study_id", table: "p"), .equal, SQLBind(studyID.rawValue))
                if let sites { q = q.where(SQLColumn("site_id", table: "p"), .in, SQLBind.group(sites.map(\.rawValue))) }
                if let s = filter.subjectID { q = q.where(SQLColumn("subject_id", table: "p"), .equal, SQLBind(s.rawValue)) }
                if !filter.statuses.isEmpty { q = q.where(Self.q("status"), .in, SQLBind.group(filter.statuses.map(\.rawValue).sorted())) }
                if let f = filter.formOID { q = q.where(Self.q("form_oid"), .equal, SQLBind(f.rawValue)) }
                return q
            })
            return found.compactMap { q in subjects[q.participantID.rawValue].map { (q, $0) } }
        }
        let now = now()
        return rows.filter { row in filter.minAgeDays.map { row.0.ageInDays(now: now) >= $0 } ?? true }.map { (query: $0.0, subjectID: $0.1) }
    }

    // MARK: inside write transactions

    static func insertQuery(_ db: any SQLDatabase, _ participantID: ParticipantID, _ address: ItemAddress, checkID: String?,
                            text: String, byUser: UserID?, byName: String, at atText: String) async throws -> (DataQuery, [AuditChange]) {
        let id = UUID().uuidString.lowercased()
        try await db.insert(into: "queries")
            .columns("id", "participant_id", "event_oid", "form_oid", "item_oid", "repeat_key", "check_id", "status", "raised_at", "updated_at")
            .values(id, participantID.rawValue, address.eventOID.rawValue, address.formOID.rawValue, address.itemOID.rawValue,
                    address.repeatKey, checkID, DataQuery.Status.open.rawValue, atText, atText)
            .run()
        try await db.insert(into: "query_messages").columns("query_id", "seq", "action", "by_user", "by_name", "at", "text")
            .values(id, 1, DataQuery.Action.raised.rawValue, byUser?.rawValue, byName, atText, text).run()
        let at = StoreTimestamp.date(atText) ?? Date()
        let query = DataQuery(id: id, participantID: participantID, address: address, status: .open, checkID: checkID,
                              messages: [.init(action: .raised, byName: byName, at: at, text: text)])
        return (query, [
            AuditChange(entity: .query, entityID: id, field: "item", oldValue: nil, newValue: "\(participantID.rawValue) \(address.path)"),
            AuditChange(entity: .query, entityID: id, field: "status", oldValue: nil, newValue: DataQuery.Status.open.rawValue,
                        reason: "raised\(checkID.map { " by edit check \($0)" } ?? ""): \(text)"),
        ])
    }

    static func appendQueryMessage(_ db: any SQLDatabase, _ query: DataQuery, _ action: DataQuery.Action, text: String,
                                   byUser: UserID?, byName: String, at atText: String) async throws -> [AuditChange] {
        try await db.insert(into: "query_messages").columns("query_id", "seq", "action", "by_user", "by_name", "at", "text")
            .values(query.id, query.messages.count + 1, action.rawValue, byUser?.rawValue, byName, atText, text).run()
        try await db.update("queries").set("status", to: action.status.rawValue).set("updated_at", to: atText)
            .where("id", .equal, query.id).where("status", .equal, query.status.rawValue).run()
        return [AuditChange(entity: .query, entityID: query.id, field: "status", oldValue: query.status.rawValue,
                            newValue: action.status.rawValue, reason: "\(action.rawValue): \(text)")]
    }

    /// Raises the queries of failed edit checks and resolves those whose check no longer fails, inside a save.
    ///
    /// A failing check raises a query unless one is already active for it on that value; a check that was
    /// settled (closed) is raised again only when a value it reads changed in this save, so a confirmed value
    /// is not queried at every save. Source: issue 7 scope 5.
    static func applyEditChecks(_ db: any SQLDatabase, _ participantID: ParticipantID, findings: [EditCheckFinding],
                                changed: Set<ItemAddress>, at atText: String) async throws -> [AuditChange] {
        let existing = try await queries(db, where: {
            $0.where(Self.q("participant_id"), .equal, SQLBind(participantID.rawValue)).where(Self.q("check_id"), .isNot, SQLLiteral.null)
        })
        var changes: [AuditChange] = []
        let failing = Set(findings.map { "\($0.checkID)\u{0}\($0.address.path)" })
        for finding in findings {
            let same = existing.filter { $0.checkID == finding.checkID && $0.address == finding.address }
            if same.contains(where: { $0.status.isActive }) { continue }
            if !same.isEmpty, finding.involved.isDisjoint(with: changed) { continue }
            changes += try await insertQuery(db, participantID, finding.address, checkID: finding.checkID, text: finding.message,
                                             byUser: nil, byName: editCheckName, at: atText).1
        }
        for query in existing where query.status.isActive {
            guard let checkID = query.checkID, !failing.contains("\(checkID)\u{0}\(query.address.path)") else { continue }
            changes += try await appendQueryMessage(db, query, .resolved, text: "The data no longer fail edit check \(checkID).",
                                                    byUser: nil, byName: editCheckName, at: atText)
        }
        return changes
    }

    /// A column of the `queries` table under its alias `q`.
    static func q(_ column: String) -> SQLColumn { SQLColumn(column, table: "q") }

    /// The name under which edit checks act in query threads.
    public static let editCheckName = "Carta edit check"

    /// Queries selected by `filter` (on the alias `q`), with their threads, oldest first: two statements.
    static func queries(_ db: any SQLDatabase, where filter: (SQLSelectBuilder) -> SQLSelectBuilder) async throws -> [DataQuery] {
        let rows = try await filter(db.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("q")))
            .from(SQLAlias(SQLIdentifier("queries"), as: SQLIdentifier("q"))))
            .orderBy(Self.q("raised_at")).orderBy(Self.q("id")).all()
        guard !rows.isEmpty else { return [] }
        let ids = try rows.map { try $0.decode(column: "id", as: String.self) }
        var messages: [String: [DataQuery.Message]] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            for row in try await db.select().column("*").from("query_messages").where("query_id", .in, chunk)
                .orderBy("query_id").orderBy("seq").all() {
                guard let action = DataQuery.Action(rawValue: try row.decode(column: "action", as: String.self)) else {
                    throw StoreError(.database, "query message with an unknown action")
                }
                messages[try row.decode(column: "query_id", as: String.self), default: []].append(DataQuery.Message(
                    action: action, byName: try row.decode(column: "by_name", as: String.self), at: try date(row, "at"),
                    text: try row.decode(column: "text", as: String.self)))
            }
        }
        return try rows.map { row in
            let id = try row.decode(column: "id", as: String.self)
            guard let status = DataQuery.Status(rawValue: try row.decode(column: "status", as: String.self)) else {
                throw StoreError(.database, "query \(id) has an unknown status")
            }
            return DataQuery(
                id: id, participantID: ParticipantID(rawValue: try row.decode(column: "participant_id", as: String.self)),
                address: ItemAddress(eventOID: EventOID(rawValue: try row.decode(column: "event_oid", as: String.self)),
                                     formOID: FormOID(try row.decode(column: "form_oid", as: String.self)),
                                     itemOID: ItemOID(try row.decode(column: "item_oid", as: String.self)),
                                     repeatKey: try row.decode(column: "repeat_key", as: String.self)),
                status: status, checkID: try row.decode(column: "check_id", as: String?.self), messages: messages[id] ?? [])
        }
    }
}
