import CartaModel
import CartaStudy
import Foundation

/// A CDISC ODM 1.3.2 file of the study: Transactional and Archival — the study's metadata from the study
/// file, the users, sites and signature meanings, and for each participant every value change as an
/// `ItemData` transaction with its `AuditRecord` (who, where, when, why, audit sequence number), in the
/// order they happened, then each electronic signature.
///
/// Source: CDISC ODM 1.3.2 (FileType Transactional + Archival: "all AuditRecords/Signatures … complete
/// and non-redundant up to AsOfDateTime"; element order of ODM1-3-2-foundation.xsd); standards.md §5.1,
/// R-CP-1 (an accurate and complete electronic copy), R-AT-6 (audit exportable with the data), R-ES-1
/// (signatures with printed name, date and time, meaning), R-PR-1 (pseudonymised: subject IDs only —
/// identifying details are never written, whoever exports).
/// Pure: the caller gathers the records (`ExportService`); a value of each is written as stored, redacted
/// audit records as `IsNull` with their redaction note.
public struct ODMArchive: Sendable {
    /// One participant as the archive needs it.
    public struct Subject: Sendable {
        public var participant: Participant
        /// The participant's audit records, oldest first: `participant` records and `item_value` records
        /// (as readers see them: redacted values withheld).
        public var history: [AuditEvent]
        public var decisions: [EligibilityDecision]
        public var casebookSignatures: [CasebookSignature]
        public init(participant: Participant, history: [AuditEvent], decisions: [EligibilityDecision], casebookSignatures: [CasebookSignature]) {
            self.participant = participant
            self.history = history
            self.decisions = decisions
            self.casebookSignatures = casebookSignatures
        }
    }

    /// What the file carries.
    ///
    /// Source: standards.md R-PR-2; HIPAA 45 CFR 164.514(b)(2) (Safe Harbor: the 18 identifiers removed, all
    /// elements of dates except the year, ages over 89 grouped) and 164.514(e) (limited data set: dates
    /// allowed, direct identifiers removed, under a data use agreement).
    public enum Mode: String, Sendable, CaseIterable {
        /// Transactional + Archival: every change with its audit record and every signature (subject IDs only).
        case archive
        /// Snapshot of current values with full dates, no audit trail, no free text, under a data use agreement.
        case limited
        /// Snapshot of current values, dates reduced to the year, no free text, sites by code only.
        case safeHarbor = "safe-harbor"
    }

    /// What the file's metadata and administrative data need from the participants' records, gathered one participant
    /// at a time (`add`), so that an archive can be written one participant at a time (`subjectXML`) and its opening
    /// (`opening`, which lists them) after the last: the units recorded in the trail, the user names recorded in it, and
    /// the signature meanings in order of first use (their OIDs `SD.n` follow that order, so a meaning keeps the OID it
    /// was first given while later participants are added).
    public struct TrailFacts: Sendable, Equatable {
        public private(set) var units = Set<String>()
        public private(set) var usernames = Set<String>()
        public private(set) var meanings: [String] = []
        public private(set) var meaningOIDs: [String: String] = [:]

        public init() {}

        public mutating func add(_ s: Subject) {
            for e in s.history {
                usernames.insert(e.username)
                if e.field.hasSuffix(":unit"), e.redaction == nil, let u = e.newValue { units.insert(u) }
            }
            for meaning in s.decisions.map(\.meaning) + s.casebookSignatures.map(\.meaning) where meaningOIDs[meaning] == nil {
                meanings.append(meaning)
                meaningOIDs[meaning] = "SD.\(meanings.count)"
            }
        }
    }

    public let study: Study
    public let users: [User]
    /// The participants written by `xml()`; empty for an archive written one participant at a time (`subjectXML`).
    public let subjects: [Subject]
    /// What the opening lists from the participants' records (`TrailFacts`): from `subjects`, or added as each
    /// participant is written.
    public var facts: TrailFacts
    /// Each event's and form's place in the metadata, for ordering a participant's data the same way.
    let eventRanks: [String: Int]
    let formRanks: [String: Int]
    /// When the file is written (CreationDateTime and AsOfDateTime).
    public var createdAt: Date
    public let sourceSystemVersion: String
    public let mode: Mode
    /// The data use agreement a limited data set is released under.
    public let dataUseAgreement: String?
    /// The database holds synthetic demonstration data: the file says so first thing, and a restore marks the
    /// new database synthetic too (issue 9: synthetic data is never mixed with real data).
    public var synthetic = false

