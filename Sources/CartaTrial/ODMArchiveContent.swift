import CartaModel
import CartaStore
import Foundation

/// What a Carta ODM archive holds, read back for a restore (`ODMImportService`): for each subject its site,
/// who registered it and when, and every change — an item's state after the change (value, unit, laboratory
/// reference range) or a participant-record field — with its audit record (user, time, reason, original
/// audit sequence number).
///
/// Only a Transactional, Archival file is a complete copy (ODM 1.3.2 §2.1: "all AuditRecords … complete and
/// non-redundant"); snapshots carry no audit trail and are refused.
/// Source: CDISC ODM 1.3.2 (SubjectData, StudyEventData, FormData, ItemGroupData, ItemData TransactionType,
/// Value/IsNull, AuditRecord, MeasurementUnitRef, Annotation); standards.md R-CP-1 ("round-trip ODM re-import
/// reproduces data and audit counts"). Pure: text in, values out.
public struct ODMArchiveContent: Sendable {
    /// Who, when and why, as the archive's AuditRecord states them.
    public struct Record: Sendable, Equatable {
        public var username: String
        /// ISO 8601 UTC with milliseconds, as stored.
        public var at: String
        public var reason: String?
        /// The audit sequence number in the database the archive came from (`SourceID` "audit #N").
        public var sequence: Int
    }

    /// One change of one item, or of a participant-record field (event `ODMArchive.subjectRecord`).
    public struct Change: Sendable, Equatable {
        public var event: String
        public var form: String
        public var item: String
        public var repeatKey: String
        /// The value after the change; nil when cleared.
        public var value: String?
        /// The value was withheld from the archive (its audit record was redacted).
        public var withheld: Bool
        public var unit: String?
        public var lowerLimitNormal: String?
        public var upperLimitNormal: String?
        public var record: Record
    }

    public struct Subject: Sendable {
        public var subjectKey: String
        public var siteID: String
        public var registered: Record
        public var changes: [Change]
        /// Signature transactions (eligibility decisions, form, visit and casebook signatures) in the file.
        public var signatures: Int
    }

    public var studyOID: String
    public var fileOID: String
    public var description: String
    public var subjects: [Subject]

    /// The ODM root's Description of an archive of a synthetic (demonstration) database.
    public static let syntheticMarker = "Synthetic demonstration data"

    /// Whether the archive comes from a database marked synthetic.
    public var isSynthetic: Bool { description.hasPrefix(Self.syntheticMarker) }

