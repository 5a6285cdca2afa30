import CartaModel
import Crypto
import Foundation
import SQLKit

/// One synthetic participant of a scale cohort, as `carta demo --scale` hands it to the store: enrolled,
/// with their identity and every value already checked and standardised by the same entry checks as real data.
/// The digest of the values is taken when the participant is made (on the thread that builds the batch, not on
/// the one writing the previous batch), so the values cannot change afterwards.
public struct SyntheticParticipant: Sendable {
    public let subjectID: SubjectID
    public let sequenceNumber: Int
    public let siteID: SiteID
    public let identity: ParticipantIdentity
    public let enrolledAt: Date
    public let values: [SyntheticValue]
    /// `Self.digest(of: values)`.
    public let digest: String

    /// - Throws: `StoreError` (constraint) when two values have the same address.
    public init(subjectID: SubjectID, sequenceNumber: Int, siteID: SiteID, identity: ParticipantIdentity, enrolledAt: Date,
                values: [SyntheticValue]) throws {
        var seen = Set<ItemAddress>(minimumCapacity: values.count)
        for v in values where !seen.insert(v.address).inserted {
            throw StoreError(.constraint, "\(subjectID): value \(v.address.path) is given twice; nothing was loaded")
        }
        self.subjectID = subjectID; self.sequenceNumber = sequenceNumber; self.siteID = siteID; self.identity = identity
        self.enrolledAt = enrolledAt; self.values = values
        digest = Self.digest(of: values)
    }

    /// SHA-256 (hex) of a participant's values, one line each — path, text, unit, standard value, standard unit,
    /// lower and upper limit, tab-separated, numbers as `String(describing:)` prints them (the text the audit trail
    /// records a number with) — the lines in the order of their UTF-8 bytes, so the audit replay can recompute it
    /// from the stored rows, whatever order the values were loaded in.
    public static func digest(of values: [SyntheticValue]) -> String {
        digest(lines: values.map { v in
            let m = v.value
            return [v.address.path, m.text, m.unit, m.standardValue.map { String(describing: $0) }, m.standardUnit,
                    m.lowerLimitNormal.map { String(describing: $0) }, m.upperLimitNormal.map { String(describing: $0) }]
        })
    }

    /// The digest of values given as their seven fields in text (nil for an empty field).
    static func digest(lines fields: [[String?]]) -> String {
        var lines: [[UInt8]] = []
        lines.reserveCapacity(fields.count)
        for value in fields {
            var line: [UInt8] = []
            for (i, field) in value.enumerated() {
                if i > 0 { line.append(0x09) }
                line.append(contentsOf: (field ?? "").utf8)
            }
            line.append(0x0A)
            lines.append(line)
        }
        lines.sort { $0.lexicographicallyPrecedes($1) }
        var hasher = SHA256()
        for line in lines { hasher.update(data: line) }
        return hasher.finalize().hex
    }
}

/// One value of a synthetic participant at its address.
public struct SyntheticValue: Sendable {
    public var address: ItemAddress
    public var value: MeasuredValue

    public init(address: ItemAddress, value: MeasuredValue) { self.address = address; self.value = value }
}

