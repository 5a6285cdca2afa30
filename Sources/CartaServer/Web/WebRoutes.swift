import CartaModel
import CartaCore
import CartaStore
import CartaWeb
import CartaTrial
import Foundation
import Hummingbird

extension CartaServices {
    /// Server-rendered pages (issue 2 §7); every POST checks the CSRF token before anything else.
    func addWebRoutes(to router: Router<AppRequestContext>) {
        router.get("/static/:name") { _, context -> Response in
            guard let asset = PageRenderer.asset(named: try context.parameters.require("name")) else {
                return Response(status: .notFound)
            }
            return Response(status: .ok, headers: [.contentType: asset.contentType, .cacheControl: "public, max-age=3600"],
                            body: .init(byteBuffer: ByteBuffer(bytes: asset.data)))
        }
        addSignInRoutes(to: router)
        router.get("/", use: page { request, context in
            let viewer = try context.principal(.readStudyData, .web)
            let (participants, inScreening) = try await self.screening.rosterOverview(by: viewer)
            let conduct = participants.contains { $0.status == .enrolled } ? try await self.conductSummary(by: viewer) : []
            let model = DashboardPage.build(participants: participants, inScreening: inScreening, target: self.study.targetEnrolment, conduct: conduct)
            let (flashes, clear) = self.takeFlash(request)
            return try self.html(model, self.layout(context, flashes: flashes, current: .dashboard), extraHeaders: clear)
        })
        router.get("/participants", use: page { request, context in
            let viewer = try context.principal(.readStudyData, .web)
            let status = try Self.statusParameter(request.uri.queryParameters["status"].map(String.init))
            let pageNumber = try Self.pageParameter(request.uri.queryParameters["page"].map(String.init))
            let subject = try Self.subjectSearch(request.uri.queryParameters["subject"].map(String.init))
            let (participants, inScreening) = try await self.screening.rosterOverview(by: viewer)
            let model = ParticipantsPage.build(participants: participants, inScreening: inScreening, status: status, siteName: self.siteName,
                                               role: viewer.user.role, page: pageNumber, subject: subject)
            let (flashes, clear) = self.takeFlash(request)
            return try self.html(model, self.layout(context, flashes: flashes, current: .participants), extraHeaders: clear)
        })
        router.get("/participants/new", use: page { _, context in
            let user = try context.require(.registerParticipant)
            return try self.html(RegisterPage.Model(sites: self.siteOptions(nil, for: user)), self.layout(context, current: .register))
        })
        router.post("/participants/new", use: page { request, context in
            let principal = try context.principal(.registerParticipant, .web)
            let form = try await self.readForm(request, context)
            do {
                let p = try await self.screening.register(
                    fullName: form["full_name"] ?? "", dateOfBirth: form["date_of_birth"] ?? "",
                    hospitalNumber: form["hospital_number"] ?? "", siteID: form["site"],
                    by: principal)
                if let warning = try await self.screening.hospitalNumberWarning(form["hospital_number"] ?? "", except: p.subjectID, by: principal) {
                    return self.redirect(WebPaths.participant(p.subjectID.rawValue), flash: Flash(.warning, "Registered \(p.subjectID) for screening. \(warning)"))
                }
                return self.redirect(WebPaths.participant(p.subjectID.rawValue), flash: Flash(.success, "Registered \(p.subjectID) for screening."))
            } catch let e as WorkflowError where e.code == .invalidInput {
                func message(_ name: String) -> String? {
                    let m = e.fields.filter { $0.field == name }.map(\.message)
                    return m.isEmpty ? nil : m.joined(separator: " ")
                }
                func field(_ name: String) -> RegisterPage.Field {
                    RegisterPage.Field(value: form[name] ?? "", error: message(name))
                }
                let model = RegisterPage.Model(
                    fullName: field("full_name"), dateOfBirth: field("date_of_birth"), hospitalNumber: field("hospital_number"),
                    sites: self.siteOptions(form["site"], for: principal.user), siteError: message("site"))
                return try self.html(model, self.layout(context, current: .register), status: .unprocessableContent)
            }
        })
        router.get("/audit", use: page { request, context in
            let principal = try context.principal(.readAudit, .web)
            let pageSize = 100
            let q = request.uri.queryParameters
            let criteria = Self.auditCriteria(request)
            // One page from the database, and the chain checked from the last verified checkpoint only
            // (issue 7: every view recomputed the whole chain); `carta audit verify --full` re-checks it all.
            var filterError: String?
            // A malformed page is said beside the filters, like a malformed date, rather than read as page 1.
            var pageNumber = 1
            do { pageNumber = try Self.pageParameter(q["page"].map(String.init)) } catch let e as AppError { filterError = e.message }
            var events: [AuditEvent] = [], total = 0
            do {
                let filter = try await self.runtime.audit.filter(criteria, by: principal)
                total = try await self.store.auditCount(filter)
                // A page past the last shows the last, as the other lists do (it said "Events 9901–350 of 350").
                pageNumber = Pager(total: total, page: pageNumber, size: pageSize).page
                events = try await self.store.auditSearch(filter, newestFirstOffset: (pageNumber - 1) * pageSize, limit: pageSize).events
            } catch let e as WorkflowError where e.code == .invalidInput || e.code == .notFound {
                filterError = e.message
            }
            let chain: AuditPage.ChainStatus
            switch try await self.store.verifyAudit(full: false, replay: false).chain {
            case .intact(let count): chain = .verified(count: count)
            case .broken(let seq, let reason): chain = .broken(atSeq: seq, detail: reason)
            }
            let subjectOf = try await self.subjectIDs(by: principal)
            let filters = AuditPage.Filters(
                subject: criteria.subjectID ?? "",
                forms: SelectOption.list([("", "— every form —")] + self.study.forms.map { ($0.oid, $0.name) }, current: criteria.formOID ?? ""),
                item: criteria.itemOID ?? "", user: criteria.username ?? "", from: criteria.from ?? "", to: criteria.to ?? "",
                afterSignatureOrLock: criteria.afterSignatureOrLock, error: filterError)
            // A reviewer signs off what the filters select (R-AT-5); everyone who reads the trail sees the sign-offs.
            let signOff: AuditPage.SignOffForm? = principal.may(.reviewAudit) && filterError == nil && total > 0
                ? AuditPage.SignOffForm(scope: criteria.summary, recordCount: total, meaning: AuditReview.signOffMeaning,
                                        signerName: principal.user.displayName, needsCode: principal.user.secondFactorEnrolledAt != nil)
                : nil
            let reviews = try await self.runtime.audit.signOffs(by: principal).map { r in
                AuditPage.Review(scope: r.scopeDescription, href: WebPaths.audit + (r.scope.isEmpty ? "" : "?" + r.scope),
                                 records: "\(r.recordCount) through #\(r.throughSeq)", reviewer: r.reviewerName,
                                 signedAt: WebFormat.dateTime(r.signedAt), meaning: r.meaning, comment: r.comment,
                                 contentHash: String(r.contentHash.prefix(16)) + "…")
            }
            let model = AuditPage.Model(
                events: self.runtime.audit.entries(events).map { line in
                    let e = line.first
                    return AuditPage.Event(seq: e.seq, seqThrough: line.records.count > 1 ? line.lastSeq : nil, time: WebFormat.auditTime(e.at),
                                           user: e.username, source: e.source.rawValue,
                                           entity: subjectOf[e.entityID].map { "\($0) · \(e.entity.rawValue.replacingOccurrences(of: "_", with: " "))" }
                                               ?? "\(e.entity.rawValue.replacingOccurrences(of: "_", with: " ")) \(AuditPage.shortEntityID(e.entityID))",
                                           field: line.field, fieldPath: line.fieldPath, oldValue: line.oldValue, newValue: line.newValue,
                                           reason: e.reason.map(ChangeReason.display(stored:)) ?? "", redaction: e.redaction)
                }, pageRecords: events.count, chain: chain, page: pageNumber, pageSize: pageSize, total: total, filters: filters, signOff: signOff, reviews: reviews,
               redactForm: principal.may(.redactAudit) ? AuditPage.RedactForm(needsCode: principal.user.secondFactorEnrolledAt != nil) : nil,
               archiveHref: principal.may(.exportArchive) ? "/export/odm" : nil)
            // Flashes from the sign-off and redaction forms, which come back here.
            let (flashes, clear) = self.takeFlash(request)
            return try self.html(model, self.layout(context, flashes: flashes, current: .audit),
                                 status: filterError == nil ? .ok : .unprocessableContent, extraHeaders: clear)
        })
        router.post("/audit/reviews", use: page { request, context in
            let principal = try context.principal(.reviewAudit, .web)
            let form = try await self.readForm(request, context)
            let criteria = AuditReview.Criteria(subjectID: form["subject"], formOID: form["form"], itemOID: form["item"],
                                                username: form["user"], from: form["from"], to: form["to"],
                                                afterSignatureOrLock: form["after_signature_or_lock"] == "1")
            let back = WebPaths.audit + (criteria.queryString.isEmpty ? "" : "?" + criteria.queryString)
            do {
                let r = try await self.runtime.audit.signOff(criteria, password: form["password"] ?? "", code: form["code"],
                                                             comment: form["comment"], by: principal, accounts: self.auth)
                return self.redirect(back, flash: Flash(.success, "Review signed off: \(r.recordCount) records of \(r.scopeDescription)."))
            } catch let e as WorkflowError where e.code == .invalidInput || e.code == .invalidState {
                return self.redirect(back, flash: Flash(.error, e.pageMessage))
            }
        })
        router.post("/audit/redactions", use: page { request, context in
            let principal = try context.principal(.redactAudit, .web)
            let form = try await self.readForm(request, context)
            do {
                guard let seq = Int((form["seq"] ?? "").trimmingCharacters(in: .whitespaces)), seq > 0 else {
                    throw WorkflowError.invalid("seq", "Give the record's number from the Seq column.")
                }
                let e = try await self.runtime.audit.redact(seq: seq, justification: form["justification"] ?? "", password: form["password"] ?? "",
                                                            code: form["code"], by: principal, accounts: self.auth)
                return self.redirect(WebPaths.audit, flash: Flash(.success, "Record #\(e.seq) redacted; the justification is in the audit trail."))
            } catch let e as WorkflowError where e.code == .invalidInput || e.code == .notFound || e.code == .conflict || e.code == .invalidState {
                return self.redirect(WebPaths.audit, flash: Flash(.error, e.pageMessage))
            }
        })
        router.get("/export/odm", use: page { request, context in
            let (mode, dua) = try Self.exportMode(request)
            let principal = try context.principal(mode == .archive ? .exportArchive : .exportDeidentified, .web)
            return Self.odmResponse(try await self.runtime.exports.spooledODMArchive(by: principal, mode: mode, dataUseAgreement: dua),
                                    study: self.study.id, now: self.runtime.clock.now, mode: mode)
        })
        router.get("/audit.csv", use: page { request, context in
            let principal = try context.principal(.readAudit, .web)
            let filter = try await self.runtime.audit.filter(Self.auditCriteria(request), by: principal)
            let subjectOf = try await self.subjectIDs(by: principal)
            let store = self.store, audit = self.runtime.audit
            // Streamed a page of 1,000 records at a time, so an export of a long trail is never in memory whole; the access
            // and the selection are checked before the response starts, and a failure mid-way drops the connection, so a
            // cut-off file is never taken for a whole one.
            let body = ResponseBody { writer in
                try await writer.write(ByteBuffer(string: AuditCSV.header))
                var after = 0
                while true {
                    let page = try await store.auditSearch(filter, after: after, limit: 1_000)
                    var rows = ""
                    for e in page.events { rows += AuditCSV.row(e, subject: subjectOf[e.entityID] ?? "", fieldLabel: audit.fieldLabel(e)) }
                    if !rows.isEmpty { try await writer.write(ByteBuffer(string: rows)) }
                    guard let next = page.nextAfter else { break }
                    after = next
                }
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                                   .contentDisposition: "attachment; filename=\"carta-audit-\(self.study.id).csv\""],
                            body: body)
        })
        addParticipantPageRoutes(to: router)
        addTodayRoutes(to: router)
        addReportRoutes(to: router)
        addAdverseEventPageRoutes(to: router)
        addMonitoringPageRoutes(to: router)
        addAccountPageRoutes(to: router)
        addAccessReviewPageRoutes(to: router)
    }

    func siteName(_ id: SiteID) -> String { siteNames[id.rawValue] ?? id.rawValue }

    /// Subject IDs by internal participant id, for the participants the principal reaches.
    /// Also by the ids of the records about a participant that carry their own (queries, decisions, signatures, locks).
    func subjectIDs(by principal: Principal) async throws -> [String: String] {
        var out = Dictionary(try await screening.participants(by: principal).map { ($0.id.rawValue, $0.subjectID.rawValue) },
                             uniquingKeysWith: { a, _ in a })
        for (id, participant) in try await store.participantsOfOwnIDRecords() {
            if let subject = out[participant.rawValue] { out[id] = subject }
        }
        return out
    }

    /// The audit review criteria from query parameters (`subject`, `form`, `item`, `user`, `from`, `to`).
    static func auditCriteria(_ request: Request) -> AuditReview.Criteria {
        let q = request.uri.queryParameters
        func v(_ k: String) -> String? { q[Substring(k)].map(String.init) }
        return AuditReview.Criteria(subjectID: v("subject"), formOID: v("form"), itemOID: v("item"), username: v("user"),
                                    from: v("from"), to: v("to"), afterSignatureOrLock: v("after_signature_or_lock") == "1")
    }

    /// The study's sites the user belongs to (registration offers only those).
    func siteOptions(_ current: String?, for user: User) -> [SelectOption] {
        let mine = study.sites.filter { user.sites.includes(SiteID($0.id)) }
        return SelectOption.list(mine.map { ($0.id, $0.name) }, current: current ?? mine.first?.id)
    }
}

