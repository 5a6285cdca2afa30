import CartaCore
import CartaModel
import CartaStore
import CartaStudy
import Crypto
import Foundation

/// Restores a Carta ODM 1.3.2 archive into a new database: every participant with its site and status, every
/// value with its full history, each change's audit records with the original user, time and reason.
///
/// Everything in the file is checked against the study file before anything is written — the study, each site,
/// event, form and item, and each value against its item's rules (a value the study file no longer accepts is
/// refused, naming the subject, the item and the rule, never stored as it is) — and the restore is one
/// transaction: all or nothing. Not restored: identifying details (the archive is pseudonymised; they stay in
/// the source system's identity store), and signatures, queries, source-data verification, locks, alerts and
/// adverse events, which the archive does not carry as data (signatures are counted and reported: a signature is
/// its signer's own act and cannot be re-created by an import).
/// Source: standards.md R-CP-1 (round-trip re-import reproduces data and audit counts), R-AT-1, R-PR-1, R-DC-1;
/// CDISC ODM 1.3.2; 21 CFR 11.10(b).
public struct ODMImportService: Sendable {
    public let store: CartaStore
    public let study: Study

    public init(store: CartaStore, study: Study) {
        self.store = store
        self.study = study
    }

    /// What a restore did.
    public struct Summary: Sendable, Equatable {
        public var participants: Int
        /// Item-value changes restored (one per ItemData).
        public var valueChanges: Int
        /// Participant-record changes restored (status, screen-failure reasons).
        public var recordChanges: Int
        /// Signature transactions in the file, not re-created.
        public var signaturesNotRestored: Int
        public var fileOID: String
        /// SHA-256 of the file as read.
        public var sha256: String
        public var synthetic: Bool
    }