extension CartaStore {
    /// Loads a batch of synthetic participants in one transaction: their rows, sealed identities and values, and
    /// per participant the audit records of registration (study, subject, site, status enrolled, identity details
    /// recorded) plus one record of the load naming how many values and their SHA-256 (`loadRecords`), chained and
    /// keyed like every other record. `replayAuditTrail` checks the stored values against that digest, so a value
    /// changed later without an audit record is found as it would be for typed data. Returns the number of values.
    ///
    /// Why not one audit record per value field, as a save writes: a lab value is audited as six fields (text, unit,
    /// standard value and unit, the two limits), and six keyed records per value cannot be written at the rate a
    /// 100,000-participant scale cohort needs (issue 9 "Performance"; BENCHMARKS.md). A load is recorded the way
    /// an import of a whole file would be — what, how much and its digest — and only into a database marked
    /// synthetic (`claimForSynthetic`), so real data never arrive this way.
    ///
    /// Refused, with nothing written: a database not marked synthetic; a database lock in force; a subject ID or
    /// sequence number the study already has (the tables' unique keys). (A value address given twice for one
    /// participant is refused when the participant is made.)
    ///
    /// Source: issue 9 scope 3 and "Performance" (`demo` ≥ 200,000 lab rows per second); 21 CFR 11.10(e) (the
    /// audit trail records the load: who, when, what); SQLite "Prepared statements" (one statement, many rows).
    public func loadSynthetic(studyID: StudyID, _ batch: [SyntheticParticipant], reason: String, actor: AuditActor,
                              at date: Date) async throws -> Int {
        guard !batch.isEmpty else { return 0 }
        let atText = StoreTimestamp.string(StoreTimestamp.truncated(date))
        let key = identityKey
        var sealed: [(String?, String?, String?)] = []
        for p in batch {
            sealed.append((try Self.sealIdentity(p.identity.fullName, key: key), try Self.sealIdentity(p.identity.dateOfBirth?.description, key: key),
                           try Self.sealIdentity(p.identity.hospitalNumber, key: key)))
        }
        let identities = sealed
        let integrity = integrity
        // The store's writer is held (no other writer of this process interleaves) while a connection of our own
        // steps prepared statements; BEGIN IMMEDIATE orders it against other processes as the writer's own does.
        if let head = try await holdingSQLiteWriter({ path, threads in
            try await threads.runIfActive {
                try Self.rawLoad(path: path, studyID: studyID, batch: batch, identities: identities, reason: reason, actor: actor,
                                 at: atText, integrity: integrity, date: date)
            }
        }) {
            integrity.advance(to: head, logger: logger)
            return batch.reduce(0) { $0 + $1.values.count }
        }
        return try await write { db in
            guard try await db.select().column("seq").from("audit_events").where("entity", .equal, AuditEntity.database.rawValue)
                .where("entity_id", .equal, "synthetic").limit(1).first() != nil else { throw Self.notSynthetic }
            try await Self.refuseIfLocked(db, participant: nil)
            var changes: [AuditChange] = []
            var ids = OrderedIDs(at: date)
            for (p, identity) in zip(batch, identities) {
                let values = p.values
                let pid = ids.next(sequence: p.sequenceNumber)
                try await db.insert(into: "participants")
                    .columns("id", "study_id", "subject_id", "sequence_number", "site_id", "status", "version",
                             "created_at", "updated_at", "updated_by", "enrolled_at", "screen_failure_reasons")
                    .values(pid, studyID.rawValue, p.subjectID.rawValue, p.sequenceNumber, p.siteID.rawValue, ParticipantStatus.enrolled.rawValue, 1,
                            atText, atText, actor.username, StoreTimestamp.string(p.enrolledAt), String?.none)
                    .run()
                try await db.insert(into: "participant_identities").columns("participant_id", "full_name", "date_of_birth", "hospital_number")
                    .values(pid, identity.0, identity.1, identity.2).run()
                // 13 parameters a row; PostgreSQL takes at most 65,535 in one statement.
                for chunk in stride(from: 0, to: values.count, by: 1_000) {
                    var insert = db.insert(into: "item_values").columns(Self.valueColumns)
                    for v in values[chunk..<min(values.count, chunk + 1_000)] {
                        let m = v.value
                        insert = insert.values(pid, v.address.eventOID.rawValue, v.address.formOID.rawValue, v.address.itemOID.rawValue,
                                               v.address.repeatKey, m.text, m.unit, m.standardValue, m.standardUnit, m.lowerLimitNormal,
                                               m.upperLimitNormal, atText, actor.username)
                    }
                    try await insert.run()
                }
                changes += Self.loadRecords(pid: pid, participant: p, studyID: studyID)
            }
            try await Self.appendAudit(db, actor: actor, at: atText, reason: reason, changes)
            return batch.reduce(0) { $0 + $1.values.count }
        }
    }

    static let valueColumns = ["participant_id", "event_oid", "form_oid", "item_oid", "repeat_key", "value_text", "unit_entered",
                               "value_standard", "unit_standard", "lower_limit_normal", "upper_limit_normal", "updated_at", "updated_by"]

    static var notSynthetic: StoreError {
        StoreError.conflict("this database is not marked as holding synthetic data; a synthetic cohort is loaded only into a new demo database (for example sqlite://carta-demo.sqlite)")
    }

    /// The field of the audit record that names what a bulk load wrote for one participant.
    public static let syntheticLoadField = "synthetic_load"