    public init(study: Study, users: [User], subjects: [Subject], createdAt: Date, sourceSystemVersion: String,
                mode: Mode = .archive, dataUseAgreement: String? = nil) {
        self.study = study
        self.users = users
        self.subjects = subjects
        self.createdAt = createdAt
        self.sourceSystemVersion = sourceSystemVersion
        self.mode = mode
        self.dataUseAgreement = dataUseAgreement
        var facts = TrailFacts()
        for s in subjects { facts.add(s) }
        self.facts = facts
        let events = [EventOID.screening.rawValue] + study.schedule.visits.map(\.id)
        eventRanks = Dictionary(events.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
        formRanks = Dictionary(study.forms.enumerated().map { ($0.element.oid, $0.offset) }, uniquingKeysWith: { a, _ in a })
    }

    static let metaDataVersionOID = "MDV.1"

    /// The ODM OID of a Carta event (`SCREENING`, a schedule visit such as `D7`, or the subject record).
    public static func studyEventOID(_ event: String) -> String { "SE." + event }

    /// The event and form that carry the participant record's own audited fields (status, screen-failure
    /// reasons) as ItemData with their audit records, so that a re-import restores them. ODM 1.3.2 has no
    /// subject status element; a Carta-defined form keeps them machine-readable inside the standard.
    public static let subjectRecord = "CARTA.SUBJECT"

    /// The participant fields the subject record carries: audit field, item OID, label.
    public static let subjectFields: [(field: String, itemOID: String, label: String)] = [
        ("status", "CARTA.STATUS", "Participant status"),
        ("screen_failure_reasons", "CARTA.SCREEN_FAILURE_REASONS", "Screen-failure reasons (JSON list)"),
    ]

    /// The events of the metadata: screening, then each scheduled visit and procedure in schedule order.
    var events: [(id: String, name: String, scheduled: Bool, forms: [String])] {
        let screeningForms = study.forms.map(\.oid)
        return [(EventOID.screening.rawValue, "Screening", true, screeningForms)]
            + study.schedule.visits.map { ($0.id, $0.name, $0.kind == .visit, $0.forms) }
    }

    /// The XML document: `opening`, each participant's `subjectXML`, `closing`.
    public func xml() -> String {
        opening() + subjects.map(subjectXML).joined() + Self.closing
    }

    /// Everything before the first participant: the document's root, the study's metadata, the administrative data,
    /// and the opening of the clinical data (it lists what `facts` gathered, so it is written after the last participant
    /// has been added).
    public func opening() -> String {
        var w = XMLWriter()
        let now = Self.timestamp(createdAt)
        w.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        let archive = mode == .archive
        let description: String = switch mode {
        case .archive: "Pseudonymised archive: subject IDs only, no identifying details"
        case .limited: "Limited data set (45 CFR 164.514(e)) under data use agreement \(dataUseAgreement ?? "—"): current values, no audit trail, no free text"
        case .safeHarbor: "De-identified (45 CFR 164.514(b)(2), Safe Harbor): current values, dates as years, no free text, sites by code"
        }
        let described = synthetic ? "\(ODMArchiveContent.syntheticMarker) (carta demo), not real participants. \(description)" : description
        w.open("ODM", [("xmlns", "http://www.cdisc.org/ns/odm/v1.3"),
                       ("FileType", archive ? "Transactional" : "Snapshot"), ("Granularity", "All"), ("Archival", archive ? "Yes" : nil),
                       ("FileOID", "CARTA.\(study.id).\(mode.rawValue).\(Self.compactTimestamp(createdAt))"), ("CreationDateTime", now),
                       ("AsOfDateTime", now), ("ODMVersion", "1.3.2"), ("Originator", "Carta"), ("SourceSystem", "Carta"),
                       ("SourceSystemVersion", sourceSystemVersion), ("Description", described)])
        writeStudy(&w)
        writeAdminData(&w)
        w.open("ClinicalData", [("StudyOID", study.id), ("MetaDataVersionOID", Self.metaDataVersionOID)])
        return w.text
    }

    /// Everything after the last participant.
    public static let closing = "  </ClinicalData>\n</ODM>\n"

    /// One participant's part of the clinical data (in `opening`'s indentation). Its signatures refer to the meanings
    /// `facts` holds, so the participant must have been added to them first.
    public func subjectXML(_ s: Subject) -> String {
        var w = XMLWriter(depth: 2)
        if mode == .archive { writeSubject(&w, s) } else { writeSnapshot(&w, s) }
        return w.text
    }

    // MARK: metadata

    var units: [String] {
        var all = Set<String>()
        for item in study.allItems {
            if let u = item.unit { all.insert(u) }
            if let u = item.standardUnit { all.insert(u) }
            all.formUnion(item.allowedUnits)
        }
        all.formUnion(facts.units)
        return all.sorted()
    }

    static func unitOID(_ unit: String) -> String { "MU.\(unit)" }

    func writeStudy(_ w: inout XMLWriter) {
        w.open("Study", [("OID", study.id)])
        w.open("GlobalVariables")
        w.element("StudyName", study.title)
        w.element("StudyDescription", study.officialTitle ?? study.title)
        w.element("ProtocolName", study.id)
        w.close("GlobalVariables")
        let units = self.units
        if !units.isEmpty {
            w.open("BasicDefinitions")
            for u in units {
                w.open("MeasurementUnit", [("OID", Self.unitOID(u)), ("Name", u)])
                w.open("Symbol"); w.element("TranslatedText", u, [("xml:lang", "en")]); w.close("Symbol")
                w.close("MeasurementUnit")
            }
            w.close("BasicDefinitions")
        }
        w.open("MetaDataVersion", [("OID", Self.metaDataVersionOID), ("Name", "Study file of \(study.id)")])
        w.open("Protocol")
        for (n, event) in events.enumerated() {
            w.empty("StudyEventRef", [("StudyEventOID", Self.studyEventOID(event.id)), ("OrderNumber", String(n + 1)),
                                      ("Mandatory", event.id == EventOID.screening.rawValue ? "Yes" : "No")])
        }
        if mode == .archive {
            w.empty("StudyEventRef", [("StudyEventOID", Self.studyEventOID(Self.subjectRecord)), ("OrderNumber", String(events.count + 1)), ("Mandatory", "Yes")])
        }
        w.close("Protocol")
        for event in events {
            w.open("StudyEventDef", [("OID", Self.studyEventOID(event.id)), ("Name", event.name), ("Repeating", "No"), ("Type", event.scheduled ? "Scheduled" : "Unscheduled")])
            for (n, form) in event.forms.enumerated() {
                w.empty("FormRef", [("FormOID", form), ("OrderNumber", String(n + 1)), ("Mandatory", "No")])
            }
            w.close("StudyEventDef")
        }
        if mode == .archive {
            w.open("StudyEventDef", [("OID", Self.studyEventOID(Self.subjectRecord)), ("Name", "Carta subject record (status and screen-failure reasons)"), ("Repeating", "No"), ("Type", "Common")])
            w.empty("FormRef", [("FormOID", Self.subjectRecord), ("OrderNumber", "1"), ("Mandatory", "Yes")])
            w.close("StudyEventDef")
            w.open("FormDef", [("OID", Self.subjectRecord), ("Name", "Subject record"), ("Repeating", "No")])
            w.empty("ItemGroupRef", [("ItemGroupOID", "IG.\(Self.subjectRecord)"), ("Mandatory", "Yes")])
            w.close("FormDef")
        }
        for form in study.forms {
            w.open("FormDef", [("OID", form.oid), ("Name", form.name), ("Repeating", "No")])
            w.empty("ItemGroupRef", [("ItemGroupOID", "IG.\(form.oid)"), ("Mandatory", "Yes")])
            w.close("FormDef")
        }
        for form in study.forms {
            w.open("ItemGroupDef", [("OID", "IG.\(form.oid)"), ("Name", form.name), ("Repeating", "No")])
            for (n, item) in form.items.enumerated() {
                w.empty("ItemRef", [("ItemOID", item.oid), ("OrderNumber", String(n + 1)), ("Mandatory", item.required ? "Yes" : "No")])
            }
            w.close("ItemGroupDef")
        }
        if mode == .archive {
            w.open("ItemGroupDef", [("OID", "IG.\(Self.subjectRecord)"), ("Name", "Subject record"), ("Repeating", "No")])
            for (n, field) in Self.subjectFields.enumerated() {
                w.empty("ItemRef", [("ItemOID", field.itemOID), ("OrderNumber", String(n + 1)), ("Mandatory", "No")])
            }
            w.close("ItemGroupDef")
        }
        for item in study.allItems {
            // Under Safe Harbor a date holds its year only: ODM's partialDate (a date's leading part), not date (YYYY-MM-DD).
            let dataType = mode == .safeHarbor && item.type == .date ? "partialDate" : Self.dataType(item.type)
            let question = mode == .safeHarbor && item.ageInYears ? item.label + " (90 = 90 or older)" : item.label
            w.open("ItemDef", [("OID", item.oid), ("Name", item.oid), ("DataType", dataType)])
            w.open("Question"); w.element("TranslatedText", question, [("xml:lang", "en")]); w.close("Question")
            if let unit = item.standardUnit { w.empty("MeasurementUnitRef", [("MeasurementUnitOID", Self.unitOID(unit))]) }
            if !item.codeList.isEmpty { w.empty("CodeListRef", [("CodeListOID", "CL.\(item.oid)")]) }
            if let loinc = item.loinc { w.empty("Alias", [("Context", "LOINC"), ("Name", loinc)]) }
            w.close("ItemDef")
        }
        if mode == .archive {
            for field in Self.subjectFields {
                w.open("ItemDef", [("OID", field.itemOID), ("Name", field.field), ("DataType", "text")])
                w.open("Question"); w.element("TranslatedText", field.label, [("xml:lang", "en")]); w.close("Question")
                if field.field == "status" { w.empty("CodeListRef", [("CodeListOID", "CL.\(field.itemOID)")]) }
                w.close("ItemDef")
            }
        }
        for item in study.allItems where !item.codeList.isEmpty {
            w.open("CodeList", [("OID", "CL.\(item.oid)"), ("Name", item.label), ("DataType", "text")])
            for entry in item.codeList {
                w.open("CodeListItem", [("CodedValue", entry.code)])
                w.open("Decode"); w.element("TranslatedText", entry.label, [("xml:lang", "en")]); w.close("Decode")
                w.close("CodeListItem")
            }
            w.close("CodeList")
        }
        if mode == .archive {
            w.open("CodeList", [("OID", "CL.\(Self.subjectFields[0].itemOID)"), ("Name", "Participant status"), ("DataType", "text")])
            for status in ParticipantStatus.allCases {
                w.open("CodeListItem", [("CodedValue", status.rawValue)])
                w.open("Decode"); w.element("TranslatedText", status.rawValue.replacingOccurrences(of: "_", with: " "), [("xml:lang", "en")]); w.close("Decode")
                w.close("CodeListItem")
            }
            w.close("CodeList")
        }
        w.close("MetaDataVersion")
        w.close("Study")
    }

    static func dataType(_ type: ItemType) -> String {
        switch type {
        case .decimal: "float"
        case .integer: "integer"
        case .text, .code: "text"
        case .boolean: "boolean"
        case .date: "date"
        }
    }

    // MARK: users, sites, signature meanings

    static func userOID(_ username: String) -> String { "USR.\(username)" }
    static func locationOID(_ site: SiteID) -> String { "LOC.\(site.rawValue)" }

    /// Each distinct signature meaning, by kind, with its OID.
    var signatureDefinitions: [(oid: String, meaning: String)] {
        facts.meanings.enumerated().map { ("SD.\($0.offset + 1)", $0.element) }
    }

    func writeAdminData(_ w: inout XMLWriter) {
        w.open("AdminData", [("StudyOID", study.id)])
        guard mode == .archive else {
            // No users (no audit trail); in Safe Harbor the site is its code, its name being a place smaller than a state.
            let effective = String(Self.timestamp(createdAt).prefix(10))
            for site in study.sites {
                w.open("Location", [("OID", Self.locationOID(SiteID(site.id))), ("Name", mode == .safeHarbor ? site.id : site.name), ("LocationType", "Site")])
                w.empty("MetaDataVersionRef", [("StudyOID", study.id), ("MetaDataVersionOID", Self.metaDataVersionOID), ("EffectiveDate", effective)])
                w.close("Location")
            }
            w.close("AdminData")
            return
        }
        for user in users {
            w.open("User", [("OID", Self.userOID(user.username))])
            w.element("LoginName", user.username)
            w.element("DisplayName", user.displayName)
            w.element("FullName", user.displayName)
            w.close("User")
        }
        // Users recorded in the trail under a name that is no account (the system, the first administrator's set-up).
        let known = Set(users.map(\.username))
        for name in facts.usernames.subtracting(known).sorted() {
            w.open("User", [("OID", Self.userOID(name))]); w.element("LoginName", name); w.close("User")
        }
        let effective = String(Self.timestamp(createdAt).prefix(10))
        for site in study.sites {
            w.open("Location", [("OID", Self.locationOID(SiteID(site.id))), ("Name", site.name), ("LocationType", "Site")])
            w.empty("MetaDataVersionRef", [("StudyOID", study.id), ("MetaDataVersionOID", Self.metaDataVersionOID), ("EffectiveDate", effective)])
            w.close("Location")
        }
        for def in signatureDefinitions {
            w.open("SignatureDef", [("OID", def.oid), ("Methodology", "Electronic")])
            w.element("Meaning", def.meaning)
            w.element("LegalReason", "21 CFR Part 11 §11.50, §11.70, §11.200: electronic signature by password re-entry, bound to a SHA-256 of the content signed")
            w.close("SignatureDef")
        }
        w.close("AdminData")
    }

    // MARK: clinical data

    /// One value change: the records of one item written in one save (value and its parts), or one change of
    /// a participant-record field (status, screen-failure reasons) under the subject record.
    struct Transaction {
        var address: (event: String, form: String, item: String, repeatKey: String)
        var events: [AuditEvent]
        var firstSeq: Int { events.first?.seq ?? 0 }
        var key: String { address.event + "/" + address.form + "/" + address.item + "[" + address.repeatKey + "]" }
        var isSubjectRecord: Bool { address.event == ODMArchive.subjectRecord }
    }

    /// An item as it stands after a transaction: what an archive's ItemData states.
    struct ItemState {
        var value: String?
        var unit: String?
        var lln: String?
        var uln: String?
        /// The value is withheld (its record was redacted).
        var withheld = false
    }

    /// The item-value records grouped into transactions, oldest first; with `subjectRecord`, the participant
    /// record's own field changes too.
    static func transactions(_ history: [AuditEvent], subjectRecord: Bool = false) -> [Transaction] {
        var open: [String: Int] = [:] // base path + at → index
        var out: [Transaction] = []
        let subjectItems = Dictionary(uniqueKeysWithValues: subjectFields.map { ($0.field, $0.itemOID) })
        for e in history {
            if e.entity == .participant {
                guard subjectRecord, let item = subjectItems[e.field] else { continue }
                out.append(Transaction(address: (Self.subjectRecord, Self.subjectRecord, item, ""), events: [e]))
                continue
            }
            guard e.entity == .itemValue else { continue }
            let base = e.field.split(separator: ":", maxSplits: 1).first.map(String.init) ?? e.field
            let parts = base.split(separator: "/").map(String.init)
            guard parts.count >= 3 else { continue }
            var item = parts[2], repeatKey = ""
            if let open = item.firstIndex(of: "["), item.hasSuffix("]") {
                repeatKey = String(item[item.index(after: open)..<item.index(before: item.endIndex)])
                item = String(item[..<open])
            }
            let key = base + "@" + e.at
            if let i = open[key] { out[i].events.append(e) } else {
                open[key] = out.count
                out.append(Transaction(address: (parts[0], parts[1], item, repeatKey), events: [e]))
            }
        }
        return out
    }

    /// Each transaction with the state of its item after it, in the order of `transactions`.
    static func statesAfter(_ transactions: [Transaction]) -> [ItemState] {
        var current: [String: ItemState] = [:]
        return transactions.map { t in
            var state = current[t.key] ?? ItemState()
            for e in t.events {
                guard e.redaction == nil else { state.withheld = true; continue }
                switch e.field.split(separator: ":", maxSplits: 1).dropFirst().first.map(String.init) {
                case nil: state.value = e.newValue; state.withheld = false
                case ItemValuePart.unit.rawValue?: state.unit = e.newValue
                case ItemValuePart.lln.rawValue?: state.lln = e.newValue
                case ItemValuePart.uln.rawValue?: state.uln = e.newValue
                default: break
                }
            }
            if state.value == nil { state.unit = nil; state.lln = nil; state.uln = nil }
            current[t.key] = state
            return state
        }
    }

    /// The value an item has now, as a de-identified snapshot writes it: nil to leave it out (free text, which
    /// may name people; a withheld or cleared value); dates reduced to the year under Safe Harbor.
    func snapshotValue(_ t: Transaction, item: ItemDefinition?) -> String? {
        guard t.events.allSatisfy({ $0.redaction == nil }), let value = t.events.first(where: { !$0.field.contains(":") })?.newValue,
              let item, item.type != .text else { return nil }
        if item.type == .date && mode == .safeHarbor { return String(value.prefix(4)) }
        // Ages over 89 in one category, written 90 (the item's question says "90 = 90 or older").
        if item.ageInYears && mode == .safeHarbor, let age = Int(value), age >= 90 { return "90" }
        return value
    }

    /// Events in metadata order (screening, the schedule, the subject record last), then any other by name.
    func eventOrder(_ a: String, _ b: String) -> Bool {
        let count = eventRanks.count
        let rank = { (e: String) in eventRanks[e] ?? (e == Self.subjectRecord ? count : count + 1) }
        return (rank(a), a) < (rank(b), b)
    }

    func formOrder(_ a: String, _ b: String) -> Bool {
        (formRanks[a] ?? .max, a) < (formRanks[b] ?? .max, b)
    }

    func writeSnapshot(_ w: inout XMLWriter, _ s: Subject) {
        w.open("SubjectData", [("SubjectKey", s.participant.subjectID.rawValue)])
        w.empty("SiteRef", [("LocationOID", Self.locationOID(s.participant.siteID))])
        // The last change of each item is its current value (Safe Harbor keeps dates as years: 164.514(b)(2)(i)(C)).
        var latest: [String: Transaction] = [:]
        for t in Self.transactions(s.history) { latest[t.key] = t }
        let rows = latest.values.compactMap { t -> (t: Transaction, value: String, unit: String?)? in
            guard let value = snapshotValue(t, item: study.item(t.address.item)) else { return nil }
            return (t, value, t.events.first { $0.field.hasSuffix(":unit") }?.newValue)
        }
        for (event, inEvent) in Dictionary(grouping: rows, by: \.t.address.event).sorted(by: { eventOrder($0.key, $1.key) }) {
            w.open("StudyEventData", [("StudyEventOID", Self.studyEventOID(event))])
            for (form, inForm) in Dictionary(grouping: inEvent, by: \.t.address.form).sorted(by: { formOrder($0.key, $1.key) }) {
                w.open("FormData", [("FormOID", form)])
                for (repeatKey, group) in Dictionary(grouping: inForm, by: \.t.address.repeatKey).sorted(by: { $0.key < $1.key }) {
                    w.open("ItemGroupData", [("ItemGroupOID", "IG.\(form)"), ("ItemGroupRepeatKey", repeatKey.isEmpty ? nil : repeatKey)])
                    for r in group.sorted(by: { $0.t.firstSeq < $1.t.firstSeq }) {
                        if let unit = r.unit {
                            w.open("ItemData", [("ItemOID", r.t.address.item), ("Value", r.value)])
                            w.empty("MeasurementUnitRef", [("MeasurementUnitOID", Self.unitOID(unit))])
                            w.close("ItemData")
                        } else {
                            w.empty("ItemData", [("ItemOID", r.t.address.item), ("Value", r.value)])
                        }
                    }
                    w.close("ItemGroupData")
                }
                w.close("FormData")
            }
            w.close("StudyEventData")
        }
        w.close("SubjectData")
    }

    func auditRecord(_ w: inout XMLWriter, _ e: AuditEvent, site: SiteID, reason: String?) {
        w.open("AuditRecord", [("EditPoint", e.source == .import ? "DBAudit" : "DataManagement"), ("UsedImputationMethod", "No")])
        w.empty("UserRef", [("UserOID", Self.userOID(e.username))])
        w.empty("LocationRef", [("LocationOID", Self.locationOID(site))])
        w.element("DateTimeStamp", e.at)
        if let reason { w.element("ReasonForChange", reason) }
        w.element("SourceID", "audit #\(e.seq)")
        w.close("AuditRecord")
    }

    func writeSubject(_ w: inout XMLWriter, _ s: Subject) {
        let p = s.participant
        let created = s.history.first { $0.entity == .participant }
        w.open("SubjectData", [("SubjectKey", p.subjectID.rawValue), ("TransactionType", "Insert")])
        if let created { auditRecord(&w, created, site: p.siteID, reason: nil) }
        w.empty("SiteRef", [("LocationOID", Self.locationOID(p.siteID))])
        let transactions = Self.transactions(s.history, subjectRecord: true)
        let states = Self.statesAfter(transactions)
        var seen = Set<String>()
        let written = transactions.indices.map { i -> (t: Transaction, state: ItemState, first: Bool) in
            defer { seen.insert(transactions[i].key) }
            return (transactions[i], states[i], !seen.contains(transactions[i].key))
        }
        for (event, inEvent) in Dictionary(grouping: written, by: \.t.address.event).sorted(by: { eventOrder($0.key, $1.key) }) {
            w.open("StudyEventData", [("StudyEventOID", Self.studyEventOID(event))])
            for (form, inForm) in Dictionary(grouping: inEvent, by: \.t.address.form).sorted(by: { formOrder($0.key, $1.key) }) {
                w.open("FormData", [("FormOID", form)])
                for (repeatKey, group) in Dictionary(grouping: inForm, by: \.t.address.repeatKey).sorted(by: { $0.key < $1.key }) {
                    w.open("ItemGroupData", [("ItemGroupOID", "IG.\(form)"), ("ItemGroupRepeatKey", repeatKey.isEmpty ? nil : repeatKey)])
                    for x in group.sorted(by: { $0.t.firstSeq < $1.t.firstSeq }) {
                        writeItemData(&w, x.t, after: x.state, first: x.first, site: p.siteID)
                    }
                    w.close("ItemGroupData")
                }
                w.close("FormData")
            }
            w.close("StudyEventData")
        }
        w.close("SubjectData")
        // Each signature as its own transaction on the subject, in the order signed.
        let defs = facts.meaningOIDs
        let names = Dictionary(users.map { ($0.id, $0.username) }, uniquingKeysWith: { a, _ in a })
        var signatures: [(at: Date, signer: UserID, meaning: String, note: String)] = []
        for d in s.decisions {
            signatures.append((d.signedAt, d.signedBy, d.meaning,
                               "Eligibility decision \(d.decision.rawValue) signed by \(d.signerName) (participant version \(d.participantVersion))"
                                   + (d.contentHash.map { "; content SHA-256 \($0)" } ?? "")))
        }
        for c in s.casebookSignatures {
            signatures.append((c.signedAt, c.signedBy, c.meaning,
                               "\(c.eventOID.map { "Visit \($0)" } ?? c.formOID.map { "Form \($0)" } ?? "Casebook") signed by \(c.signerName); content SHA-256 \(c.contentHash)"))
        }
        for sig in signatures.sorted(by: { $0.at < $1.at }) {
            w.open("SubjectData", [("SubjectKey", p.subjectID.rawValue), ("TransactionType", "Update")])
            w.open("Signature")
            w.empty("UserRef", [("UserOID", Self.userOID(names[sig.signer] ?? sig.signer.rawValue))])
            w.empty("LocationRef", [("LocationOID", Self.locationOID(p.siteID))])
            w.empty("SignatureRef", [("SignatureOID", defs[sig.meaning] ?? "SD.1")])
            w.element("DateTimeStamp", Self.timestamp(sig.at))
            w.close("Signature")
            w.empty("SiteRef", [("LocationOID", Self.locationOID(p.siteID))])
            w.open("Annotation", [("SeqNum", "1")])
            w.element("Comment", sig.note, [("SponsorOrSite", "Site")])
            w.close("Annotation")
            w.close("SubjectData")
        }
    }

    /// One transaction: the item's value after it (`IsNull` when cleared or withheld by a redaction), its unit and
    /// the laboratory's reference range after it, and the audit record of the change.
    func writeItemData(_ w: inout XMLWriter, _ t: Transaction, after state: ItemState, first: Bool, site: SiteID) {
        var attributes: [(String, String?)] = [("ItemOID", t.address.item), ("TransactionType", first ? "Insert" : "Update")]
        if state.withheld || state.value == nil {
            attributes.append(("IsNull", "Yes"))
        } else {
            attributes.append(("Value", state.value))
        }
        w.open("ItemData", attributes)
        let anchor = t.events.first { !$0.field.contains(":") } ?? t.events[0]
        let redacted = t.events.first { $0.redaction != nil }
        let reason = redacted.map { "[redacted] \($0.redaction ?? "")" } ?? anchor.reason.map(ChangeReason.display(stored:))
        auditRecord(&w, anchor, site: site, reason: reason)
        if !state.withheld, let unit = state.unit {
            w.empty("MeasurementUnitRef", [("MeasurementUnitOID", Self.unitOID(unit))])
        }
        if !state.withheld, state.lln != nil || state.uln != nil {
            w.open("Annotation", [("SeqNum", "1")])
            w.element("Comment", Self.referenceRangeComment(lln: state.lln, uln: state.uln), [("SponsorOrSite", "Site")])
            w.close("Annotation")
        }
        w.close("ItemData")
    }

    /// The reference range annotation of a laboratory value (read back by `ODMArchiveContent`).
    static func referenceRangeComment(lln: String?, uln: String?) -> String {
        "Laboratory reference range: LLN \(lln ?? "—"), ULN \(uln ?? "—")"
    }

    // MARK: formatting

    static func timestamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }

