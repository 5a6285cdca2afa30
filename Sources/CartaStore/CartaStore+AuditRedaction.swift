import CartaModel
import Foundation
import SQLKit

extension CartaStore {
    /// Redacts the values of audit record `seq` (old value, new value, reason) for every reader, with a
    /// justification, in one transaction with its own audit record. The other records of the same value written in
    /// the same change (its unit, standardised value, limits) are redacted with it. The records themselves are not
    /// changed (the chain still verifies); a record is redacted once, and redaction records cannot themselves be redacted.
    ///
    /// Source: standards.md R-AT-3 ("redaction … is itself logged with justification"); 21 CFR 11.10(e)
    /// (changes shall not obscure previously recorded information: the record stays, only its display is withheld).
    public func redactAudit(seq: Int, justification: String, by user: User, actor: AuditActor, at date: Date) async throws -> AuditEvent {
        let at = StoreTimestamp.string(StoreTimestamp.truncated(date))
        return try await write { db in
            guard let row = try await db.select().column("*").from("audit_events").where("seq", .equal, seq).first() else {
                throw StoreError(.notFound, "there is no audit record #\(seq)")
            }
            let event = try Self.auditEvent(from: row)
            if event.entity == .auditRedaction {
                throw StoreError.invalidState("record #\(seq) documents a redaction; redactions stay visible")
            }
            if try await db.select().column("seq").from("audit_redactions").where("seq", .equal, seq).first() != nil {
                throw StoreError.conflict("audit record #\(seq) is already redacted")
            }
            // A value is recorded with its parts (unit, standardised value, limits) in one change, each record
            // carrying the same reason: the whole value is redacted together, or the leak stays in a sibling.
            let base = event.field.split(separator: ":", maxSplits: 1).first.map(String.init) ?? event.field
            let siblings = try await db.select().column("seq").column("field").from("audit_events")
                .where("entity", .equal, event.entity.rawValue).where("entity_id", .equal, event.entityID).where("at", .equal, event.at)
                .all().compactMap { row -> Int? in
                    let field = try row.decode(column: "field", as: String.self)
                    return field == base || field.hasPrefix(base + ":") ? try row.decode(column: "seq", as: Int.self) : nil
                }
            let already = Set(try await db.select().column("seq").from("audit_redactions")
                .where("seq", .in, siblings).all().map { try $0.decode(column: "seq", as: Int.self) })
            var changes: [AuditChange] = []
            for s in Set(siblings + [seq]).subtracting(already).sorted() {
                try await db.insert(into: "audit_redactions")
                    .columns("seq", "justification", "redacted_by", "redacted_by_name", "redacted_at")
                    .values(s, justification, user.id.rawValue, user.displayName, at).run()
                changes.append(AuditChange(entity: .auditRedaction, entityID: String(s), field: "redacted", oldValue: nil,
                                           newValue: "values of #\(s) (\(event.entity.rawValue) \(base)) withheld from every view and export"))
            }
            try await Self.appendAudit(db, actor: actor, at: at, reason: justification, changes)
            return try await Self.masked(db, [event]).first ?? event
        }
    }

    /// An audit record read together with its redaction (columns `r_justification`, `r_name`, `r_at` of a
    /// LEFT JOIN on `audit_redactions`), its values withheld when redacted.
    static func maskedAuditEvent(from row: any SQLRow) throws -> AuditEvent {
        let e = try auditEvent(from: row)
        guard let why = try row.decode(column: "r_justification", as: String?.self) else { return e }
        return withheld(e, note: "Redacted by \(try row.decode(column: "r_name", as: String.self)) at \(try row.decode(column: "r_at", as: String.self)): \(why)")
    }

    static func withheld(_ e: AuditEvent, note: String) -> AuditEvent {
        var m = e
        m.oldValue = e.oldValue == nil ? nil : "[redacted]"
        m.newValue = e.newValue == nil ? nil : "[redacted]"
        m.reason = e.reason == nil ? nil : "[redacted]"
        m.redaction = note
        return m
    }

    /// `events` with the values of redacted records withheld and the redaction noted (one statement over
    /// the range of sequence numbers).
    static func masked(_ db: any SQLDatabase, _ events: [AuditEvent]) async throws -> [AuditEvent] {
        guard let low = events.map(\.seq).min(), let high = events.map(\.seq).max() else { return events }
        var notes: [Int: String] = [:]
        for row in try await db.select().column("*").from("audit_redactions")
            .where("seq", .greaterThanOrEqual, low).where("seq", .lessThanOrEqual, high).all() {
            let name = try row.decode(column: "redacted_by_name", as: String.self)
            let when = try row.decode(column: "redacted_at", as: String.self)
            let why = try row.decode(column: "justification", as: String.self)
            notes[try row.decode(column: "seq", as: Int.self)] = "Redacted by \(name) at \(when): \(why)"
        }
        guard !notes.isEmpty else { return events }
        return events.map { e in notes[e.seq].map { withheld(e, note: $0) } ?? e }
    }
}