    /// The audit records of one loaded participant: the fields and identity details `registerParticipant` records
    /// (status enrolled), then the load itself — how many values and their digest, which the audit replay
    /// recomputes from the stored values in place of one record per field.
    static func loadRecords(pid: String, participant p: SyntheticParticipant, studyID: StudyID) -> [AuditChange] {
        var changes = [
            AuditChange(entity: .participant, entityID: pid, field: "study_id", oldValue: nil, newValue: studyID.rawValue),
            AuditChange(entity: .participant, entityID: pid, field: "subject_id", oldValue: nil, newValue: p.subjectID.rawValue),
            AuditChange(entity: .participant, entityID: pid, field: "site_id", oldValue: nil, newValue: p.siteID.rawValue),
            AuditChange(entity: .participant, entityID: pid, field: "status", oldValue: nil, newValue: ParticipantStatus.enrolled.rawValue),
        ]
        for (field, value) in [("full_name", p.identity.fullName), ("date_of_birth", p.identity.dateOfBirth?.description),
                               ("hospital_number", p.identity.hospitalNumber)] where value != nil {
            changes.append(AuditChange(entity: .participantIdentity, entityID: pid, field: field, oldValue: nil, newValue: "(recorded)"))
        }
        changes.append(AuditChange(entity: .participant, entityID: pid, field: syntheticLoadField, oldValue: nil,
                                   newValue: loadSummary(count: p.values.count, digest: p.digest)))
        return changes
    }

    /// The text of a load record: "<n> values, SHA-256 <hex>".
    static func loadSummary(count: Int, digest: String) -> String { "\(count) values, SHA-256 \(digest)" }

    /// The INSERT triggers `loadSynthetic` relies on being the only ones on the tables it writes.
    static let loadTables = ["participants", "participant_identities", "item_values", "audit_events", "outcome_figures"]

    /// True when every INSERT trigger on the tables the load writes is one of migration 0020's forgetters.
    static func forgetOnlyTriggers(_ c: SQLiteRawConnection) throws -> Bool {
        let known = Set(Migration_0020_outcome_figures.sources.map { "\($0.table)_insert_forgets_outcome_figures" })
        var found: [String] = []
        let tables = loadTables.map { _ in "?" }.joined(separator: ", ")
        try c.query("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN (\(tables))", loadTables.map { .text($0) }) { row in
            let sql = (row.text(1) ?? "").uppercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
            if sql.contains(" INSERT ON ") || sql.contains(" INSERT OR ") || sql.contains(" OR INSERT ") { found.append(row.text(0) ?? "") }
        }
        return found.allSatisfy(known.contains)
    }

