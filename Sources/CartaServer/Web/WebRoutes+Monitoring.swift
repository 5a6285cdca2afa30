import CartaCore
import CartaModel
import CartaStore
import CartaStudy
import CartaTrial
import CartaWeb
import Foundation
import Hummingbird

extension CartaServices {
    /// The monitoring forms of the participant page (queries, source verification, casebook signature) and
    /// the query inbox. Thin handlers over `QueryService`, `SourceVerificationService` and `CasebookService`;
    /// a refusal returns to the participant page with the service's message (issue 7 scopes 4–6).
    func addMonitoringPageRoutes(to router: Router<AppRequestContext>) {
        @Sendable func back(_ subjectID: SubjectID, _ body: () async throws -> String) async throws -> Response {
            let target = WebPaths.participant(subjectID.rawValue) + "#monitoring"
            do {
                return self.redirect(target, flash: Flash(.success, try await body()))
            } catch let e as WorkflowError where [.invalidInput, .invalidState, .conflict].contains(e.code) {
                let detail = e.fields.map(\.message).joined(separator: " ")
                return self.redirect(target, flash: Flash(.error, detail.isEmpty ? e.message : detail))
            }
        }
        router.post("/participants/:subjectID/queries", use: page { request, context in
            let principal = try context.principal(.manageQueries, .web)
            let form = try await self.readForm(request, context)
            let subjectID = SubjectID(try context.parameters.require("subjectID"))
            return try await back(subjectID) {
                // The item select posts "ITEM" for screening data and "VISIT:ITEM" for a visit's.
                let choice = (form["item"] ?? "").split(separator: ":", maxSplits: 1).map(String.init)
                let q = try await self.runtime.queries.raise(subjectID: subjectID, itemOID: choice.last ?? "", visitID: choice.count == 2 ? choice[0] : nil,
                                                             text: form["text"] ?? "", by: principal)
                return "Query raised on \(self.runtime.queries.label(q.address))."
            }
        })
        router.post("/participants/:subjectID/queries/:id", use: page { request, context in
            let form = try await self.readForm(request, context)
            let subjectID = SubjectID(try context.parameters.require("subjectID"))
            let id = try context.parameters.require("id")
            let service = self.runtime.queries
            // The query must be this participant's: another participant's query acted on from this page was answered or
            // closed and reported back here, as if it were this participant's.
            guard try await service.query(id: id, by: try context.principal(.readStudyData, .web)).subjectID == subjectID else {
                throw WorkflowError(.notFound, "\(subjectID) has no query \(id); the participant's page lists theirs.")
            }
            let text = form["text"] ?? ""
            switch form["action"] {
            case "answer":
                let principal = try context.principal(.answerQueries, .web)
                return try await back(subjectID) { _ = try await service.answer(id: id, text: text, by: principal); return "Query answered." }
            case "close":
                let principal = try context.principal(.manageQueries, .web)
                return try await back(subjectID) { _ = try await service.close(id: id, text: text, by: principal); return "Query closed." }
            case "reopen":
                let principal = try context.principal(.manageQueries, .web)
                return try await back(subjectID) { _ = try await service.reopen(id: id, text: text, by: principal); return "Query re-opened." }
            default:
                throw AppError.invalid("action", "Choose answer, close or re-open.")
            }
        })
        router.post("/participants/:subjectID/sdv", use: page { request, context in
            let principal = try context.principal(.verifySource, .web)
            let form = try await self.readForm(request, context)
            let subjectID = SubjectID(try context.parameters.require("subjectID"))
            return try await back(subjectID) {
                let formOID = form["form"] ?? ""
                let visit = (form["visit"] ?? "").isEmpty ? nil : form["visit"]
                let n = try await self.runtime.sourceVerification.verify(subjectID: subjectID, formOID: formOID, visitID: visit,
                                                                          expectedVersion: Int(form["version"] ?? "") ?? -1, by: principal).count
                let what = "\(visit.map { "\($0): " } ?? "")\(self.study.form(formOID)?.name ?? formOID)"
                return n == 0 ? "\(what): every recorded value was already verified against source." : "\(what): \(n.counted("value")) marked verified against source."
            }
        })
        router.post("/participants/:subjectID/casebook/sign", use: page { request, context in
            let principal = try context.principal(.signCasebook, .web)
            let form = try await self.readForm(request, context)
            let subjectID = SubjectID(try context.parameters.require("subjectID"))
            return try await back(subjectID) {
                // The scope select posts "" (casebook), a form OID, or "visit:<ID>".
                let scope = form["form"] ?? ""
                let visitID = scope.hasPrefix("visit:") ? String(scope.dropFirst("visit:".count)) : nil
                _ = try await self.runtime.casebook.sign(subjectID: subjectID, formOID: scope.isEmpty || visitID != nil ? nil : scope, visitID: visitID,
                                                         password: form["password"] ?? "", code: form["code"],
                                                         expectedVersion: Int(form["version"] ?? "") ?? -1,
                                                         acknowledgesBinding: form["acknowledge_binding"] == "yes", by: principal)
                return (scope.isEmpty ? "Casebook" : visitID.map { "Visit \($0)" } ?? "Form \(scope)") + " signed by \(principal.user.displayName)."
            }
        })
        router.get("/participants/:subjectID/casebook", use: page { _, context in
            let viewer = try context.principal(.readStudyData, .web)
            let model = try await self.casebookPage(SubjectID(try context.parameters.require("subjectID")), viewer: viewer)
            return try self.html(model, self.layout(context, current: .participants))
        })
        router.get("/queries", use: page { request, context in
            let viewer = try context.principal(.readStudyData, .web)
            let parameters = request.uri.queryParameters
            func v(_ k: String) -> String { parameters[Substring(k)].map(String.init) ?? "" }
            let (flashes, clear) = self.takeFlash(request)
            var notes = flashes
            var filter = QueryFilter()
            var filterFailed = false
            do {
                filter = try Self.queryFilter(study: self.study) { k in let s = v(k); return s.isEmpty ? nil : s }
            } catch let e as AppError {
                notes.append(Flash(.error, e.message))
                filterFailed = true
            }
            if v("status").isEmpty && parameters["status"] == nil { filter.statuses = [.open, .answered] }
            // A filter that could not be read lists nothing (every query, closed ones too, was listed under its error).
            let found = filterFailed ? [] : try await self.runtime.queries.inbox(filter, by: viewer)
            let now = self.runtime.clock.now
            let rows = found.map { found in
                let (q, subject) = (found.query, found.subjectID)
                return QueryInboxPage.Row(id: q.id, subjectId: subject.rawValue,
                                   href: WebPaths.participant(subject.rawValue) + "#query-" + q.id,
                                   item: self.runtime.queries.label(q.address),
                                   form: self.study.form(q.address.formOID.rawValue)?.name ?? q.address.formOID.rawValue,
                                   status: q.status.rawValue, ageDays: q.ageInDays(now: now),
                                   origin: q.checkID.map { "Edit check \($0)" } ?? q.raisedBy,
                                   lastMessage: q.messages.last.map { "\($0.action.rawValue): \($0.text)" } ?? "")
            }
            let statusChoice = v("status").isEmpty && parameters["status"] == nil ? "open,answered" : v("status")
            let statuses = [("open,answered", "Active (open or answered)"), ("open", "Open"), ("answered", "Answered"),
                            ("closed", "Closed"), ("", "Any")].map { SelectOption(value: $0.0, label: $0.1, selected: $0.0 == statusChoice) }
            let forms = [SelectOption(value: "", label: "Any form", selected: v("form").isEmpty)]
                + self.study.forms.map { SelectOption(value: $0.oid, label: $0.name, selected: $0.oid == v("form")) }
            let model = QueryInboxPage.Model(rows: rows, statuses: statuses, forms: forms, subject: v("subject"), minAgeDays: v("minAgeDays"),
                                             summary: "\(rows.count) quer\(rows.count == 1 ? "y" : "ies"), oldest first.")
            return try self.html(model, self.layout(context, flashes: notes, current: .queries), extraHeaders: clear)
        })
    }

