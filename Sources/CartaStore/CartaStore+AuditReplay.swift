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
    public func replayAuditTrail() async throws -> [AuditDataDifference] {
        try await read(snapshot: true) { db in try await Self.replay(db) }
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

    private static func replay(_ db: any SQLDatabase) async throws -> [AuditDataDifference] {
        // The last audit record of each (entity, id, field), found by the database.
        let lastRows = try await db.raw("""
            SELECT a.seq, a.entity, a.entity_id, a.field, a.new_value FROM audit_events a
            JOIN (SELECT MAX(seq) AS m FROM audit_events WHERE entity IN (\(bind: AuditEntity.participant.rawValue), \(bind: AuditEntity.participantIdentity.rawValue), \(bind: AuditEntity.itemValue.rawValue), \(bind: AuditEntity.user.rawValue), \(bind: AuditEntity.eligibilityDecision.rawValue), \(bind: AuditEntity.query.rawValue), \(bind: AuditEntity.sourceVerification.rawValue))
                  GROUP BY entity, entity_id, field) b ON a.seq = b.m
            """).all()
        var audited: [FieldKey: (value: String?, seq: Int)] = [:]
        for row in lastRows {
            guard let entity = AuditEntity(rawValue: try row.decode(column: "entity", as: String.self)) else { continue }
            let key = FieldKey(entity: entity, entityID: try row.decode(column: "entity_id", as: String.self),
                               field: try row.decode(column: "field", as: String.self))
            guard isCompared(key) else { continue }
            audited[key] = (try row.decode(column: "new_value", as: String?.self), try row.decode(column: "seq", as: Int.self))
        }

        var stored: [FieldKey: String] = [:]
        var labels: [String: String] = [:]
        func put(_ entity: AuditEntity, _ id: String, _ field: String, _ value: String?) {
            if let value { stored[FieldKey(entity: entity, entityID: id, field: field)] = value }
        }
        for row in try await db.select().column("*").from("participants").all() {
            let id = try row.decode(column: "id", as: String.self)
            labels[id] = try row.decode(column: "subject_id", as: String.self)
            for field in participantFields { put(.participant, id, field, try row.decode(column: field, as: String?.self)) }
        }
        for row in try await db.select().column("*").from("participant_identities").all() {
            let id = try row.decode(column: "participant_id", as: String.self)
            // Identifying details are audited as "(recorded)", never their value.
            for field in identityFields where try row.decode(column: field, as: String?.self) != nil {
                put(.participantIdentity, id, field, "(recorded)")
            }
        }
        for row in try await db.select().column("*").from("item_values").all() {
            let id = try row.decode(column: "participant_id", as: String.self)
            let path = ItemAddress(eventOID: EventOID(try row.decode(column: "event_oid", as: String.self)),
                                   formOID: FormOID(try row.decode(column: "form_oid", as: String.self)),
                                   itemOID: ItemOID(try row.decode(column: "item_oid", as: String.self)),
                                   repeatKey: try row.decode(column: "repeat_key", as: String.self)).path
            // The same text `diff` audits for each part of a value.
            func num(_ column: String) throws -> String? {
                try row.decode(column: column, as: Double?.self).map { String(describing: $0) }
            }
            put(.itemValue, id, path, try row.decode(column: "value_text", as: String?.self))
            put(.itemValue, id, path + ":" + ItemValuePart.unit.rawValue, try row.decode(column: "unit_entered", as: String?.self))
            put(.itemValue, id, path + ":" + ItemValuePart.standard.rawValue, try num("value_standard"))
            put(.itemValue, id, path + ":" + ItemValuePart.standardUnit.rawValue, try row.decode(column: "unit_standard", as: String?.self))
            put(.itemValue, id, path + ":" + ItemValuePart.lln.rawValue, try num("lower_limit_normal"))
            put(.itemValue, id, path + ":" + ItemValuePart.uln.rawValue, try num("upper_limit_normal"))
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
        for row in try await db.select().column("*").from("eligibility_decisions").all() {
            let id = try row.decode(column: "id", as: String.self)
            let participantID = try row.decode(column: "participant_id", as: String.self)
            labels[id] = labels[participantID].map { "\($0) decision \(id.prefix(8))" } ?? id
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
        for mark in try await db.select().column("*").from("sdv_marks").all().map(sourceVerification(from:)) {
            put(.sourceVerification, mark.participantID.rawValue, mark.address.path, StoreTimestamp.string(mark.valueUpdatedAt))
        }

        var differences: [AuditDataDifference] = []
        let loaded = try await syntheticLoadDifferences(db, stored: stored, labels: labels)
        differences += loaded.differences
        for key in Set(stored.keys).union(audited.keys) {
            let last = audited[key]
            // A bulk-loaded value that was never changed is covered by its participant's load digest (above).
            if key.entity == .itemValue, last == nil, loaded.participants.contains(key.entityID) { continue }
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
        return differences.sorted {
            ($0.entity.rawValue, $0.label, $0.field) < ($1.entity.rawValue, $1.label, $1.field)
        }
    }

    /// The participants loaded in bulk (`loadSynthetic`), and a difference for each whose values, as they were
    /// when loaded, no longer give the digest its load record names. The values as loaded are the stored ones, except
    /// that a value part changed since (with its audit record) counts as that change's old value.
    ///
    /// Source: issue 9 scope 3 (the scale cohort's load is audited once per participant); issue 7 scope 8 (the replay
    /// reports data changed without an audit record).
    private static func syntheticLoadDifferences(_ db: any SQLDatabase, stored: [FieldKey: String], labels: [String: String]) async throws
        -> (participants: Set<String>, differences: [AuditDataDifference]) {
        var loads: [String: (seq: Int, summary: String?)] = [:]
        for row in try await db.select().column("seq").column("entity_id").column("new_value").from("audit_events")
            .where("entity", .equal, AuditEntity.participant.rawValue).where("field", .equal, syntheticLoadField).all() {
            loads[try row.decode(column: "entity_id", as: String.self)] = (try row.decode(column: "seq", as: Int.self),
                                                                            try row.decode(column: "new_value", as: String?.self))
        }
        guard !loads.isEmpty else { return ([], []) }
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
            JOIN (SELECT MIN(seq) AS m FROM audit_events WHERE entity = \(bind: AuditEntity.itemValue.rawValue) GROUP BY entity_id, field) b ON a.seq = b.m
            """).all()
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
        return (Set(loads.keys), differences)
    }

    private static func isCompared(_ key: FieldKey) -> Bool {
        // Entities not listed (authentication, and any added later) carry no stored field to compare.
        let fields: [AuditEntity: Set<String>] = [.participant: participantFields, .participantIdentity: identityFields,
                                                  .user: userFields, .eligibilityDecision: decisionFields]
        if key.entity == .itemValue || key.entity == .sourceVerification { return true }
        if key.entity == .query { return key.field == "status" }
        return fields[key.entity]?.contains(key.field) ?? false
    }
}
