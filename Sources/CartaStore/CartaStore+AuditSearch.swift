import CartaModel
import Foundation
import SQLKit

extension CartaStore {
    /// One page of the audit records matching `filter`: oldest first after the cursor `after` (API), or
    /// newest first from `offset` (the web review). `nextAfter` is the next page's cursor (oldest-first only).
    ///
    /// Source: issue 7 scope 8 (filters; paging); scope 1 (a site-bound user sees only records of their
    /// sites' participants, and no account records).
    public func auditSearch(_ filter: AuditFilter, after: Int? = nil, newestFirstOffset: Int? = nil,
                            limit: Int) async throws -> (events: [AuditEvent], nextAfter: Int?) {
        let limit = max(1, limit)
        let condition = Self.condition(filter)
        let rows = try await read { db in
            var sql: SQLQueryString = "SELECT * FROM audit_events WHERE \(condition)"
            if let after { sql = "\(sql) AND seq > \(bind: after)" }
            if let offset = newestFirstOffset {
                sql = "\(sql) ORDER BY seq DESC LIMIT \(literal: limit) OFFSET \(literal: max(0, offset))"
            } else {
                sql = "\(sql) ORDER BY seq LIMIT \(literal: limit + 1)"
            }
            return try await Self.masked(db, try await db.raw(sql).all().map(Self.auditEvent(from:)))
        }
        if newestFirstOffset != nil { return (rows, nil) }
        let page = Array(rows.prefix(limit))
        return (page, rows.count > limit ? page.last?.seq : nil)
    }

