import CartaModel
import Foundation
import CartaCore
import SQLKit

extension CartaStore {
    /// Registers a screening participant; the next per-study sequence number is taken inside the transaction.
    ///
    /// Source: issue 2 scope 6. `subjectID` turns the sequence number into the study's pattern (e.g.
    /// `{ "BCRITP-" + zero-padded }`). A subject ID already used in the study → `StoreError.conflict`.
    /// Identifying details are audited as "(recorded)" so that the audit trail stays pseudonymous.
    public func registerParticipant(studyID: StudyID, siteID: SiteID, subjectID: @escaping @Sendable (Int) -> SubjectID,
                                    identity: ParticipantIdentity?, actor: AuditActor) async throws -> Participant {
        let at = now()
        let atText = StoreTimestamp.string(at)
        return try await write { db in
            try await Self.refuseIfLocked(db, participant: nil)
            let maxRow = try await db.select().column(SQLFunction("MAX", args: SQLColumn("sequence_number")), as: "m")
                .from("participants").where("study_id", .equal, studyID.rawValue).first()
            let next = (try maxRow?.decode(column: "m", as: Int?.self) ?? 0) + 1
            let subject = subjectID(next)
            guard !subject.rawValue.isEmpty else { throw StoreError(.constraint, "the generated subject ID is empty") }
            if try await db.select().column("id").from("participants").where("study_id", .equal, studyID.rawValue)
                .where("subject_id", .equal, subject.rawValue).first() != nil {
                throw StoreError.conflict("subject ID \(subject) already exists in study \(studyID); nothing was registered")
            }
            let p = Participant(id: .random(), studyID: studyID, subjectID: subject, sequenceNumber: next, siteID: siteID,
                                status: .screening, version: 1, createdAt: at, updatedAt: at, updatedBy: actor.username,
                                enrolledAt: nil, screenFailureReasons: [])
            try await db.insert(into: "participants")
                .columns("id", "study_id", "subject_id", "sequence_number", "site_id", "status", "version",
                         "created_at", "updated_at", "updated_by", "enrolled_at", "screen_failure_reasons")
                .values(p.id.rawValue, studyID.rawValue, subject.rawValue, next, siteID.rawValue, p.status.rawValue, p.version,
                        atText, atText, actor.username, String?.none, String?.none)
                .run()
            let pid = p.id.rawValue
            var changes = [
                AuditChange(entity: .participant, entityID: pid, field: "study_id", oldValue: nil, newValue: studyID.rawValue),
                AuditChange(entity: .participant, entityID: pid, field: "subject_id", oldValue: nil, newValue: subject.rawValue),
                AuditChange(entity: .participant, entityID: pid, field: "site_id", oldValue: nil, newValue: siteID.rawValue),
                AuditChange(entity: .participant, entityID: pid, field: "status", oldValue: nil, newValue: p.status.rawValue),
            ]
            if let identity {
                try await db.insert(into: "participant_identities")
                    .columns("participant_id", "full_name", "date_of_birth", "hospital_number")
                    .values(pid, try Self.sealIdentity(identity.fullName, key: self.identityKey),
                            try Self.sealIdentity(identity.dateOfBirth?.description, key: self.identityKey),
                            try Self.sealIdentity(identity.hospitalNumber, key: self.identityKey))
                    .run()
                for (field, value) in [("full_name", identity.fullName), ("date_of_birth", identity.dateOfBirth?.description),
                                       ("hospital_number", identity.hospitalNumber)] where value != nil {
                    changes.append(AuditChange(entity: .participantIdentity, entityID: pid, field: field,
                                               oldValue: nil, newValue: "(recorded)"))
                }
            }
            try await Self.appendAudit(db, actor: actor, at: atText, reason: nil, changes)
            return p
        }
    }

    /// Every participant of a study, by sequence number.
    ///
    /// Source: issue 2 scope 6 ("Participant list").
    public func participants(studyID: StudyID, sites: [SiteID]? = nil) async throws -> [Participant] {
        if sites?.isEmpty == true { return [] }
        return try await read { db in
            var query = db.select().column("*").from("participants").where("study_id", .equal, studyID.rawValue)
            if let sites { query = query.where("site_id", .in, sites.map(\.rawValue)) }
            return try await query.orderBy("sequence_number").all().map(Self.participant(from:))
        }
    }

