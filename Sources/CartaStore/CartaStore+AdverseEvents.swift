import CartaCore
import CartaModel
import Foundation
import SQLKit

extension CartaStore {
    /// Records a new adverse event (`expectedVersion` nil: numbered after the participant's last one) or
    /// replaces one at `expectedVersion` (a stale version is a `conflict`), auditing each field that changed —
    /// all in one transaction. Refused for a participant who is not enrolled or whose casebook is locked.
    ///
    /// Source: issue 8 scope 7; 21 CFR 11.10(e) (every change audited, with its reason).
    public func saveAdverseEvent(_ event: AdverseEvent, expectedVersion: Int?, reason: String?, actor: AuditActor, at date: Date) async throws -> AdverseEvent {
        let at = StoreTimestamp.string(StoreTimestamp.truncated(date))
        return try await write { db in
            guard let p = try await Self.loadParticipant(db, event.participantID) else {
                throw StoreError.notFound("participant \(event.participantID) does not exist")
            }
            try await Self.refuseIfLocked(db, participant: p)
            guard p.status == .enrolled else {
                throw StoreError.invalidState("participant \(p.subjectID) is \(p.status.rawValue); adverse events are recorded after enrolment")
            }
            var saved = event
            saved.updatedBy = actor.username
            saved.updatedAt = StoreTimestamp.date(at) ?? date
            var old: AdverseEvent?
            if let expectedVersion {
                guard let existing = try await Self.adverseEvents(db, participantID: p.id).first(where: { $0.id == event.id }) else {
                    throw StoreError.notFound("\(p.subjectID) has no adverse event \(event.id)")
                }
                guard existing.version == expectedVersion else {
                    throw StoreError(.conflict, "AE-\(existing.number) of \(p.subjectID) was changed by \(existing.updatedBy) (version \(existing.version), yours \(expectedVersion)); nothing was saved — reload it and enter your change again")
                }
                old = existing
                saved.number = existing.number
                saved.version = existing.version + 1
                try await db.delete(from: "adverse_events").where("id", .equal, event.id).run()
            } else {
                let last = try await db.raw("SELECT MAX(number) AS n FROM adverse_events WHERE participant_id = \(bind: p.id.rawValue)").first()
                saved.number = (try last?.decode(column: "n", as: Int?.self) ?? 0) + 1
                saved.version = 1
            }
            try await db.insert(into: "adverse_events")
                .columns("id", "participant_id", "number", "meddra_code", "term", "specify", "grade", "onset", "resolution", "serious_criteria",
                         "aware_at", "reported_at", "causality_ld", "causality_cart", "causality_itp", "action", "outcome", "version",
                         "updated_by", "updated_at")
                .values(saved.id, p.id.rawValue, saved.number, saved.meddraCode, saved.term, saved.specify, saved.grade, saved.onset.description,
                        saved.resolution?.description, saved.seriousCriteria.map(\.rawValue).joined(separator: ","),
                        saved.awareAt.map(StoreTimestamp.string), saved.reportedAt.map(StoreTimestamp.string),
                        saved.causalityLymphodepletion.rawValue, saved.causalityCART.rawValue, saved.causalityITP.rawValue,
                        saved.action.rawValue, saved.outcome?.rawValue, saved.version, actor.username, at)
                .run()
            let before = Dictionary(old?.auditedFields.map { ($0.0, $0.1) } ?? [], uniquingKeysWith: { a, _ in a })
            let changes = saved.auditedFields.compactMap { field, value -> AuditChange? in
                let was = before[field] ?? nil
                guard was != value else { return nil }
                return AuditChange(entity: .adverseEvent, entityID: p.id.rawValue, field: "AE-\(saved.number).\(field)", oldValue: was, newValue: value)
            }
            if !changes.isEmpty { try await Self.appendAudit(db, actor: actor, at: at, reason: reason, changes) }
            return saved
        }
    }

