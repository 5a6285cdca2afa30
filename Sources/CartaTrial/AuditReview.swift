import CartaCore
import CartaModel
import CartaStore
import CartaStudy
import Foundation

/// The audit trail as a reviewer reads it: filtered by participant, form or item, user and site-calendar
/// dates, restricted to the reviewer's sites, with readable labels instead of internal paths.
///
/// Source: issue 7 scope 8 ("an audit view with filters … export with readable labels"); standards.md
/// R-AT-4 (human-interpretable: labels, not only OIDs; times with offset), R-AT-5 (review by subject,
/// form, user, date); issue 7 scope 1 (site scope applies to the audit trail too).
public struct AuditReview: Sendable {
    public let store: CartaStore
    public let study: Study
    public let clock: SiteClock
    let screening: ScreeningService

    public init(store: CartaStore, study: Study, clock: SiteClock, screening: ScreeningService) {
        self.store = store
        self.study = study
        self.clock = clock
        self.screening = screening
    }

    /// What a reviewer asks for, as typed (every field optional).
    public struct Criteria: Sendable, Equatable {
        public var subjectID: String?
        public var formOID: String?
        public var itemOID: String?
        public var username: String?
        /// First site-calendar day, `YYYY-MM-DD`.
        public var from: String?
        /// Last site-calendar day, `YYYY-MM-DD` (inclusive).
        public var to: String?
        /// Only changes made after a signature or a lock (`AuditFilter.afterSignatureOrLock`).
        public var afterSignatureOrLock: Bool

        public init(subjectID: String? = nil, formOID: String? = nil, itemOID: String? = nil, username: String? = nil,
                    from: String? = nil, to: String? = nil, afterSignatureOrLock: Bool = false) {
            func clean(_ s: String?) -> String? { s.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0.trimmingCharacters(in: .whitespaces) } }
            self.subjectID = clean(subjectID); self.formOID = clean(formOID); self.itemOID = clean(itemOID)
            self.username = clean(username); self.from = clean(from); self.to = clean(to)
            self.afterSignatureOrLock = afterSignatureOrLock
        }

        /// The criteria as the audit view's query parameters (stable order), to reopen a signed-off scope.
        public var queryString: String {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            let pairs: [(String, String?)] = [("subject", subjectID), ("form", formOID), ("item", itemOID), ("user", username),
                                              ("from", from), ("to", to), ("after_signature_or_lock", afterSignatureOrLock ? "1" : nil)]
            return pairs.compactMap { k, v in v.map { "\(k)=\($0.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0)" } }
                .joined(separator: "&")
        }

