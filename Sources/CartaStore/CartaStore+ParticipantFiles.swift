import CartaCore
import CartaModel
import Foundation
import SQLKit

extension CartaStore {
    /// One participant's file by subject ID in at most three statements: the participant with its date of
    /// birth, identity (when `includeIdentity`) and latest decision in one joined row; the values; and, when
    /// `includeHistory`, the values' audit history. One read snapshot, so the parts agree.
    ///
    /// Source: issue 6 "Done when" (the participant page makes at most 3 store reads).
    public func participantFile(subjectID: SubjectID, studyID: StudyID, includeIdentity: Bool,
                                includeHistory: Bool) async throws -> ParticipantFile? {
        let cacheKey = "\(studyID.rawValue)|\(subjectID.rawValue)"
        let cacheable = !includeIdentity && !includeHistory
        return try await read(snapshot: true) { db in
            let rows = try await db.raw("""
                \(unsafeRaw: Self.fileSelect(includeIdentity: includeIdentity))
                WHERE p.study_id = \(bind: studyID.rawValue) AND p.subject_id = \(bind: subjectID.rawValue)
                """).all()
            guard let row = rows.first else { return nil }
            let head = try row.decode(column: "audit_head", as: Int.self)
            if cacheable, let hit = self.cached(head, { $0.singles[cacheKey] }) { return hit }
            var file = try self.file(from: row, includeIdentity: includeIdentity)
            let id = file.participant.id.rawValue
            file.values = try await db.select().column("*").from("item_values").where("participant_id", .equal, id)
                .orderBy("event_oid").orderBy("form_oid").orderBy("item_oid").orderBy("repeat_key")
                .all().map(Self.itemValue(from:))
            if includeHistory {
                // One statement: the redaction note comes with each record (page and file read counts stay fixed).
                file.valueHistory = try await db.raw("""
                    SELECT a.*, r.justification AS r_justification, r.redacted_by_name AS r_name, r.redacted_at AS r_at
                    FROM audit_events a LEFT JOIN audit_redactions r ON r.seq = a.seq
                    WHERE a.entity = \(bind: AuditEntity.itemValue.rawValue) AND a.entity_id = \(bind: id) ORDER BY a.seq
                    """).all().map(Self.maskedAuditEvent(from:))
            }
            if cacheable {
                self.remember(head) { c in
                    if c.singles.count >= FileCache.maxSingles { c.singles = [:] }
                    c.singles[cacheKey] = file
                }
            }
            return file
        }
    }

    /// Every participant of a study with date of birth, latest decision and values, in two statements
    /// whatever the number of participants (no identity, no history): what lists and dashboards need.
    ///
    /// Source: issue 6 "Done when" (the participant list makes a constant number of store reads).
    /// `event` keeps only that event's values (the roster's screening state needs the screening values alone);
    /// `valuesOf` reads values only for participants in that status — the others come without values (lists need the
    /// screening values of those still in screening alone: an enrolled participant's next step follows from the status).
    public func participantFiles(studyID: StudyID, sites: [SiteID]? = nil, event: EventOID? = nil,
                                 valuesOf status: ParticipantStatus? = nil) async throws -> [ParticipantFile] {
        // `sites == nil` means every site; an explicit list restricts both statements to those sites.
        let siteIDs: [any Encodable & Sendable] = (sites ?? []).map(\.rawValue)
        let siteFilter: SQLQueryString = sites == nil ? "" : (siteIDs.isEmpty ? " AND 1 = 0" : " AND p.site_id IN (\(binds: siteIDs))")
        let eventFilter: SQLQueryString = (event.map { " AND v.event_oid = \(bind: $0.rawValue)" } ?? "")
            + (status.map { " AND p.status = \(bind: $0.rawValue)" } ?? "")
        let cacheKey = "\(studyID.rawValue)|" + (sites.map { $0.map(\.rawValue).sorted().joined(separator: ",") } ?? "*") + "|" + (event?.rawValue ?? "*")
            + "|" + (status?.rawValue ?? "*")
        return try await read(snapshot: true) { db in
            let rows = try await db.raw("""
                \(unsafeRaw: Self.fileSelect(includeIdentity: false))
                WHERE p.study_id = \(bind: studyID.rawValue)\(siteFilter) ORDER BY p.sequence_number
                """).all()
            guard let head = try rows.first?.decode(column: "audit_head", as: Int.self) else { return [] }
            if let hit = self.cached(head, { $0.lists[cacheKey] }) { return hit }
            let bare = try rows.map { try self.file(from: $0, includeIdentity: false) }
            let values = try await db.raw("""
                SELECT v.* FROM item_values v JOIN participants p ON p.id = v.participant_id
                WHERE p.study_id = \(bind: studyID.rawValue)\(siteFilter)\(eventFilter)
                ORDER BY v.participant_id, v.event_oid, v.form_oid, v.item_oid, v.repeat_key
                """).all().map(Self.itemValue(from:))
            let files = Self.attach(values, to: bare)
            if values.count <= FileCache.maxValues {
                let read = files
                self.remember(head) { $0.lists[cacheKey] = read }
            }
            return files
        }
    }