    /// A participant's adverse events in number order.
    public func adverseEvents(participantID: ParticipantID) async throws -> [AdverseEvent] {
        try await read { db in try await Self.adverseEvents(db, participantID: participantID) }
    }

    /// The serious adverse events of several participants whose report is not recorded yet (one statement).
    public func unreportedSeriousEvents(participantIDs: [ParticipantID]) async throws -> [ParticipantID: [AdverseEvent]] {
        guard !participantIDs.isEmpty else { return [:] }
        return try await read { db in
            var out: [ParticipantID: [AdverseEvent]] = [:]
            for id in participantIDs { out[id] = [] }
            let rows = try await db.select().column("participant_id").column("id").from("adverse_events")
                .where("participant_id", .in, participantIDs.map(\.rawValue)).where("serious_criteria", .notEqual, "")
                .where("reported_at", .is, SQLLiteral.null).all()
            let ids = Set(try rows.map { try $0.decode(column: "participant_id", as: String.self) })
            for pid in ids {
                let p = ParticipantID(rawValue: pid)
                out[p] = try await Self.adverseEvents(db, participantID: p).filter { $0.serious && $0.reportedAt == nil }
            }
            return out.filter { !$0.value.isEmpty }
        }
    }

    /// The adverse events of several participants (one statement), by participant, each in number order;
    /// participants without events are absent.
    public func adverseEvents(participantIDs: [ParticipantID]) async throws -> [ParticipantID: [AdverseEvent]] {
        guard !participantIDs.isEmpty else { return [:] }
        return try await read { db in
            let rows = try await db.select().column("*").from("adverse_events").where("participant_id", .in, participantIDs.map(\.rawValue))
                .orderBy("participant_id").orderBy("number").all()
            return Dictionary(grouping: try rows.map(Self.adverseEvent), by: \.participantID)
        }
    }

    static func adverseEvents(_ db: any SQLDatabase, participantID: ParticipantID) async throws -> [AdverseEvent] {
        try await db.select().column("*").from("adverse_events").where("participant_id", .equal, participantID.rawValue)
            .orderBy("number").all().map(Self.adverseEvent)
    }

    static func adverseEvent(_ row: any SQLRow) throws -> AdverseEvent {
        func text(_ c: String) throws -> String { try row.decode(column: c, as: String.self) }
        func optional(_ c: String) throws -> String? { try row.decode(column: c, as: String?.self) }
        func code<E: RawRepresentable>(_ c: String, _ t: E.Type) throws -> E where E.RawValue == String {
            guard let e = E(rawValue: try text(c)) else { throw StoreError(.database, "adverse_events.\(c) holds an unknown code") }
            return e
        }
        guard let onset = ClinicalDate(iso: try text("onset")) else { throw StoreError(.database, "adverse_events.onset is not a date") }
        return AdverseEvent(
            id: try text("id"), participantID: ParticipantID(rawValue: try text("participant_id")), number: try row.decode(column: "number", as: Int.self),
            meddraCode: try text("meddra_code"), term: try text("term"), specify: try optional("specify"),
            grade: try row.decode(column: "grade", as: Int.self), onset: onset,
            resolution: try optional("resolution").flatMap(ClinicalDate.init(iso:)),
            seriousCriteria: try text("serious_criteria").split(separator: ",").compactMap { SeriousnessCriterion(rawValue: String($0)) },
            awareAt: try optional("aware_at").flatMap(StoreTimestamp.date), reportedAt: try optional("reported_at").flatMap(StoreTimestamp.date),
            causalityLymphodepletion: try code("causality_ld", Causality.self), causalityCART: try code("causality_cart", Causality.self),
            causalityITP: try code("causality_itp", Causality.self), action: try code("action", AdverseEventAction.self),
            outcome: try optional("outcome").flatMap(AdverseEventOutcome.init(rawValue:)), version: try row.decode(column: "version", as: Int.self),
            updatedBy: try text("updated_by"), updatedAt: try Self.date(row, "updated_at"))
    }
}
