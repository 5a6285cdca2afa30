import CartaModel
import Foundation
import SQLKit

extension CartaStore {
    /// Replays the audit trail against the data: the last audited value of every participant field, identity
    /// detail, item value part, user attribute and eligibility decision field is compared with the stored row,
    /// and every difference is returned (a change made without an audit record, a row inserted or deleted
    /// directly). Fields the writers audit under other names, and passwords, are not compared.
    ///
    /// Source: issue 7 scope 8 ("replays the audit trail against the current data, reporting any value, status,
    /// role or decision that differs from its last audited value"); 21 CFR 11.10(e). Field names are those the
    /// writers pass to `appendAudit` (`CartaStore+Participants`, `+Forms` via `diff`, `+Users`, `+Eligibility`).
    ///
    /// Everything keyed by a participant — their fields, identity details, marks and item values, the bulk of a study —
    /// is compared a page of participants at a time (`participantsPerPage`), so memory grows only with the users,
    /// eligibility decisions and queries: one map of every value part would need tens of GB on the
    /// 100,000-participant scale cohort (87 million values, six audited parts each) (BENCHMARKS.md).
    public func replayAuditTrail() async throws -> [AuditDataDifference] {
        try await replayAuditTrail(participantsPerPage: 64)
    }

    @_spi(Testing) public func replayAuditTrail(participantsPerPage: Int) async throws -> [AuditDataDifference] {
        precondition(participantsPerPage >= 1, "a page holds at least one participant")
        return try await read(snapshot: true) { db in try await Self.replay(db, participantsPerPage: participantsPerPage) }
    }

    private struct FieldKey: Hashable, Sendable {
        var entity: AuditEntity
        var entityID: String
        var field: String
    }

    static let participantFields: Set<String> = ["study_id", "subject_id", "site_id", "status", "screen_failure_reasons"]
    static let identityFields: Set<String> = ["full_name", "date_of_birth", "hospital_number"]
    static let userFields: Set<String> = ["username", "display_name", "role", "active", "sites", "signature_attested_at"]
    static let decisionFields: Set<String> = ["participant_id", "decision", "signed_by", "criteria_snapshot_sha256", "content_sha256"]