    /// One page of `participantFiles`: the next `limit` participants after sequence number `after`, in
    /// subject order, with their values (two statements), so a whole-study pass holds one page at a time.
    /// The values carry no change stamp (see `passValue`): for derivations, not for display.
    ///
    /// Source: issue 9 scope 4 (`carta derive` on 100,000 participants streams rather than loading everything).
    public func participantFiles(studyID: StudyID, sites: [SiteID]?, afterSequence after: Int, limit: Int) async throws -> [ParticipantFile] {
        try await participantFilePage(studyID: studyID, sites: sites, afterSequence: after, limit: limit).files
    }

    /// `participantFiles(studyID:sites:afterSequence:limit:)` with the audit head the files were read at (0 for an
    /// empty page): figures derived from them may be kept while the head has not moved (`storeOutcomeFigures`).
    ///
    /// `stamped` reads every value whole, with its change stamp (for source verification, which compares them), through
    /// the slower generic read; otherwise values come as a derivation reads them.
    public func participantFilePage(studyID: StudyID, sites: [SiteID]?, afterSequence after: Int, limit: Int, stamped: Bool = false) async throws
        -> (files: [ParticipantFile], head: Int) {
        let siteIDs: [any Encodable & Sendable] = (sites ?? []).map(\.rawValue)
        let siteFilter: SQLQueryString = sites == nil ? "" : (siteIDs.isEmpty ? " AND 1 = 0" : " AND p.site_id IN (\(binds: siteIDs))")
        let filesOnly: SQLQueryString = """
            \(unsafeRaw: Self.fileSelect(includeIdentity: false))
            WHERE p.study_id = \(bind: studyID.rawValue)\(siteFilter) AND p.sequence_number > \(bind: after)
            ORDER BY p.sequence_number LIMIT \(bind: limit)
            """
        if !stamped, let (path, threads) = sqliteFile {
            // The values through SQLite's C API on a connection of their own (`SQLiteRawConnection`); its snapshot is
            // the files' when both see the same audit head (every change commits with its audit record). A page
            // that changed in between is read again; one that keeps changing is read the consistent slow way.
            for _ in 0..<3 {
                let (files, head) = try await read(snapshot: true) { db in
                    let rows = try await db.raw(filesOnly).all()
                    return (try rows.map { try self.file(from: $0, includeIdentity: false) }, try rows.first?.decode(column: "audit_head", as: Int.self) ?? 0)
                }
                guard let first = files.first?.participant.sequenceNumber, let last = files.last?.participant.sequenceNumber else { return (files, head) }
                let sites = sites?.map(\.rawValue)
                @Sendable func readValues(_ range: ClosedRange<Int>) async throws -> ([ParticipantID: [ItemValue]], Int) {
                    try await threads.runIfActive {
                        try Self.rawPassValues(path: path, studyID: studyID.rawValue, sites: sites, first: range.lowerBound, last: range.upperBound)
                    }
                }
                // A large page is read in two halves on two threads (and connections): the read is a third of a whole-study
                // pass's work, and one thread reading while both cores derive was what the pass waited for.
                guard files.count >= 64 else {
                    let (values, rawHead) = try await readValues(first...last)
                    guard rawHead == head else { continue }
                    return (Self.attach(grouped: values, to: files), head)
                }
                let split = files[files.count / 2].participant.sequenceNumber
                async let lower = readValues(first...(split - 1))
                let (upper, upperHead) = try await readValues(split...last)
                let (values, lowerHead) = try await lower
                guard lowerHead == head, upperHead == head else { continue }
                return (Self.attach(grouped: values.merging(upper) { $0 + $1 }, to: files), head)
            }
        }
        return try await read(snapshot: true) { db in
            let rows = try await db.raw(filesOnly).all()
            let files = try rows.map { try self.file(from: $0, includeIdentity: false) }
            let head = try rows.first?.decode(column: "audit_head", as: Int.self) ?? 0
            guard let first = files.first?.participant.sequenceNumber, let last = files.last?.participant.sequenceNumber else { return (files, head) }
            let range: SQLQueryString = """
                FROM item_values v JOIN participants p ON p.id = v.participant_id
                WHERE p.study_id = \(bind: studyID.rawValue)\(siteFilter) AND p.sequence_number BETWEEN \(bind: first) AND \(bind: last)
                """
            if stamped {
                let values = try await db.raw("SELECT v.* \(range) ORDER BY v.participant_id, v.event_oid, v.form_oid, v.item_oid, v.repeat_key")
                    .all().map(Self.itemValue(from:))
                return (Self.attach(values, to: files), head)
            }
            // The values only as a whole-study pass reads them: no change stamps (parsing a timestamp per value
            // was most of the read's cost). `updatedAt`/`updatedBy` are left empty.
            let values = try await db.raw("SELECT \(unsafeRaw: Self.passColumns) \(range)").all().map(Self.passValueWithLimits(from:))
            return (Self.attach(values, to: files), head)
        }
    }