        /// The criteria in words ("participant BCRITP-001 · form F_VITALS · …"; "the whole trail" without any).
        public var summary: String {
            var parts: [String] = []
            if let subjectID { parts.append("participant \(subjectID)") }
            if let formOID { parts.append("form \(formOID)" + (itemOID.map { " item \($0)" } ?? "")) }
            if let username { parts.append("user \(username)") }
            switch (from, to) {
            case let (f?, t?): parts.append("\(f) to \(t)")
            case let (f?, nil): parts.append("from \(f)")
            case let (nil, t?): parts.append("up to \(t)")
            case (nil, nil): break
            }
            if afterSignatureOrLock { parts.append("changes after a signature or lock") }
            return parts.isEmpty ? "the whole trail" : parts.joined(separator: " · ")
        }
    }

    /// The store filter for `criteria` as `principal` may see it; bad criteria are refused by field.
    public func filter(_ criteria: Criteria, by principal: Principal) async throws -> AuditFilter {
        try principal.require(.readAudit)
        var f = AuditFilter(sites: principal.user.sites.listed)
        // Other people's sign-ins, failed passwords and account changes are for those who review access (admin, auditor):
        // a coordinator or monitor who reads the trail for study data sees only their own (least privilege, R-AC-1).
        if !principal.may(.reviewAccess) {
            f.accountRecordsOf = AuditFilter.AccountOwner(username: principal.user.username, userID: principal.user.id.rawValue)
        }
        var problems: [WorkflowError.FieldProblem] = []
        if let s = criteria.subjectID {
            // A subject ID is short (the pattern's text and a few digits); anything longer is refused before any lookup.
            guard s.count <= 40 else {
                throw WorkflowError.invalid("subject", "subject must be a subject ID of at most 40 characters (got \(s.quotedForMessage)).")
            }
            f.participantID = try await screening.participant(SubjectID(s), by: principal).id.rawValue
        }
        if let formOID = criteria.formOID {
            if let form = study.form(formOID) {
                // At every event: a form is collected at screening and at visits.
                f.formOID = form.oid
                if let item = criteria.itemOID {
                    if form.items.contains(where: { $0.oid == item }) { f.itemOID = item } else {
                        problems.append(.init(field: "item", message: "Form \(formOID) has no item \(item)."))
                    }
                }
            } else {
                problems.append(.init(field: "form", message: "The study has no form \(formOID)."))
            }
        } else if criteria.itemOID != nil {
            problems.append(.init(field: "item", message: "Choose the form of the item too."))
        }
        f.username = criteria.username
        f.afterSignatureOrLock = criteria.afterSignatureOrLock
        for (field, text, isEnd) in [("from", criteria.from, false), ("to", criteria.to, true)] {
            guard let text else { continue }
            guard let day = ClinicalDate(iso: text) else {
                problems.append(.init(field: field, message: "\(field) must be a date YYYY-MM-DD (got \(text.quotedForMessage)).")); continue
            }
            // Site-calendar days: from the start of `from` to the end of `to`, as UTC instants.
            let start = startOfDay(isEnd ? day.adding(days: 1) : day)
            if isEnd { f.before = StoreTimestamp.string(start) } else { f.from = StoreTimestamp.string(start) }
        }
        guard problems.isEmpty else { throw WorkflowError.invalidInput(problems) }
        return f
    }

    /// The fixed meaning of an audit-review sign-off (21 CFR 11.50(a)(3)); the reviewer cannot reword it.
    public static let signOffMeaning = "Audit trail reviewed: the records in this scope were examined and issues followed up"

    /// Signs off the review of `criteria`'s records as the principal sees them: needs `reviewAudit`, the
    /// password (and second-factor code if enrolled); bound to the records' chain hashes; audited.
    ///
    /// Source: standards.md R-AT-5 ("Reviewer can save a review scope and sign it; sign-off appears in audit").
    public func signOff(_ criteria: Criteria, password: String, code: String?, comment: String?,
                        by principal: Principal, accounts: AccountService) async throws -> AuditReviewSignOff {
        try principal.require(.reviewAudit)
        let filter = try await filter(criteria, by: principal)
        let note = comment?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let note, note.count > 2000 || note.hasControlOrInvisibleCharacters(allowingLineBreaks: true) {
            throw WorkflowError.invalid("comment", "The comment: at most 2000 printable characters.")
        }
        guard try await accounts.verifySigner(principal.user, password: password, code: code, source: principal.source) else {
            throw WorkflowError.invalid("password", AccountService.signerRefusal(principal.user, nothingDone: "the review was not signed off"))
        }
        do {
            return try await store.signAuditReview(filter, scope: criteria.queryString, scopeDescription: criteria.summary,
                                                   reviewer: principal.user, meaning: Self.signOffMeaning,
                                                   comment: (note?.isEmpty ?? true) ? nil : note, actor: principal.actor, at: clock.now)
        } catch let e as StoreError {
            throw WorkflowError(e) ?? e
        }
    }

    /// Redacts one audit record's values (personal data typed where it does not belong) with a justification:
    /// needs `redactAudit`, the record within the principal's sites, and the password (and code if enrolled).
    ///
    /// Source: standards.md R-AT-3; 21 CFR 11.10(e).
    public func redact(seq: Int, justification: String, password: String, code: String?,
                       by principal: Principal, accounts: AccountService) async throws -> AuditEvent {
        try principal.require(.redactAudit)
        let why = justification.trimmingCharacters(in: .whitespacesAndNewlines)
        guard why.count >= 10, why.count <= 500, !why.hasControlOrInvisibleCharacters() else {
            throw WorkflowError.invalid("justification", "Say why this record must be redacted (10 to 500 printable characters); the justification stays visible in the audit trail.")
        }
        let visible = try await store.auditSearch(AuditFilter(sites: principal.user.sites.listed), after: seq - 1, limit: 1).events
        guard visible.first?.seq == seq else {
            throw WorkflowError(.notFound, "There is no audit record #\(seq) at your sites.")
        }
        guard try await accounts.verifySigner(principal.user, password: password, code: code, source: principal.source) else {
            throw WorkflowError.invalid("password", AccountService.signerRefusal(principal.user, nothingDone: "nothing was redacted"))
        }
        do {
            return try await store.redactAudit(seq: seq, justification: why, by: principal.user, actor: principal.actor, at: clock.now)
        } catch let e as StoreError {
            throw WorkflowError(e) ?? e
        }
    }

    /// Signed review sign-offs, newest first (anyone who reads the audit trail sees them).
    public func signOffs(by principal: Principal) async throws -> [AuditReviewSignOff] {
        try principal.require(.readAudit)
        return try await store.auditReviews()
    }

    func startOfDay(_ day: ClinicalDate) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = clock.timeZone
        return calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day)) ?? Date(timeIntervalSince1970: 0)
    }

    /// A readable name for an audited field: item paths become "Form › Item (part)".
    public func fieldLabel(_ event: AuditEvent) -> String {
        guard event.entity == .itemValue else { return event.field.replacingOccurrences(of: "_", with: " ") }
        let pieces = event.field.split(separator: ":", maxSplits: 1).map(String.init)
        let path = pieces[0].split(separator: "/").map(String.init)
        guard path.count >= 3, let form = study.form(path[1]) else { return event.field }
        let item = form.items.first { $0.oid == path[2].split(separator: "[").first.map(String.init) ?? path[2] }
        let part = pieces.count > 1 ? ItemValuePart(rawValue: pieces[1]) : nil
        let partLabel: String? = switch part {
        case .unit: "unit"
        case .standard: "standardised value"
        case .standardUnit: "standard unit"
        case .lln: "lower limit of normal"
        case .uln: "upper limit of normal"
        case nil: nil
        }
        return "\(form.name) › \(item?.label ?? path[2])" + (partLabel.map { " (\($0))" } ?? "")
    }
}