    /// Audit records shown in a printed casebook at most; beyond, the page says where to read the rest.
    static let casebookAuditLimit = 5_000

    /// The printable casebook of `subjectID` (pseudonymised; audit history only for roles that read the audit trail).
    func casebookPage(_ subjectID: SubjectID, viewer: Principal) async throws -> CasebookPage.Model {
        let file = try await screening.file(subjectID, by: viewer, history: false)
        let marks = try await store.sourceVerifications(participantIDs: [file.participant.id])
        let markByAddress = Dictionary(marks.map { ($0.address, $0) }, uniquingKeysWith: { a, _ in a })
        // Every recorded value, visit by visit in the schedule's order (screening first; events outside the schedule,
        // such as an early termination, after it), then form by form: a form recorded at fifteen visits is printed
        // fifteen times, each under its visit.
        let order = Dictionary(study.schedule.eventOrder.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let recorded = Dictionary(grouping: file.values.filter { $0.value.map { !$0.text.isEmpty } == true }, by: \.address.eventOID)
        let events = recorded.keys.sorted { (order[$0] ?? Int.max, $0.rawValue) < (order[$1] ?? Int.max, $1.rawValue) }
        let forms: [CasebookPage.Form] = events.flatMap { event -> [CasebookPage.Form] in
            let values = recorded[event] ?? []
            let visitID = event == .screening ? (study.schedule.visits.first?.id ?? event.rawValue) : event.rawValue
            let visitName = study.schedule.visits.first { $0.id == visitID }?.name ?? visitID
            return study.forms.compactMap { form in
                let rows: [CasebookPage.Row] = form.items.compactMap { item in
                    guard let v = values.first(where: { $0.address.formOID.rawValue == form.oid && $0.address.itemOID.rawValue == item.oid }),
                          let value = v.value else { return nil }
                    let shown = value.text + (value.unit.map { " " + EligibilityFormat.displayUnit($0) } ?? "")
                        + (value.standardValue.map { s in value.unit == value.standardUnit ? "" : " (\(EligibilityFormat.quantity(s, value.standardUnit ?? "")))" } ?? "")
                    let range = [value.lowerLimitNormal, value.upperLimitNormal].contains { $0 != nil }
                        ? "\(value.lowerLimitNormal.map(EligibilityFormat.number) ?? "…")–\(value.upperLimitNormal.map(EligibilityFormat.number) ?? "…")" : "—"
                    let verified: String = {
                        guard let mark = markByAddress[v.address] else { return item.critical ? "not yet (critical)" : "not yet" }
                        return mark.covers(v) ? "\(mark.verifiedByName), \(WebFormat.dateTime(mark.verifiedAt))" : "changed since verification"
                    }()
                    return CasebookPage.Row(id: "cb-\(visitID)-\(item.oid)", label: item.label, value: shown, range: range,
                                            changed: "\(v.updatedBy), \(WebFormat.dateTime(v.updatedAt))", verified: verified)
                }
                return rows.isEmpty ? nil : CasebookPage.Form(visitID: visitID, visit: visitName, oid: form.oid, name: form.name, rows: rows)
            }
        }
        var signatures: [CasebookPage.Signature] = []
        if let d = file.latestDecision {
            signatures.append(.init(kind: "Eligibility: \(d.decision.rawValue.replacingOccurrences(of: "_", with: " "))", signer: d.signerName,
                                    at: WebFormat.dateTime(d.signedAt), meaning: d.meaning, contentHash: d.contentHash ?? "(signed before content hashes)",
                                    standing: screening.signatureStanding(file) == .valid ? "valid" : "invalidated by a later change"))
        }
        for s in try await runtime.casebook.signatures(file) {
            signatures.append(.init(kind: s.signature.formOID.map { "Form: \(study.form($0.rawValue)?.name ?? $0.rawValue)" } ?? "Casebook",
                                    signer: s.signature.signerName, at: WebFormat.dateTime(s.signature.signedAt),
                                    meaning: s.signature.meaning, contentHash: s.signature.contentHash,
                                    standing: s.standing == .valid ? "valid" : "invalidated by a later change"))
        }
        let queries = try await store.queries(participantID: file.participant.id).map { q in
            CasebookPage.Query(item: "\(runtime.queries.label(q.address)) (\(q.address.formOID))", status: q.status.rawValue,
                               thread: q.messages.map { .init(action: $0.action.rawValue, by: $0.byName, at: WebFormat.dateTime($0.at), text: $0.text) })
        }
        var audit: CasebookPage.Audit?
        if viewer.may(.readAudit) {
            let filter = try await runtime.audit.filter(AuditReview.Criteria(subjectID: subjectID.rawValue), by: viewer)
            let page = try await store.auditSearch(filter, after: 0, limit: Self.casebookAuditLimit)
            audit = CasebookPage.Audit(
                events: runtime.audit.entries(page.events).map { line in
                    let e = line.first
                    return CasebookPage.AuditRow(seq: e.seq, seqThrough: line.records.count > 1 ? line.lastSeq : nil, time: WebFormat.auditTime(e.at),
                                                 user: e.username, field: line.field,
                                                 change: "\(line.oldValue.isEmpty ? "—" : line.oldValue) → \(line.newValue.isEmpty ? "—" : line.newValue)",
                                                 reason: e.reason.map(ChangeReason.display(stored:)) ?? "")
                },
                truncated: page.nextAfter.map { "The first \(Self.casebookAuditLimit) audit records are shown; read the rest in the audit trail (participant \(subjectID), after record \($0))." })
        }
        return CasebookPage.Model(
            subjectId: subjectID.rawValue, study: "\(study.id) — \(study.title)", site: siteName(file.participant.siteID),
            status: file.participant.status.rawValue.replacingOccurrences(of: "_", with: " "),
            printedAt: WebFormat.dateTime(runtime.clock.now), printedBy: viewer.user.displayName,
            eligibility: file.latestDecision.map { "\($0.decision.rawValue.replacingOccurrences(of: "_", with: " ")), signed by \($0.signerName)" },
            forms: forms, signatures: signatures, queries: queries, audit: audit)
    }

    /// The participant page's monitoring section for `viewer`.
    func monitoringSection(_ file: ParticipantFile, viewer: Principal, csrf: String) async throws -> MonitoringSection {
        let queries = try await store.queries(participantID: file.participant.id)
        let marks = try await store.sourceVerifications(participantIDs: [file.participant.id])
        let sdv = runtime.sourceVerification
        let now = runtime.clock.now
        let rows = queries.map { q in
            MonitoringSection.Query(
                id: q.id, itemOID: q.address.itemOID.rawValue, itemLabel: runtime.queries.label(q.address),
                formName: study.form(q.address.formOID.rawValue)?.name ?? q.address.formOID.rawValue, status: q.status.rawValue,
                origin: q.checkID.map { "Edit check \($0)" } ?? "Raised by \(q.raisedBy)", ageDays: q.ageInDays(now: now),
                messages: q.messages.map { .init(action: $0.action.rawValue, by: $0.byName, at: WebFormat.dateTime($0.at), text: $0.text) },
                canAnswer: viewer.may(.answerQueries) && DataQuery.allowed(.answered, from: q.status),
                canClose: viewer.may(.manageQueries) && DataQuery.allowed(.closed, from: q.status),
                canReopen: viewer.may(.manageQueries) && DataQuery.allowed(.reopened, from: q.status),
                visitID: q.address.eventOID == .screening ? nil : q.address.eventOID.rawValue)
        }
        // Queries: any screening item, and each item recorded at a visit ("VISIT:ITEM").
        let visits = study.schedule.visits.dropFirst()
        let recordedAtVisits = file.values.filter { $0.address.eventOID != .screening && $0.value != nil }
        var raisable: [(String, String)] = []
        if viewer.may(.manageQueries) {
            raisable = study.forms.flatMap { f in f.items.map { ($0.oid, "\(f.name): \($0.label)") } }
            for v in visits {
                for value in recordedAtVisits where value.address.eventOID.rawValue == v.id {
                    let f = study.form(value.address.formOID.rawValue)
                    let label = f?.items.first { $0.oid == value.address.itemOID.rawValue }?.label ?? value.address.itemOID.rawValue
                    raisable.append(("\(v.id):\(value.address.itemOID)", "\(v.name) — \(f?.name ?? value.address.formOID.rawValue): \(label)"))
                }
            }
        }
        // Source data verification: each form at screening, then each form with data at each visit, verified apart.
        func progress(_ f: FormDefinition, _ event: EventOID, visit: VisitDefinition?) -> MonitoringSection.FormProgress {
            let p = SourceVerificationProgress.of(file.values.filter { $0.address.formOID.rawValue == f.oid && $0.address.eventOID == event },
                                                  marks: marks.filter { $0.address.eventOID == event }, critical: sdv.isCritical)
            return MonitoringSection.FormProgress(formOID: f.oid, name: visit.map { "\($0.name) — \(f.name)" } ?? f.name, recorded: p.recorded,
                                                  verified: p.verified, criticalRecorded: p.criticalRecorded, criticalVerified: p.criticalVerified,
                                                  changedSinceVerification: p.changedSinceVerification, visitID: visit?.id)
        }
        var forms = study.forms.map { progress($0, .screening, visit: nil) }
        for v in visits {
            let event = EventOID(v.id)
            for oid in v.forms where recordedAtVisits.contains(where: { $0.address.eventOID == event && $0.address.formOID.rawValue == oid }) {
                if let f = study.form(oid) { forms.append(progress(f, event, visit: v)) }
            }
        }
        let states = try await runtime.casebook.signatures(file)
        // Offer only what the viewer's valid signatures do not already cover (a repeat would be refused): the whole
        // casebook, and each form with data.
        let covered = Set(states.filter { $0.signature.signedBy == viewer.user.id && $0.standing == .valid }.map { $0.signature.scopeKey })
        let signatures = states.map {
            MonitoringSection.Signature(signerName: $0.signature.signerName, signedAt: WebFormat.dateTime($0.signature.signedAt),
                                        meaning: $0.signature.meaning, contentHash: $0.signature.contentHash, valid: $0.standing == .valid,
                                        scope: $0.signature.eventOID.map { e in "visit \(study.schedule.visit(e.rawValue)?.name ?? (e == .screening ? "Screening" : e.rawValue))" }
                                            ?? $0.signature.formOID.map { "form \(study.form($0.rawValue)?.name ?? $0.rawValue)" } ?? "the whole casebook")
        }
        var scopes: [(value: String, label: String, meaning: String)] = covered.contains("") ? [] : [("", "The whole casebook", CasebookService.meaning)]
        for f in study.forms where !covered.contains(f.oid) && file.values.contains(where: { $0.address.formOID.rawValue == f.oid && $0.value != nil }) {
            scopes.append((f.oid, "Form: \(f.name)", CasebookService.formMeaning(f.name)))
        }
        for (i, v) in study.schedule.visits.enumerated() where !covered.contains("visit:\(v.id)") {
            let event = i == 0 ? EventOID.screening : EventOID(rawValue: v.id)
            guard file.values.contains(where: { $0.address.eventOID == event && $0.value != nil }) else { continue }
            scopes.append(("visit:\(v.id)", "Visit: \(v.name)", CasebookService.visitMeaning(v.name)))
        }
        let signForm = viewer.may(.signCasebook) && !scopes.isEmpty
            ? (meaning: CasebookService.meaning, signerName: viewer.user.displayName, needsAcknowledgement: viewer.user.signatureAttestedAt == nil,
               needsCode: viewer.user.secondFactorEnrolledAt != nil)
            : nil
        var section = MonitoringSection(subjectId: file.participant.subjectID.rawValue, csrf: csrf, version: file.participant.version, queries: rows,
                                        raisableItems: raisable, forms: forms, canVerify: viewer.may(.verifySource), signatures: signatures,
                                        signForm: signForm)
        section.signScopes = scopes
        return section
    }
}