    /// A few participants' files by id as a whole-study pass reads them (no change stamps), in one snapshot, with the
    /// audit head it saw: the participants a pass found without kept outcome figures.
    public func participantFiles(studyID: StudyID, ids: [ParticipantID]) async throws -> (files: [ParticipantFile], head: Int) {
        guard !ids.isEmpty else { return ([], try await auditHead()) }
        let binds: [any Encodable & Sendable] = ids.map(\.rawValue)
        // By id alone: with `p.study_id = ?` beside it SQLite chose the study index and walked every participant
        // of the study (EXPLAIN QUERY PLAN), 100,000 rows for a few ids; other studies' ids are dropped below.
        let filesOnly: SQLQueryString = """
            \(unsafeRaw: Self.fileSelect(includeIdentity: false))
            WHERE p.id IN (\(binds: binds)) ORDER BY p.sequence_number
            """
        @Sendable func files(_ db: any SQLDatabase) async throws -> (files: [ParticipantFile], head: Int) {
            let rows = try await db.raw(filesOnly).all()
            return (try rows.map { try self.file(from: $0, includeIdentity: false) }.filter { $0.participant.studyID == studyID },
                    try rows.first?.decode(column: "audit_head", as: Int.self) ?? 0)
        }
        if let (path, threads) = sqliteFile {
            // The values through SQLite's C API, as the pages of a whole-study pass are read (the generic row decoder was
            // most of a changed participant's cost): consistent with the files when both saw the same audit head.
            let raw = ids.map(\.rawValue)
            for _ in 0..<3 {
                let (read, head) = try await self.read(snapshot: true) { db in try await files(db) }
                guard !read.isEmpty else { return (read, head) }
                let (values, rawHead) = try await threads.runIfActive {
                    try Self.rawPassValues(path: path, where: "v.participant_id IN (" + raw.map { _ in "?" }.joined(separator: ", ") + ")"
                                               + " ORDER BY v.participant_id, v.event_oid, v.form_oid, v.item_oid, v.repeat_key",
                                           binds: raw.map { .text($0) })
                }
                if rawHead == head { return (Self.attach(grouped: values, to: read), head) }
            }
        }
        return try await read(snapshot: true) { db in
            let (files, head) = try await files(db)
            let values = try await db.raw("""
                SELECT \(unsafeRaw: Self.passColumns) FROM item_values v WHERE v.participant_id IN (\(binds: binds))
                ORDER BY v.participant_id, v.event_oid, v.form_oid, v.item_oid, v.repeat_key
                """).all().map(Self.passValueWithLimits(from:))
            return (Self.attach(values, to: files), head)
        }
    }