    /// How many participants a study has at these sites (nil: every site), any status: the number a whole-study
    /// pass reads, for its progress bar.
    public func participantCount(studyID: StudyID, sites: [SiteID]?) async throws -> Int {
        if sites?.isEmpty == true { return 0 }
        return try await read { db in
            var query = db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("participants").where("study_id", .equal, studyID.rawValue)
            if let sites { query = query.where("site_id", .in, sites.map(\.rawValue)) }
            return try await query.first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    /// The participant with this subject ID in a study, or `nil`.
    ///
    /// Source: issue 2 scope 6.
    public func participant(subjectID: SubjectID, studyID: StudyID) async throws -> Participant? {
        try await read { db in
            try await db.select().column("*").from("participants").where("study_id", .equal, studyID.rawValue)
                .where("subject_id", .equal, subjectID.rawValue).first().map(Self.participant(from:))
        }
    }

    /// The participant with this id, or `nil`.
    ///
    /// Source: issue 2 scope 6.
    public func participant(id: ParticipantID) async throws -> Participant? {
        try await read { db in try await Self.loadParticipant(db, id) }
    }

    /// The identifying details of a participant (the only call that reads them); `nil` if none were recorded.
    ///
    /// Source: issue 2 scope 6. The server must check the caller's right before calling this.
    public func identity(of id: ParticipantID) async throws -> ParticipantIdentity? {
        try await read { db in
            guard let row = try await db.select().column("*").from("participant_identities")
                .where("participant_id", .equal, id.rawValue).first() else { return nil }
            func open(_ column: String) throws -> String? {
                try Self.openIdentity(try row.decode(column: column, as: String?.self), key: self.identityKey, keyPath: self.integrity.key.path)
            }
            return ParticipantIdentity(fullName: try open("full_name"), dateOfBirth: try open("date_of_birth").flatMap(ClinicalDate.init(iso:)),
                                       hospitalNumber: try open("hospital_number"))
        }
    }

    static func loadParticipant(_ db: any SQLDatabase, _ id: ParticipantID) async throws -> Participant? {
        try await db.select().column("*").from("participants").where("id", .equal, id.rawValue).first()
            .map(participant(from:))
    }

    /// Loads a participant inside a write and checks the caller's version (optimistic locking).
    ///
    /// Source: issue 2 "Bad input" ("a stale form … optimistic version check → clear conflict message").
    static func lockedParticipant(_ db: any SQLDatabase, _ id: ParticipantID, expectedVersion: Int) async throws -> Participant {
        guard let p = try await loadParticipant(db, id) else { throw StoreError.notFound("participant \(id) does not exist") }
        guard p.version == expectedVersion else {
            throw StoreError.conflict("participant \(p.subjectID) was changed by \(p.updatedBy) at \(StoreTimestamp.string(p.updatedAt)) (version \(p.version), your form had version \(expectedVersion)); reload and re-enter your changes")
        }
        return p
    }

    /// Bumps the version and stamps the change; the caller has already checked the version.
    static func bumpVersion(_ db: any SQLDatabase, _ p: Participant, at: String, by username: String) async throws {
        try await db.update("participants").set("version", to: p.version + 1).set("updated_at", to: at)
            .set("updated_by", to: username).where("id", .equal, p.id.rawValue).where("version", .equal, p.version).run()
    }

    static func participant(from row: any SQLRow) throws -> Participant {
        let statusText = try row.decode(column: "status", as: String.self)
        guard let status = ParticipantStatus(rawValue: statusText) else {
            throw StoreError(.database, "participant has unknown status \"\(statusText)\"")
        }
        let reasonsJSON = try row.decode(column: "screen_failure_reasons", as: String?.self)
        let reasons = try reasonsJSON.map { try JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? []
        return Participant(
            id: ParticipantID(rawValue: try row.decode(column: "id", as: String.self)),
            studyID: StudyID(try row.decode(column: "study_id", as: String.self)),
            subjectID: SubjectID(try row.decode(column: "subject_id", as: String.self)),
            sequenceNumber: try row.decode(column: "sequence_number", as: Int.self),
            siteID: SiteID(try row.decode(column: "site_id", as: String.self)),
            status: status,
            version: try row.decode(column: "version", as: Int.self),
            createdAt: try date(row, "created_at"),
            updatedAt: try date(row, "updated_at"),
            updatedBy: try row.decode(column: "updated_by", as: String.self),
            enrolledAt: try optionalDate(row, "enrolled_at"),
            screenFailureReasons: reasons)
    }
}