    private static func replay(_ db: any SQLDatabase, participantsPerPage: Int) async throws -> [AuditDataDifference] {
        // Users, eligibility decisions, queries, casebook signatures and locks: few (a decision or two per participant), kept whole.
        let whole: [AuditEntity] = [.user, .eligibilityDecision, .query, .casebookSignature, .lock]
        let audited = try await lastAudited(db, "entity IN (" + whole.map { "\(bind: $0.rawValue)" as SQLQueryString }.joined(separator: ", ") + ")")

        var stored: [FieldKey: String] = [:]
        var labels: [String: String] = [:]
        func put(_ entity: AuditEntity, _ id: String, _ field: String, _ value: String?) {
            if let value { stored[FieldKey(entity: entity, entityID: id, field: field)] = value }
        }
        for row in try await db.select().column("*").from("users").all() {
            let id = try row.decode(column: "id", as: String.self)
            let username = try row.decode(column: "username", as: String.self)
            labels[id] = username
            put(.user, id, "username", username)
            put(.user, id, "display_name", try row.decode(column: "display_name", as: String.self))
            put(.user, id, "role", try row.decode(column: "role", as: String.self))
            put(.user, id, "active", try row.decode(column: "active", as: Bool.self) ? "true" : "false")
            put(.user, id, "sites", try row.decode(column: "sites", as: String.self))
            put(.user, id, "signature_attested_at", try row.decode(column: "signature_attested_at", as: String?.self))
        }
        for row in try await db.raw("""
            SELECT d.*, p.subject_id AS participant_subject_id FROM eligibility_decisions d LEFT JOIN participants p ON p.id = d.participant_id
            """).all() {
            let id = try row.decode(column: "id", as: String.self)
            let participantID = try row.decode(column: "participant_id", as: String.self)
            labels[id] = try row.decode(column: "participant_subject_id", as: String?.self).map { "\($0) decision \(id.prefix(8))" } ?? id
            put(.eligibilityDecision, id, "participant_id", participantID)
            put(.eligibilityDecision, id, "decision", try row.decode(column: "decision", as: String.self))
            put(.eligibilityDecision, id, "signed_by",
                "\(try row.decode(column: "signer_name", as: String.self)) (\(try row.decode(column: "signed_by", as: String.self)))")
            put(.eligibilityDecision, id, "criteria_snapshot_sha256",
                tokenHash(try row.decode(column: "criteria_snapshot", as: String.self)))
            put(.eligibilityDecision, id, "content_sha256", try row.decode(column: "content_sha256", as: String?.self))
        }
        for row in try await db.select().column("id").column("status").from("queries").all() {
            put(.query, try row.decode(column: "id", as: String.self), "status", try row.decode(column: "status", as: String.self))
        }
        // A casebook signature as `signCasebook` audits it: whose casebook, who signed, the content hash, the form or visit.
        for row in try await db.raw("""
            SELECT s.*, p.subject_id AS participant_subject_id FROM casebook_signatures s LEFT JOIN participants p ON p.id = s.participant_id
            """).all() {
            let id = try row.decode(column: "id", as: String.self)
            labels[id] = try row.decode(column: "participant_subject_id", as: String?.self).map { "\($0) signature \(id.prefix(8))" } ?? id
            put(.casebookSignature, id, "participant_id", try row.decode(column: "participant_id", as: String.self))
            put(.casebookSignature, id, "signed_by",
                "\(try row.decode(column: "signed_by_name", as: String.self)) (\(try row.decode(column: "signed_by", as: String.self)))")
            put(.casebookSignature, id, "content_sha256", try row.decode(column: "content_sha256", as: String.self))
            put(.casebookSignature, id, "form_oid", try row.decode(column: "form_oid", as: String?.self))
            put(.casebookSignature, id, "event_oid", try row.decode(column: "event_oid", as: String?.self))
        }
        // A standing lock is audited "locked" with what it covers; its unlocking clears that. A lock row deleted (or its
        // unlocking forged) without the audit record would silently reopen the data.
        for lock in try await activeLocks(db) {
            labels[lock.id] = describe(lock)
            put(.lock, lock.id, "locked", describe(lock))
        }
        var differences = compare(stored: stored, audited: audited, labels: labels)

        // Everything keyed by participant — their fields, identity details, source-verification marks and item values —
        // a page of participant IDs at a time. The pages are ranges of IDs in the database's own order (so its collation
        // decides, as it does for the range conditions), and together they cover every ID: a row whose participant is in
        // no table still falls in some range and is reported.
        let itemValue = AuditEntity.itemValue.rawValue
        let participantKeyed: SQLQueryString = "entity IN (" + [AuditEntity.participant, .participantIdentity, .sourceVerification, .adverseEvent, .alert]
            .map { "\(bind: $0.rawValue)" as SQLQueryString }.joined(separator: ", ") + ")"
        let ids = try await db.raw("""
            SELECT id AS pid FROM participants UNION SELECT entity_id AS pid FROM audit_events WHERE entity = \(bind: itemValue) ORDER BY 1
            """).all().map { try $0.decode(column: "pid", as: String.self) }
        var lower: String?
        let uppers: [String?] = stride(from: participantsPerPage - 1, to: ids.count, by: participantsPerPage).map { ids[$0] } + [nil]
        for upper in uppers {
            func range(_ column: String) -> SQLQueryString {
                var condition: SQLQueryString = ""
                if let lower { condition += " AND \(ident: column) > \(bind: lower)" }
                if let upper { condition += " AND \(ident: column) <= \(bind: upper)" }
                return condition
            }
            var fields: [FieldKey: String] = [:]
            var labels: [String: String] = [:]
            func put(_ entity: AuditEntity, _ id: String, _ field: String, _ value: String?) {
                if let value { fields[FieldKey(entity: entity, entityID: id, field: field)] = value }
            }
            for row in try await db.raw("SELECT * FROM participants WHERE 1 = 1" + range("id")).all() {
                let id = try row.decode(column: "id", as: String.self)
                labels[id] = try row.decode(column: "subject_id", as: String.self)
                for field in participantFields { put(.participant, id, field, try row.decode(column: field, as: String?.self)) }
            }
            for row in try await db.raw("SELECT * FROM participant_identities WHERE 1 = 1" + range("participant_id")).all() {
                let id = try row.decode(column: "participant_id", as: String.self)
                // Identifying details are audited as "(recorded)", never their value.
                for field in identityFields where try row.decode(column: field, as: String?.self) != nil {
                    put(.participantIdentity, id, field, "(recorded)")
                }
            }
            for mark in try await db.raw("SELECT * FROM sdv_marks WHERE 1 = 1" + range("participant_id")).all().map(sourceVerification(from:)) {
                put(.sourceVerification, mark.participantID.rawValue, mark.address.path, StoreTimestamp.string(mark.valueUpdatedAt))
            }
            // Adverse events: every field as `recordAdverseEvent` audits it (`AE-<n>.<field>`), so an event changed, added
            // or removed in the table without its audit record is reported (it flows into the safety outcomes).
            for row in try await db.raw("SELECT * FROM adverse_events WHERE 1 = 1" + range("participant_id")).all() {
                let event = try adverseEvent(row)
                for (field, value) in event.auditedFields { put(.adverseEvent, event.participantID.rawValue, "AE-\(event.number).\(field)", value) }
            }
            // Acknowledged alerts: an acknowledgement deleted would list the alert again; one inserted would hide it.
            for row in try await db.raw("SELECT * FROM alert_acknowledgements WHERE 1 = 1" + range("participant_id")).all() {
                put(.alert, try row.decode(column: "participant_id", as: String.self), try row.decode(column: "alert_key", as: String.self),
                    "acknowledged: \(try row.decode(column: "alert_text", as: String.self))")
            }
            differences += compare(stored: fields, audited: try await lastAudited(db, participantKeyed + range("entity_id")), labels: labels)

            var page: [FieldKey: String] = [:]
            for row in try await db.raw("SELECT * FROM item_values WHERE 1 = 1" + range("participant_id")).all() {
                let id = try row.decode(column: "participant_id", as: String.self)
                let path = ItemAddress(eventOID: EventOID(try row.decode(column: "event_oid", as: String.self)),
                                       formOID: FormOID(try row.decode(column: "form_oid", as: String.self)),
                                       itemOID: ItemOID(try row.decode(column: "item_oid", as: String.self)),
                                       repeatKey: try row.decode(column: "repeat_key", as: String.self)).path
                // The same text `diff` audits for each part of a value.
                func num(_ column: String) throws -> String? {
                    try row.decode(column: column, as: Double?.self).map { String(describing: $0) }
                }
                func put(_ field: String, _ value: String?) {
                    if let value { page[FieldKey(entity: .itemValue, entityID: id, field: field)] = value }
                }
                put(path, try row.decode(column: "value_text", as: String?.self))
                put(path + ":" + ItemValuePart.unit.rawValue, try row.decode(column: "unit_entered", as: String?.self))
                put(path + ":" + ItemValuePart.standard.rawValue, try num("value_standard"))
                put(path + ":" + ItemValuePart.standardUnit.rawValue, try row.decode(column: "unit_standard", as: String?.self))
                put(path + ":" + ItemValuePart.lln.rawValue, try num("lower_limit_normal"))
                put(path + ":" + ItemValuePart.uln.rawValue, try num("upper_limit_normal"))
            }
            let pageAudited = try await lastAudited(db, "entity = \(bind: itemValue)" + range("entity_id"))
            let loads = try await syntheticLoads(db, range("entity_id"))
            differences += try await syntheticLoadDifferences(db, loads: loads, stored: page, range: range("entity_id"), labels: labels)
            // A bulk-loaded value that was never changed is covered by its participant's load digest (above).
            differences += compare(stored: page, audited: pageAudited, labels: labels) { key, last in last == nil && loads[key.entityID] != nil }
            lower = upper
        }
        return differences.sorted {
            ($0.entity.rawValue, $0.label, $0.field) < ($1.entity.rawValue, $1.label, $1.field)
        }
    }