    public static func compactTimestamp(_ date: Date) -> String {
        timestamp(date).filter { $0.isNumber }.prefix(17).description
    }
}

/// A minimal XML writer: every attribute value and text node escaped, elements closed in order.
///
/// Source: W3C XML 1.0 §2.4 (`&`, `<` escaped in text), §3.3.3 (attribute values: also `"`; tabs and line
/// breaks as character references so attribute normalisation does not change them).
struct XMLWriter {
    private(set) var text = ""
    private var depth: Int

    /// `depth`: the nesting the text is written at (two spaces a level), for a part of a document written apart.
    init(depth: Int = 0) { self.depth = depth }

    static func escape(_ s: String, attribute: Bool) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where attribute: out += "&quot;"
            case "\n" where attribute: out += "&#10;"
            case "\r": out += "&#13;"
            case "\t" where attribute: out += "&#9;"
            default:
                // XML 1.0 forbids other C0 controls even as references; the store refuses them, so drop any survivor.
                if ch.value < 0x20 && ch != "\n" && ch != "\t" { continue }
                // Nor U+FFFE/U+FFFF (refused at entry since; data saved before are shown as U+FFFD, not dropped unseen).
                if ch.value == 0xFFFE || ch.value == 0xFFFF { out += "\u{FFFD}"; continue }
                out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    private func attributes(_ list: [(String, String?)]) -> String {
        list.compactMap { name, value in value.map { " \(name)=\"\(Self.escape($0, attribute: true))\"" } }.joined()
    }

    private var indent: String { String(repeating: "  ", count: depth) }

    mutating func raw(_ s: String) { text += s }

    mutating func open(_ name: String, _ attrs: [(String, String?)] = []) {
        text += "\(indent)<\(name)\(attributes(attrs))>\n"
        depth += 1
    }

    mutating func close(_ name: String) {
        depth -= 1
        text += "\(indent)</\(name)>\n"
    }

    mutating func empty(_ name: String, _ attrs: [(String, String?)] = []) {
        text += "\(indent)<\(name)\(attributes(attrs))/>\n"
    }

    mutating func element(_ name: String, _ content: String, _ attrs: [(String, String?)] = []) {
        text += "\(indent)<\(name)\(attributes(attrs))>\(Self.escape(content, attribute: false))</\(name)>\n"
    }
}