    /// The columns a whole-study pass reads of an item value, in `rawPassValues`'s column order.
    static let passColumns = """
        v.participant_id, v.event_oid, v.form_oid, v.item_oid, v.repeat_key, v.value_text, v.unit_entered,
        v.value_standard, v.unit_standard, v.lower_limit_normal, v.upper_limit_normal
        """

    static func attach(_ values: [ItemValue], to files: [ParticipantFile]) -> [ParticipantFile] {
        attach(grouped: Dictionary(grouping: values, by: \.participantID), to: files)
    }

    static func attach(grouped byParticipant: [ParticipantID: [ItemValue]], to files: [ParticipantFile]) -> [ParticipantFile] {
        var files = files
        for i in files.indices { files[i].values = byParticipant[files[i].participant.id] ?? [] }
        return files
    }

    /// The pass values of participants `first…last` (by sequence number), by participant, and the audit head the
    /// read saw, in one read transaction on a fresh read-only connection (blocking: run on the store's thread pool).
    static func rawPassValues(path: String, studyID: String, sites: [String]?, first: Int, last: Int) throws -> ([ParticipantID: [ItemValue]], Int) {
        let siteFilter = sites.map { $0.isEmpty ? " AND 1 = 0" : " AND p.site_id IN (" + $0.map { _ in "?" }.joined(separator: ", ") + ")" } ?? ""
        var binds: [SQLiteRawConnection.Bind] = [.text(studyID)]
        binds += (sites ?? []).map { SQLiteRawConnection.Bind.text($0) }
        binds += [.integer(first), .integer(last)]
        return try rawPassValues(path: path, where: "p.study_id = ?\(siteFilter) AND p.sequence_number BETWEEN ? AND ?", binds: binds)
    }

    /// The pass values of the item values `condition` selects (over `item_values v` joined with `participants p`), by
    /// participant, and the audit head the read saw, as `rawPassValues(path:studyID:sites:first:last:)`.
    static func rawPassValues(path: String, where condition: String, binds: [SQLiteRawConnection.Bind]) throws -> ([ParticipantID: [ItemValue]], Int) {
        let reader = try SQLiteRawConnection(path: path)
        try reader.execute("BEGIN")
        defer { try? reader.execute("COMMIT") }
        var head = 0
        try reader.query(dataHeadSQL) { head = $0.integer(0) }
        var byParticipant: [ParticipantID: [ItemValue]] = [:]
        // Rows come a participant at a time (the join walks participants, then each one's values in key order):
        // a run is kept until the participant changes, so the id is hashed once per participant, not per value.
        // Nothing depends on that order for correctness: a participant seen again extends its list.
        var participant = ParticipantID(rawValue: ""), participantBytes: [UInt8] = [], run: [ItemValue] = []
        func endRun() {
            guard !run.isEmpty else { return }
            // Moved, not copied (each value holds a dozen strings): the usual first run of a participant is stored as is.
            if byParticipant[participant] == nil { byParticipant[participant] = run } else { byParticipant[participant]!.append(contentsOf: run) }
            run = []
            run.reserveCapacity(128)
        }
        let epoch = Date(timeIntervalSince1970: 0)
        let sql = "SELECT \(passColumns) FROM item_values v JOIN participants p ON p.id = v.participant_id WHERE " + condition
        try reader.query(sql, binds) { row in
            if !row.textEquals(0, participantBytes) {
                endRun()
                let id = row.text(0) ?? ""
                participant = ParticipantID(rawValue: id); participantBytes = Array(id.utf8)
            }
            let measured = row.text(5).map { text in
                MeasuredValue(text: text, unit: row.text(6), standardValue: row.double(7), standardUnit: row.text(8),
                              lowerLimitNormal: row.double(9), upperLimitNormal: row.double(10))
            }
            run.append(ItemValue(
                participantID: participant,
                address: ItemAddress(eventOID: EventOID(row.text(1) ?? ""), formOID: FormOID(row.text(2) ?? ""),
                                     itemOID: ItemOID(row.text(3) ?? ""), repeatKey: row.text(4) ?? ""),
                value: measured, updatedAt: epoch, updatedBy: ""))
        }
        endRun()
        return (byParticipant, head)
    }