    /// The last audit record of each (entity, id, field) that `condition` selects, found by the database.
    private static func lastAudited(_ db: any SQLDatabase, _ condition: SQLQueryString) async throws -> [FieldKey: (value: String?, seq: Int)] {
        let rows = try await db.raw("""
            SELECT a.seq, a.entity, a.entity_id, a.field, a.new_value FROM audit_events a
            JOIN (SELECT MAX(seq) AS m FROM audit_events WHERE
            """ + " " + condition + " GROUP BY entity, entity_id, field) b ON a.seq = b.m").all()
        var audited: [FieldKey: (value: String?, seq: Int)] = [:]
        for row in rows {
            guard let entity = AuditEntity(rawValue: try row.decode(column: "entity", as: String.self)) else { continue }
            let key = FieldKey(entity: entity, entityID: try row.decode(column: "entity_id", as: String.self),
                               field: try row.decode(column: "field", as: String.self))
            guard isCompared(key) else { continue }
            audited[key] = (try row.decode(column: "new_value", as: String?.self), try row.decode(column: "seq", as: Int.self))
        }
        return audited
    }

    /// A difference for every field whose stored value is not its last audited value, except those `skip` accepts.
    private static func compare(stored: [FieldKey: String], audited: [FieldKey: (value: String?, seq: Int)], labels: [String: String],
                                skip: (FieldKey, (value: String?, seq: Int)?) -> Bool = { _, _ in false }) -> [AuditDataDifference] {
        var differences: [AuditDataDifference] = []
        for key in Set(stored.keys).union(audited.keys) {
            let last = audited[key]
            if skip(key, last) { continue }
            // Identity details: only presence is audited.
            let auditedValue = key.entity == .participantIdentity ? last?.value.map { _ in "(recorded)" } : last?.value
            let storedValue = stored[key]
            guard auditedValue != storedValue else { continue }
            // Accounts created before migration 0006 were given every site by that migration, its
            // documented default, before the audit trail recorded sites.
            if key.entity == .user, key.field == "sites", last == nil, storedValue == SiteAccess.all.stored { continue }
            differences.append(AuditDataDifference(entity: key.entity, entityID: key.entityID,
                                                   label: labels[key.entityID] ?? key.entityID, field: key.field,
                                                   audited: auditedValue, stored: storedValue, auditedSeq: last?.seq))
        }
        return differences
    }