    /// The SQLite side of `loadSynthetic`: everything on one connection between BEGIN IMMEDIATE and COMMIT.
    private static func rawLoad(path: String, studyID: StudyID, batch: [SyntheticParticipant],
                                identities: [(String?, String?, String?)], reason: String, actor: AuditActor, at atText: String,
                                integrity: AuditIntegrity, date: Date) throws -> AuditHead {
        let c = try SQLiteRawConnection(path: path, writable: true)
        // A batch changes more pages than SQLite's default 2 MiB cache holds; spilling them to the WAL before COMMIT
        // writes many of them twice.
        try c.execute("PRAGMA cache_size = -65536")
        try c.execute("BEGIN IMMEDIATE")
        do {
            // The only INSERT triggers on the tables loaded here forget a participant's kept outcome figures (migration
            // 0020), one sub-program per row: 40 % of the load's time (BENCHMARKS.md). When they are all the INSERT
            // triggers there are, they are switched off on this connection — which is the load's own and closed when it
            // returns — and their effect is had once per participant below; any other INSERT trigger (a later
            // migration's) keeps every trigger firing.
            let forgetters = try forgetOnlyTriggers(c)
            if forgetters, try c.enableTriggers(false) {
                throw StoreError(.database, "SQLite did not switch off triggers on the bulk-load connection; nothing was loaded")
            }
            var marked = false, locked = false, keyedFrom = 1
            var prev = AuditHasher.genesis
            try c.query("SELECT 1 FROM audit_events WHERE entity = ? AND entity_id = 'synthetic' LIMIT 1", [.text(AuditEntity.database.rawValue)]) { _ in marked = true }
            guard marked else { throw notSynthetic }
            try c.query("SELECT 1 FROM locks WHERE scope = 'database' AND unlocked_at IS NULL LIMIT 1") { _ in locked = true }
            guard !locked else { throw StoreError.invalidState("the database is locked; nothing was loaded — a data manager must unlock it, with a reason, first") }
            try c.query("SELECT keyed_from_seq FROM audit_chain") { row in keyedFrom = row.integer(0) }
            try c.query("SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1") { row in prev = row.text(0) ?? prev }
            let participant = try c.prepare("""
                INSERT INTO participants (id, study_id, subject_id, sequence_number, site_id, status, version, created_at, updated_at,
                updated_by, enrolled_at, screen_failure_reasons) VALUES (?, ?, ?, ?, ?, 'enrolled', 1, ?, ?, ?, ?, NULL)
                """)
            let identity = try c.prepare("INSERT INTO participant_identities (participant_id, full_name, date_of_birth, hospital_number) VALUES (?, ?, ?, ?)")
            let value = try c.prepare("INSERT INTO item_values (\(valueColumns.joined(separator: ", "))) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            let forget = try c.prepare("DELETE FROM outcome_figures WHERE participant_id = ?")
            let audit = try c.prepare("""
                INSERT INTO audit_events (at, user_id, username, source, entity, entity_id, field, old_value, new_value, reason, prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let encoder = AuditHasher.makeEncoder()
            var ids = OrderedIDs(at: date)
            let by = SQLiteRawConnection.Bind.text(actor.username), at = SQLiteRawConnection.Bind.text(atText)
            for (p, sealed) in zip(batch, identities) {
                let pid = ids.next(sequence: p.sequenceNumber)
                let id = SQLiteRawConnection.Bind.text(pid)
                try participant.run([id, .text(studyID.rawValue), .text(p.subjectID.rawValue), .integer(p.sequenceNumber), .text(p.siteID.rawValue),
                                     at, at, by, .text(StoreTimestamp.string(p.enrolledAt))])
                try identity.run([id, .text(sealed.0), .text(sealed.1), .text(sealed.2)])
                if forgetters { try forget.run([id]) }
                for v in p.values {
                    let m = v.value
                    try value.run([id, .text(v.address.eventOID.rawValue), .text(v.address.formOID.rawValue), .text(v.address.itemOID.rawValue),
                                   .text(v.address.repeatKey), .text(m.text), .text(m.unit), .double(m.standardValue), .text(m.standardUnit),
                                   .double(m.lowerLimitNormal), .double(m.upperLimitNormal), at, by])
                }
                for change in loadRecords(pid: pid, participant: p, studyID: studyID) {
                    let content = change.content(actor: actor, at: atText, reason: reason)
                    let hash = AuditHasher.mac(content, prevHash: prev, key: integrity.key, encoder: encoder)
                    try audit.run([at, .text(content.userID), by, .text(content.source), .text(content.entity), .text(content.entityID),
                                   .text(content.field), .text(content.oldValue), .text(content.newValue), .text(content.reason), .text(prev), .text(hash)])
                    prev = hash
                }
            }
            let seq = c.lastInsertRowID
            try c.execute("COMMIT")
            return AuditHead(keyedFrom: keyedFrom, seq: seq, hash: prev)
        } catch {
            try? c.execute("ROLLBACK")
            throw error
        }
    }
}

/// Participant IDs that sort by sequence number within one cohort: UUID version 8 (RFC 9562 §5.8, the custom
/// layout) holding the millisecond the cohort was started at (48 bits, as version 7 does), the sequence number (32
/// bits, split around the version and variant bits) and 42 random bits. Each participant's values then go after the
/// previous participant's in the table clustered by participant, instead of into the middle of it — at a
/// 100,000-participant cohort the difference between appending and splitting pages all over a 10 GB file.
struct OrderedIDs {
    private let milliseconds: UInt64
    private var random = SystemRandomNumberGenerator()

    init(at date: Date) { milliseconds = UInt64(max(0, date.timeIntervalSince1970 * 1000)) & 0xFFFF_FFFF_FFFF }

    /// The ID of the participant with `sequence` (below 2³²), lower-case like `ParticipantID.random()`.
    mutating func next(sequence: Int) -> String {
        let n = UInt64(truncatingIfNeeded: sequence) & 0xFFFF_FFFF
        let high = milliseconds << 16 | 0x8000 | (n >> 20 & 0x0FFF)
        let low = 0x8000_0000_0000_0000 | (n & 0xF_FFFF) << 42 | (random.next() & 0x3FF_FFFF_FFFF)
        func hex(_ x: UInt64, _ digits: Int) -> String {
            let s = String(x, radix: 16)
            return String(repeating: "0", count: max(0, digits - s.count)) + s
        }
        return "\(hex(high >> 32, 8))-\(hex(high >> 16 & 0xFFFF, 4))-\(hex(high & 0xFFFF, 4))-\(hex(low >> 48, 4))-\(hex(low & 0xFFFF_FFFF_FFFF, 12))"
    }
}