    /// How many audit records match `filter`.
    ///
    /// Source: issue 7 scope 8.
    public func auditCount(_ filter: AuditFilter) async throws -> Int {
        let condition = Self.condition(filter)
        return try await read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM audit_events WHERE \(condition)").first()?
                .decode(column: "n", as: Int.self) ?? 0
        }
    }

    /// Records about the participants `ids` selects (a bound id or a subquery of ids): the kinds whose entity id is the
    /// participant's, and those whose entity id is their own row's (decisions, queries, casebook signatures, locks), each
    /// through its table's participant column. Before, a participant's or a site's trail left out its queries, adverse
    /// events, source verification, signatures and locks, so a monitor reviewing one casebook or one site missed them.
    static func aboutParticipants(_ ids: SQLQueryString) -> SQLQueryString {
        let direct: [any Encodable & Sendable] = [AuditEntity.participant, .participantIdentity, .itemValue, .deviceEntry, .alert,
                                                  .sourceVerification, .adverseEvent].map(\.rawValue)
        var parts: [SQLQueryString] = ["(entity IN (\(binds: direct)) AND entity_id IN (\(ids)))"]
        for (entity, table) in [(AuditEntity.eligibilityDecision, "eligibility_decisions"), (.query, "queries"), (.casebookSignature, "casebook_signatures"),
                                (.lock, "locks")] {
            parts.append("(entity = \(bind: entity.rawValue) AND entity_id IN (SELECT id FROM \(unsafeRaw: table) WHERE participant_id IN (\(ids))))")
        }
        return "(\(parts.joined(separator: " OR ")))"
    }

    /// The participant each record kind with its own ids belongs to (queries, eligibility decisions, casebook signatures,
    /// casebook and form locks), by that id: so the audit page and CSV name the subject of those records too. One statement.
    public func participantsOfOwnIDRecords() async throws -> [String: ParticipantID] {
        try await read { db in
            var out: [String: ParticipantID] = [:]
            for row in try await db.raw("""
                SELECT id, participant_id FROM queries UNION ALL SELECT id, participant_id FROM eligibility_decisions
                UNION ALL SELECT id, participant_id FROM casebook_signatures UNION ALL SELECT id, participant_id FROM locks WHERE participant_id IS NOT NULL
                """).all() {
                out[try row.decode(column: "id", as: String.self)] = ParticipantID(rawValue: try row.decode(column: "participant_id", as: String.self))
            }
            return out
        }
    }

    /// The authentication records of `own`'s user name and the account-change records of `own`'s account.
    static func ownAccountRecords(_ own: AuditFilter.AccountOwner) -> SQLQueryString {
        """
        ((entity = \(bind: AuditEntity.authentication.rawValue) AND entity_id = \(bind: own.username)) \
        OR (entity = \(bind: AuditEntity.user.rawValue) AND entity_id = \(bind: own.userID)))
        """
    }

    /// The WHERE condition of a filter, every value bound.
    static func condition(_ f: AuditFilter) -> SQLQueryString {
        var parts: [SQLQueryString] = ["1 = 1"]
        if let e = f.entity { parts.append("entity = \(bind: e.rawValue)") }
        if let id = f.entityID { parts.append("entity_id = \(bind: id)") }
        if let id = f.participantID { parts.append(Self.aboutParticipants("\(bind: id)")) }
        if let prefix = f.fieldPrefix {
            // A prefix match without LIKE wildcards: the field's first characters equal the prefix.
            parts.append("entity = \(bind: AuditEntity.itemValue.rawValue) AND SUBSTR(field, 1, \(literal: prefix.count)) = \(bind: prefix)")
        }
        if let form = f.formOID {
            // EVENT/FORM/ITEM[repeat]:part — the form (and item) at any event, LIKE wildcards in OIDs escaped.
            func literal(_ s: String) -> String {
                s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
            }
            let item = AuditEntity.itemValue.rawValue
            if let oid = f.itemOID {
                let path = "%/" + literal(form) + "/" + literal(oid)
                parts.append("entity = \(bind: item) AND (field LIKE \(bind: path) ESCAPE '\\' OR field LIKE \(bind: path + ":%") ESCAPE '\\' OR field LIKE \(bind: path + "[%") ESCAPE '\\')")
            } else {
                parts.append("entity = \(bind: item) AND field LIKE \(bind: "%/" + literal(form) + "/%") ESCAPE '\\'")
            }
        }
        if let u = f.username { parts.append("username = \(bind: u)") }
        if let from = f.from { parts.append("at >= \(bind: from)") }
        if let before = f.before { parts.append("at < \(bind: before)") }
        if let sites = f.sites {
            if sites.isEmpty {
                parts.append("1 = 0")
            } else {
                let ids: [any Encodable & Sendable] = sites.map(\.rawValue)
                let databaseLocks: SQLQueryString = "(entity = \(bind: AuditEntity.lock.rawValue) AND entity_id IN (SELECT id FROM locks WHERE participant_id IS NULL))"
                // A site-bound reader still sees their own account's records (their sign-ins), as a study-wide one does.
                let own: SQLQueryString = f.accountRecordsOf.map { Self.ownAccountRecords($0) }.map { " OR \($0)" } ?? ""
                parts.append("(\(Self.aboutParticipants("SELECT id FROM participants WHERE site_id IN (\(binds: ids))")) OR \(databaseLocks)\(own))")
            }
        }
        if let own = f.accountRecordsOf {
            let accountEntities: [any Encodable & Sendable] = [AuditEntity.authentication.rawValue, AuditEntity.user.rawValue]
            parts.append("(entity NOT IN (\(binds: accountEntities)) OR \(Self.ownAccountRecords(own)))")
        }
        if f.afterSignatureOrLock {
            // A change to a participant's data recorded after (by audit sequence, not clock: two records can share
            // a millisecond) its first eligibility or casebook signature, or after a lock covering it was placed —
            // database, the casebook, or the form (matched as "/FORM/" in the field path).
            let item = AuditEntity.itemValue.rawValue, decision = AuditEntity.eligibilityDecision.rawValue
            let casebook = AuditEntity.casebookSignature.rawValue, lock = AuditEntity.lock.rawValue
            parts.append("""
                entity = \(bind: item) AND (\
                audit_events.seq > (SELECT MIN(s.seq) FROM audit_events s WHERE s.entity = \(bind: decision) \
                AND s.entity_id IN (SELECT d.id FROM eligibility_decisions d WHERE d.participant_id = audit_events.entity_id)) \
                OR audit_events.seq > (SELECT MIN(s.seq) FROM audit_events s WHERE s.entity = \(bind: casebook) \
                AND s.entity_id IN (SELECT c.id FROM casebook_signatures c WHERE c.participant_id = audit_events.entity_id)) \
                OR EXISTS (SELECT 1 FROM locks l JOIN audit_events s ON s.entity = \(bind: lock) AND s.entity_id = l.id \
                WHERE s.seq < audit_events.seq AND (l.scope = 'database' \
                OR (l.scope = 'participant' AND l.participant_id = audit_events.entity_id) \
                OR (l.scope = 'form' AND l.participant_id = audit_events.entity_id \
                AND REPLACE(audit_events.field, '/' || l.form_oid || '/', '') <> audit_events.field))))
                """)
        }
        var out: SQLQueryString = "(\(parts[0]))"
        for p in parts.dropFirst() { out = "\(out) AND (\(p))" }
        return out
    }
}