    /// Each participant loaded in bulk (`loadSynthetic`) whose ID `range` selects: its load record's sequence number and
    /// summary.
    private static func syntheticLoads(_ db: any SQLDatabase, _ range: SQLQueryString) async throws -> [String: (seq: Int, summary: String?)] {
        var loads: [String: (seq: Int, summary: String?)] = [:]
        let query: SQLQueryString = """
            SELECT seq, entity_id, new_value FROM audit_events WHERE entity = \(bind: AuditEntity.participant.rawValue) AND field = \(bind: syntheticLoadField)
            """
        for row in try await db.raw(query + range).all() {
            loads[try row.decode(column: "entity_id", as: String.self)] = (try row.decode(column: "seq", as: Int.self),
                                                                            try row.decode(column: "new_value", as: String?.self))
        }
        return loads
    }

    /// A difference for each participant loaded in bulk (`loads`: those of one page, whose values are `stored` and
    /// whose IDs `range` selects) whose values, as they were when loaded, no longer give the digest its load record
    /// names. The values as loaded are the stored ones, except that a value part changed since (with its audit record)
    /// counts as that change's old value.
    ///
    /// Source: issue 9 scope 3 (the scale cohort's load is audited once per participant); issue 7 scope 8 (the replay
    /// reports data changed without an audit record).
    private static func syntheticLoadDifferences(_ db: any SQLDatabase, loads: [String: (seq: Int, summary: String?)], stored: [FieldKey: String],
                                                 range: SQLQueryString, labels: [String: String]) async throws -> [AuditDataDifference] {
        guard !loads.isEmpty else { return [] }
        // Each loaded participant's value parts as loaded: path → the seven fields of the digest's line.
        let parts: [ItemValuePart?] = [nil, .unit, .standard, .standardUnit, .lln, .uln]
        func split(_ field: String) -> (path: String, index: Int)? {
            for (i, part) in parts.enumerated().reversed() {
                guard let part else { return (field, 0) }
                if field.hasSuffix(":" + part.rawValue) { return (String(field.dropLast(part.rawValue.count + 1)), i) }
            }
            return nil
        }
        var asLoaded: [String: [String: [String?]]] = [:]
        func set(_ pid: String, _ field: String, _ value: String?) {
            guard let (path, i) = split(field) else { return }
            asLoaded[pid, default: [:]][path, default: Array(repeating: nil, count: parts.count)][i] = value
        }
        for (key, value) in stored where key.entity == .itemValue && loads[key.entityID] != nil { set(key.entityID, key.field, value) }
        // The first audited change of each part since the load holds the loaded value as its old value.
        let firstChanges = try await db.raw("""
            SELECT a.entity_id, a.field, a.old_value FROM audit_events a
            JOIN (SELECT MIN(seq) AS m FROM audit_events WHERE entity = \(bind: AuditEntity.itemValue.rawValue)
            """ + range + " GROUP BY entity_id, field) b ON a.seq = b.m").all()
        for row in firstChanges {
            let pid = try row.decode(column: "entity_id", as: String.self)
            guard loads[pid] != nil else { continue }
            set(pid, try row.decode(column: "field", as: String.self), try row.decode(column: "old_value", as: String?.self))
        }
        var differences: [AuditDataDifference] = []
        for (pid, load) in loads {
            let values = (asLoaded[pid] ?? [:]).filter { $0.value[0] != nil }.map { [$0.key] + $0.value }
            let found = loadSummary(count: values.count, digest: SyntheticParticipant.digest(lines: values))
            guard found != load.summary else { continue }
            differences.append(AuditDataDifference(entity: .participant, entityID: pid, label: labels[pid] ?? pid, field: syntheticLoadField,
                                                   audited: load.summary, stored: found, auditedSeq: load.seq))
        }
        return differences
    }

    private static func isCompared(_ key: FieldKey) -> Bool {
        // Entities not listed (authentication, and any added later) carry no stored field to compare.
        let fields: [AuditEntity: Set<String>] = [.participant: participantFields, .participantIdentity: identityFields,
                                                  .user: userFields, .eligibilityDecision: decisionFields]
        if [.itemValue, .sourceVerification, .adverseEvent, .alert, .casebookSignature].contains(key.entity) { return true }
        if key.entity == .query { return key.field == "status" }
        if key.entity == .lock { return key.field == "locked" }
        return fields[key.entity]?.contains(key.field) ?? false
    }
}