/// One line of the audit trail as a reviewer reads it: a value change together with the parts saved with it
/// (unit, standardised value, reference limits), or any other record on its own.
///
/// The store keeps one record per changed part (each hashed and replayed on its own); a monitor reads one line
/// per change: "42 ×10⁹/L · LLN 150 · ULN 410", not six rows with internal codes (issue 7: "the audit trail
/// writes about six rows per lab value with internal codes"). Source: standards.md R-AT-4 (human-interpretable
/// audit trail), R-AT-1 (who, what, when, why per change).
public struct AuditEntry: Sendable, Equatable {
    /// The records of the line, oldest first (one unless a value was saved with its parts).
    public var records: [AuditEvent]
    /// "Form › Item", or the field in words.
    public var field: String
    /// The stored path of the value (item values only).
    public var fieldPath: String?
    public var oldValue: String
    public var newValue: String

    public var first: AuditEvent { records[0] }
    public var lastSeq: Int { records[records.count - 1].seq }
}

extension AuditReview {
    /// The records as reviewer lines, in the order given: adjacent records of one save of one value (same
    /// participant, item path, time, user and channel, consecutive numbers) become one line; a redacted record
    /// stays a line of its own.
    public func entries(_ events: [AuditEvent]) -> [AuditEntry] {
        func base(_ e: AuditEvent) -> String? {
            guard e.entity == .itemValue, e.redaction == nil else { return nil }
            return e.field.split(separator: ":", maxSplits: 1).first.map(String.init)
        }
        var groups: [[AuditEvent]] = []
        for e in events {
            if let b = base(e), let last = groups.last?.last, let lb = base(last), lb == b, last.entityID == e.entityID, last.at == e.at,
               last.username == e.username, last.source == e.source, abs(last.seq - e.seq) == 1 {
                groups[groups.count - 1].append(e)
            } else {
                groups.append([e])
            }
        }
        return groups.map { group in
            let records = group.sorted { $0.seq < $1.seq }
            guard records.count > 1 || base(records[0]) != nil, let path = base(records[0]) else {
                let e = records[0]
                return AuditEntry(records: records, field: fieldLabel(e), fieldPath: e.entity == .itemValue ? e.field : nil,
                                  oldValue: e.oldValue ?? "", newValue: e.newValue ?? "")
            }
            var old: [String: String?] = [:], new: [String: String?] = [:]
            for e in records {
                let part = e.field.split(separator: ":", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
                old[part] = e.oldValue
                new[part] = e.newValue
            }
            var anchor = records[0]
            anchor.field = path
            return AuditEntry(records: records, field: fieldLabel(anchor), fieldPath: path,
                              oldValue: Self.describe(old), newValue: Self.describe(new))
        }
    }

    /// One side of a value change in words, from the parts the save recorded ("" when all are empty: created
    /// or cleared). The standardised value is shown only when it is in another unit than the one entered.
    static func describe(_ parts: [String: String?]) -> String {
        guard parts.values.contains(where: { $0 != nil }) else { return "" }
        var pieces: [String] = []
        let unit = (parts[ItemValuePart.unit.rawValue] ?? nil).map(EligibilityFormat.displayUnit).flatMap { $0.isEmpty ? nil : $0 }
        let standard = parts[ItemValuePart.standard.rawValue] ?? nil
        let standardUnit = (parts[ItemValuePart.standardUnit.rawValue] ?? nil).map(EligibilityFormat.displayUnit)
        if let main = parts[""] {
            var text = main ?? "(blank)"
            if let unit {
                text += " " + unit
                if let standard, let standardUnit, !standardUnit.isEmpty, standardUnit != unit { text += " (= \(standard) \(standardUnit))" }
            } else if let standard, let standardUnit, !standardUnit.isEmpty, let m = main {
                // The unit did not change in this save: the standardised value says which unit the number is in.
                text += Double(m) == Double(standard) ? " " + standardUnit : " (= \(standard) \(standardUnit))"
            }
            pieces.append(text)
        } else if let unit {
            pieces.append("unit \(unit)")
        } else if let standard, let standardUnit {
            pieces.append("= \(standard) \(standardUnit)")
        }
        if let lln = parts[ItemValuePart.lln.rawValue] { pieces.append("LLN \(lln ?? "—")") }
        if let uln = parts[ItemValuePart.uln.rawValue] { pieces.append("ULN \(uln ?? "—")") }
        return pieces.joined(separator: " · ")
    }
}