    /// Restores `xml`; `progress` is told after each participant is checked.
    public func importArchive(xml: String, by principal: Principal, progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> Summary {
        try principal.require(.importArchive)
        let content: ODMArchiveContent
        do { content = try ODMArchiveContent(xml: xml) } catch let e as ODMArchiveContent.Problem {
            throw WorkflowError.invalid("archive", "The archive cannot be read: \(e.message).")
        }
        guard content.studyOID == study.id else {
            throw WorkflowError.invalid("archive", "The archive is of study \(content.studyOID); this database runs \(study.id). Start Carta with that study's file.")
        }
        var problems: [WorkflowError.FieldProblem] = []
        var participants: [ArchivedParticipant] = []
        var seenSequences = Set<Int>()
        var valueChanges = 0, recordChanges = 0
        let subjectFields = Dictionary(uniqueKeysWithValues: ODMArchive.subjectFields.map { ($0.itemOID, $0.field) })
        for (n, s) in content.subjects.enumerated() {
            defer { progress?(n + 1, content.subjects.count) }
            func problem(_ field: String, _ message: String) {
                if problems.count < 50 { problems.append(.init(field: field, message: message)) }
            }
            guard study.sites.contains(where: { $0.id == s.siteID }) else {
                problem("\(s.subjectKey).site", "Subject \(s.subjectKey) is at site \(s.siteID), which the study file does not list.")
                continue
            }
            guard let sequence = study.subjectIDPattern.sequence(of: s.subjectKey), seenSequences.insert(sequence).inserted else {
                problem("\(s.subjectKey).subject_id", "Subject ID \(s.subjectKey) does not fit the study's pattern \(study.subjectIDPattern) or repeats another's number.")
                continue
            }
            var changes: [ArchivedParticipant.Change] = []
            for c in s.changes {
                let place = "\(s.subjectKey) \(c.event)/\(c.form)/\(c.item) (audit #\(c.record.sequence))"
                guard let at = StoreTimestamp.date(c.record.at) else { problem(place, "\(place): time \(c.record.at) is not a UTC time."); continue }
                let record = ArchivedParticipant.Record(username: c.record.username, at: at, reason: c.record.reason)
                if c.event == ODMArchive.subjectRecord {
                    guard c.form == ODMArchive.subjectRecord, let field = subjectFields[c.item] else {
                        problem(place, "\(place) is not a field of the subject record."); continue
                    }
                    if field == "status", let v = c.value, ParticipantStatus(rawValue: v) == nil {
                        problem(place, "\(place): status \"\(v)\" is not one of \(ParticipantStatus.allCases.map(\.rawValue).joined(separator: ", "))."); continue
                    }
                    changes.append(.init(target: .participant(field: field, value: c.value), record: record))
                    recordChanges += 1
                    continue
                }
                guard c.event == EventOID.screening.rawValue || study.schedule.visit(c.event) != nil else {
                    problem(place, "\(place): event \(c.event) is not in the study's schedule."); continue
                }
                guard let form = study.form(c.form), let item = form.items.first(where: { $0.oid == c.item }) else {
                    problem(place, "\(place): the study file has no item \(c.item) on form \(c.form)."); continue
                }
                guard !c.withheld else {
                    // A redacted value is withheld from the archive; restorable only if a later change replaces it.
                    if !s.changes.contains(where: { $0.record.sequence > c.record.sequence && $0.event == c.event && $0.form == c.form
                                                    && $0.item == c.item && $0.repeatKey == c.repeatKey && !$0.withheld }) {
                        problem(place, "\(place): the value's audit record was redacted and the archive withholds it; it is still the current value, so it cannot be restored. Correct it in the source system and export again.")
                    }
                    changes.append(.init(target: .item(address(c), nil), record: record))
                    valueChanges += 1
                    continue
                }
                var value: MeasuredValue?
                if let text = c.value {
                    if text.isEmpty {
                        value = MeasuredValue(text: "")
                    } else {
                        switch item.check(raw: text, unit: c.unit) {
                        case .invalid(let message):
                            problem(place, "\(place): \(message) — the study file does not accept the archived value \(text)\(c.unit.map { " \($0)" } ?? "").")
                            continue
                        case .valid(let v, _):
                            value = v
                        }
                    }
                    for (limit, text) in [("LLN", c.lowerLimitNormal), ("ULN", c.upperLimitNormal)] {
                        guard let text else { continue }
                        guard let number = Double(text), number.isFinite else { problem(place, "\(place): \(limit) \"\(text)\" is not a number."); continue }
                        if limit == "LLN" { value?.lowerLimitNormal = number } else { value?.upperLimitNormal = number }
                    }
                }
                changes.append(.init(target: .item(address(c), value), record: record))
                valueChanges += 1
            }
            guard let registered = StoreTimestamp.date(s.registered.at) else { continue }
            participants.append(ArchivedParticipant(
                studyID: StudyID(study.id), subjectID: SubjectID(s.subjectKey), sequenceNumber: sequence, siteID: SiteID(s.siteID),
                registered: .init(username: s.registered.username, at: registered, reason: nil), changes: changes))
        }
        guard problems.isEmpty else {
            throw WorkflowError(.invalidInput, "Nothing was imported: \(problems.count == 50 ? "at least " : "")\(problems.count.counted("problem")) in the archive. "
                                + problems.prefix(5).map(\.message).joined(separator: " "), fields: problems)
        }
        let sha = SHA256.hash(data: Data(xml.utf8)).map { String(format: "%02x", $0) }.joined()
        let summary = Summary(participants: participants.count, valueChanges: valueChanges, recordChanges: recordChanges,
                              signaturesNotRestored: content.subjects.reduce(0) { $0 + $1.signatures }, fileOID: content.fileOID,
                              sha256: sha, synthetic: content.isSynthetic)
        do {
            try await store.importArchive(participants, importer: principal.actor, summary: summary.text,
                                          synthetic: content.isSynthetic ? "restored from archive \(content.fileOID)" : nil)
        } catch let e as StoreError {
            throw WorkflowError(e) ?? WorkflowError.invalid("archive", "The archive could not be restored: \(e.message). Nothing was imported.")
        }
        return summary
    }

    private func address(_ c: ODMArchiveContent.Change) -> ItemAddress {
        ItemAddress(eventOID: EventOID(c.event), formOID: FormOID(c.form), itemOID: ItemOID(c.item), repeatKey: c.repeatKey)
    }
}

extension ODMImportService.Summary {
    /// One line for the audit record and the command line.
    public var text: String {
        "ODM archive \(fileOID) (SHA-256 \(sha256)): \(participants) participant(s), \(valueChanges) value change(s), "
            + "\(recordChanges.counted("status change")) restored; \(signaturesNotRestored.counted("signature")) in the file not re-created"
            + (synthetic ? "; synthetic demonstration data" : "")
    }
}