    /// The participant row joined with the date of birth (and identity) and the latest signed decision, and the
    /// audit head the read sees (the file cache's key, `CartaStore+FileCache.swift`).
    private static func fileSelect(includeIdentity: Bool) -> String {
        """
        SELECT p.*, i.date_of_birth AS i_date_of_birth\(includeIdentity ? ", i.full_name AS i_full_name, i.hospital_number AS i_hospital_number" : ""),
               d.id AS d_id, d.decision AS d_decision, d.criteria_snapshot AS d_criteria_snapshot, d.signed_by AS d_signed_by,
               d.signer_name AS d_signer_name, d.signed_at AS d_signed_at, d.meaning AS d_meaning,
               d.participant_version AS d_participant_version, d.content_sha256 AS d_content_sha256,
               l.id AS l_id, l.scope AS l_scope, l.form_oid AS l_form_oid, l.locked_by_name AS l_locked_by_name,
               l.locked_at AS l_locked_at, l.reason AS l_reason,
               (\(dataHeadSQL)) AS audit_head
        FROM participants p
        LEFT JOIN participant_identities i ON i.participant_id = p.id
        LEFT JOIN eligibility_decisions d ON d.id = (
            SELECT e.id FROM eligibility_decisions e WHERE e.participant_id = p.id
            ORDER BY e.signed_at DESC, e.participant_version DESC LIMIT 1)
        LEFT JOIN locks l ON l.id = (
            SELECT k.id FROM locks k WHERE k.unlocked_at IS NULL
              AND (k.scope = 'database' OR (k.scope = 'participant' AND k.participant_id = p.id))
            ORDER BY k.locked_at LIMIT 1)
        """
    }

    private func file(from row: any SQLRow, includeIdentity: Bool) throws -> ParticipantFile {
        let p = try Self.participant(from: row)
        let key = identityKey
        func open(_ column: String) throws -> String? {
            try Self.openIdentity(try row.decode(column: column, as: String?.self), key: key, keyPath: integrity.key.path)
        }
        let dob = try open("i_date_of_birth").flatMap(ClinicalDate.init(iso:))
        var identity: ParticipantIdentity?
        if includeIdentity {
            let name = try open("i_full_name")
            let hospital = try open("i_hospital_number")
            if name != nil || hospital != nil || dob != nil {
                identity = ParticipantIdentity(fullName: name, dateOfBirth: dob, hospitalNumber: hospital)
            }
        }
        var decision: EligibilityDecision?
        if let did = try row.decode(column: "d_id", as: String?.self) {
            let kindText = try row.decode(column: "d_decision", as: String.self)
            guard let kind = EligibilityDecisionKind(rawValue: kindText) else {
                throw StoreError(.database, "eligibility decision has unknown value \"\(kindText)\"")
            }
            decision = EligibilityDecision(
                id: did, participantID: p.id, decision: kind,
                criteriaSnapshot: try row.decode(column: "d_criteria_snapshot", as: String.self),
                signedBy: UserID(try row.decode(column: "d_signed_by", as: String.self)),
                signerName: try row.decode(column: "d_signer_name", as: String.self),
                signedAt: try Self.date(row, "d_signed_at"),
                meaning: try row.decode(column: "d_meaning", as: String.self),
                participantVersion: try row.decode(column: "d_participant_version", as: Int.self),
                contentHash: try row.decode(column: "d_content_sha256", as: String?.self))
        }
        var file = ParticipantFile(participant: p, dateOfBirth: dob, identity: identity, latestDecision: decision, values: [])
        if let lid = try row.decode(column: "l_id", as: String?.self),
           let scope = DataLock.Scope(rawValue: try row.decode(column: "l_scope", as: String.self)) {
            file.lock = DataLock(id: lid, scope: scope, participantID: scope == .database ? nil : p.id,
                                 formOID: try row.decode(column: "l_form_oid", as: String?.self).map { FormOID($0) },
                                 lockedByName: try row.decode(column: "l_locked_by_name", as: String.self),
                                 lockedAt: try Self.date(row, "l_locked_at"), reason: try row.decode(column: "l_reason", as: String.self))
        }
        return file
    }
}

extension CartaStore {
    /// A consistent, pseudonymous snapshot of a study for reports and exports (one read transaction).
    ///
    /// Source: DESIGN.md §1; issue 6 scope 2.
    public func studySnapshot(studyID: StudyID) async throws -> StudySnapshot {
        let at = now()
        return StudySnapshot(studyID: studyID, takenAt: at, participants: try await participantFiles(studyID: studyID))
    }
}