    /// Why an archive cannot be read: what is wrong, and where.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Reads an archive; refuses anything that is not a complete Carta transactional archive.
    public init(xml: String) throws {
        let root: XMLTree
        do { root = try XMLTree.parse(xml) } catch let e as XMLTree.ParseError {
            throw Problem(message: "the file is not well-formed XML (\(e))")
        }
        guard root.name == "ODM" else { throw Problem(message: "the file is not CDISC ODM (its root element is <\(root.name)>)") }
        guard root["ODMVersion"] == "1.3.2" else { throw Problem(message: "the file is ODM \(root["ODMVersion"] ?? "of no version"); Carta reads ODM 1.3.2") }
        guard root["FileType"] == "Transactional", root["Archival"] == "Yes" else {
            throw Problem(message: "the file is not a transactional archive (FileType \(root["FileType"] ?? "—"), Archival \(root["Archival"] ?? "—")): a snapshot has no audit trail and cannot restore one; export with --mode archive")
        }
        fileOID = root["FileOID"] ?? ""
        description = root["Description"] ?? ""
        let admin = root.child("AdminData")
        var users: [String: String] = [:]
        for user in admin?.children("User") ?? [] {
            guard let oid = user["OID"], let login = user.child("LoginName")?.text, !login.isEmpty else { continue }
            users[oid] = login
        }
        guard let clinical = root.child("ClinicalData"), let study = clinical["StudyOID"] else {
            throw Problem(message: "the archive has no ClinicalData with a StudyOID")
        }
        studyOID = study

        func record(_ element: XMLTree?, _ where_: String) throws -> Record {
            guard let element else { throw Problem(message: "\(where_) has no AuditRecord") }
            guard let userOID = element.child("UserRef")?["UserOID"], let username = users[userOID] else {
                throw Problem(message: "\(where_): its AuditRecord names no user of the archive's AdminData")
            }
            let at = element.child("DateTimeStamp")?.text.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            guard let parsed = StoreTimestamp.date(at), StoreTimestamp.string(parsed) == at else { throw Problem(message: "\(where_): DateTimeStamp \"\(at)\" is not a UTC time such as 2026-11-25T10:00:00.123Z") }
            let source = element.child("SourceID")?.text.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            guard source.hasPrefix("audit #"), let sequence = Int(source.dropFirst(7)) else {
                throw Problem(message: "\(where_): SourceID \"\(source)\" is not a Carta audit record number (\"audit #N\")")
            }
            let reason = element.child("ReasonForChange").map { ChangeReason.stored(display: $0.text) }
            return Record(username: username, at: at, reason: reason, sequence: sequence)
        }

        var order: [String] = []
        var byKey: [String: Subject] = [:]
        for subjectData in clinical.children("SubjectData") {
            guard let key = subjectData["SubjectKey"], !key.isEmpty else { throw Problem(message: "a SubjectData has no SubjectKey") }
            if subjectData["TransactionType"] == "Update", subjectData.child("Signature") != nil {
                guard byKey[key] != nil else { throw Problem(message: "subject \(key): a signature comes before the subject's data") }
                byKey[key]?.signatures += 1
                continue
            }
            guard subjectData["TransactionType"] == "Insert" else {
                throw Problem(message: "subject \(key): TransactionType \(subjectData["TransactionType"] ?? "—") is not one Carta writes")
            }
            guard byKey[key] == nil else { throw Problem(message: "subject \(key) is inserted twice") }
            guard let location = subjectData.child("SiteRef")?["LocationOID"], location.hasPrefix("LOC.") else {
                throw Problem(message: "subject \(key) has no SiteRef")
            }
            var subject = Subject(subjectKey: key, siteID: String(location.dropFirst(4)),
                                  registered: try record(subjectData.child("AuditRecord"), "subject \(key)"), changes: [], signatures: 0)
            for eventData in subjectData.children("StudyEventData") {
                guard let eventOID = eventData["StudyEventOID"], eventOID.hasPrefix("SE.") else {
                    throw Problem(message: "subject \(key): a StudyEventData has no Carta StudyEventOID (SE.…)")
                }
                let event = String(eventOID.dropFirst(3))
                for formData in eventData.children("FormData") {
                    let form = formData["FormOID"] ?? ""
                    for group in formData.children("ItemGroupData") {
                        let repeatKey = group["ItemGroupRepeatKey"] ?? ""
                        for itemData in group.children("ItemData") {
                            let item = itemData["ItemOID"] ?? ""
                            let place = "subject \(key) \(event)/\(form)/\(item)"
                            let isNull = itemData["IsNull"] == "Yes"
                            guard isNull || itemData["Value"] != nil else { throw Problem(message: "\(place): an ItemData has neither Value nor IsNull") }
                            let rec = try record(itemData.child("AuditRecord"), place)
                            var lln: String?, uln: String?
                            if let comment = itemData.child("Annotation")?.child("Comment")?.text {
                                (lln, uln) = try Self.referenceRange(comment, place)
                            }
                            let unitOID = itemData.child("MeasurementUnitRef")?["MeasurementUnitOID"]
                            subject.changes.append(Change(
                                event: event, form: form, item: item, repeatKey: repeatKey, value: isNull ? nil : itemData["Value"],
                                withheld: isNull && (rec.reason?.hasPrefix("[redacted]") ?? false),
                                unit: unitOID.map { $0.hasPrefix("MU.") ? String($0.dropFirst(3)) : $0 },
                                lowerLimitNormal: lln, upperLimitNormal: uln, record: rec))
                        }
                    }
                }
            }
            // The file groups changes by event and form; the database wrote them in audit order.
            subject.changes.sort { $0.record.sequence < $1.record.sequence }
            order.append(key)
            byKey[key] = subject
        }
        subjects = order.compactMap { byKey[$0] }
    }

    /// The limits of a "Laboratory reference range: LLN a, ULN b" annotation ("—" for none).
    static func referenceRange(_ comment: String, _ place: String) throws -> (String?, String?) {
        let prefix = "Laboratory reference range: LLN "
        guard comment.hasPrefix(prefix), let comma = comment.range(of: ", ULN ") else {
            throw Problem(message: "\(place): the annotation \"\(comment)\" is not a Carta reference range")
        }
        let lln = String(comment[comment.index(comment.startIndex, offsetBy: prefix.count)..<comma.lowerBound])
        let uln = String(comment[comma.upperBound...])
        return (lln == "—" ? nil : lln, uln == "—" ? nil : uln)
    }
}
