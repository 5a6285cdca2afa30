import CartaCore
import CartaModel
import CartaStore
import CartaTrial
import Foundation
import Hummingbird

extension CartaServices {
    /// The default and largest page of `GET /audit` (issue 7: 1.7 MB in one answer at 4,000 records).
    static let auditPageLimit = 500

    /// `GET /audit` (cursor paging `after`/`limit`; filter by entity, entity id, or a participant's subject ID)
    /// and `GET /audit/verify` (from the last verified checkpoint unless `full=true`; `replay=true` also
    /// compares the data with the trail).
    func addAuditRoutes(to api: APIRouter) {
        api.on(.get, "/audit") { request, context in
            let principal = try context.principal(.readAudit, .api)
            let q = request.uri.queryParameters
            try Self.refuseUnknownParameters(q, known: ["subjectID", "entity", "entityID", "form", "item", "user", "from", "to",
                                                        "afterSignatureOrLock", "after", "limit"])
            let entityID = q["entityID"].map(String.init)
            if q["subjectID"] != nil, entityID != nil {
                throw AppError.invalid("subjectID", "Filter by subjectID or by entityID, not both.")
            }
            // Review filters and site scope from the application layer (issue 7 scope 1 and 8).
            func v(_ k: String) -> String? { q[Substring(k)].map(String.init) }
            var filter = try await self.runtime.audit.filter(
                AuditReview.Criteria(subjectID: v("subjectID"), formOID: v("form"), itemOID: v("item"), username: v("user"),
                                     from: v("from"), to: v("to"),
                                     afterSignatureOrLock: try Self.boolParameter(v("afterSignatureOrLock"), name: "afterSignatureOrLock")),
                by: principal)
            if let entityID { filter.entityID = entityID }
            var entity: AuditEntity?
            if let text = q["entity"] {
                guard let e = AuditEntity(rawValue: String(text)) else {
                    throw AppError.invalid("entity", "entity must be one of \(AuditEntity.allCases.map(\.rawValue).joined(separator: ", ")) (got \(text.quotedForMessage)).")
                }
                entity = e
            }
            filter.entity = entity
            let after = try Self.intParameter(q["after"].map(String.init), name: "after", default: 0, range: 0...Int.max)
            let limit = try Self.intParameter(q["limit"].map(String.init), name: "limit", default: Self.auditPageLimit,
                                              range: 1...Self.auditPageLimit)
            let page = try await self.store.auditSearch(filter, after: after, limit: limit)
            return try JSONResponse.make(AuditPageBody(events: page.events, nextAfter: page.nextAfter))
        }
        // Review sign-offs (standards.md R-AT-5): list, and sign off a scope with password (and code).
        api.on(.get, "/audit/reviews") { _, context in
            let principal = try context.principal(.readAudit, .api)
            return try JSONResponse.make(["reviews": try await self.runtime.audit.signOffs(by: principal)])
        }
        struct SignOffIn: Decodable {
            let subjectID: String?, form: String?, item: String?, user: String?, from: String?, to: String?
            let afterSignatureOrLock: Bool?
            let password: String, code: String?, comment: String?
        }
        api.on(.post, "/audit/reviews") { request, context in
            let principal = try context.principal(.reviewAudit, .api)
            let b = try await JSONResponse.decode(SignOffIn.self, from: request, context: context)
            let criteria = AuditReview.Criteria(subjectID: b.subjectID, formOID: b.form, itemOID: b.item, username: b.user,
                                                from: b.from, to: b.to, afterSignatureOrLock: b.afterSignatureOrLock ?? false)
            let r = try await self.runtime.audit.signOff(criteria, password: b.password, code: b.code, comment: b.comment,
                                                         by: principal, accounts: self.auth)
            return try JSONResponse.make(r, status: .created)
        }
        struct RedactIn: Decodable { let justification: String; let password: String; let code: String? }
        api.on(.post, "/audit/:seq/redaction") { request, context in
            let principal = try context.principal(.redactAudit, .api)
            guard let seq = Int(try context.parameters.require("seq")), seq > 0 else {
                throw AppError.invalid("seq", "seq must be an audit record's sequence number.")
            }
            let body = try await JSONResponse.decode(RedactIn.self, from: request, context: context)
            let event = try await self.runtime.audit.redact(seq: seq, justification: body.justification, password: body.password,
                                                            code: body.code, by: principal, accounts: self.auth)
            return try JSONResponse.make(event, status: .created)
        }
        // The ODM 1.3.2 archive (standards.md R-CP-1): values, audit records and signatures, subject IDs only.
        api.on(.get, "/export/odm") { request, context in
            let (mode, dua) = try Self.exportMode(request)
            let principal = try context.principal(mode == .archive ? .exportArchive : .exportDeidentified, .api)
            return Self.odmResponse(try await self.runtime.exports.spooledODMArchive(by: principal, mode: mode, dataUseAgreement: dua),
                                    study: self.study.id, now: self.runtime.clock.now, mode: mode)
        }
        api.on(.get, "/audit/verify") { request, context in
            _ = try context.require(.readAudit)
            let q = request.uri.queryParameters
            let full = try Self.boolParameter(q["full"].map(String.init), name: "full")
            let replay = try Self.boolParameter(q["replay"].map(String.init), name: "replay")
            let report = try await self.store.verifyAudit(full: full, replay: replay)
            return try JSONResponse.make(VerificationBody(report))
        }
    }

    /// An ODM archive as a download (`application/xml`, named after the study and the time), streamed from its spool (`SpooledODMArchive`: built whole before the response starts,
    /// so a failure is an error answer, never a cut-off file), with its length for the browser's progress.
    static func odmResponse(_ archive: SpooledODMArchive, study: String, now: Date, mode: ODMArchive.Mode) -> Response {
        let stamp = ODMArchive.compactTimestamp(now)
        let kind = mode == .archive ? "odm" : "odm-\(mode.rawValue)"
        let body = ResponseBody(contentLength: archive.byteCount) { writer in
            try await archive.write { try await writer.write(ByteBuffer(data: $0)) }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "application/xml; charset=utf-8",
                                               .contentDisposition: "attachment; filename=\"carta-\(study)-\(kind)-\(stamp).xml\""],
                        body: body)
    }

    /// `mode` (archive, limited, safe-harbor; default archive) and `dua` of an export request.
    static func exportMode(_ request: Request) throws -> (ODMArchive.Mode, String?) {
        let q = request.uri.queryParameters
        let text = q["mode"].map(String.init) ?? "archive"
        guard let mode = ODMArchive.Mode(rawValue: text) else {
            throw AppError.invalid("mode", "mode must be one of \(ODMArchive.Mode.allCases.map(\.rawValue).joined(separator: ", ")) (got \(text.quotedForMessage)).")
        }
        return (mode, q["dua"].map(String.init))
    }

    static func intParameter(_ text: String?, name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text else { return value }
        guard let n = Int(text), range.contains(n) else {
            let upper = range.upperBound == Int.max ? "" : " and \(range.upperBound)"
            throw AppError.invalid(name, "\(name) must be a whole number\(upper.isEmpty ? " ≥ \(range.lowerBound)" : " between \(range.lowerBound)\(upper)") (got \(text.quotedForMessage)).")
        }
        return n
    }

    static func boolParameter(_ text: String?, name: String) throws -> Bool {
        switch text {
        case nil, "false": return false
        case "true": return true
        default: throw AppError.invalid(name, "\(name) must be true or false (got \((text ?? "").quotedForMessage)).")
        }
    }
}

/// `GET /api/v1/audit`: one page and the cursor of the next (`null` on the last page).
struct AuditPageBody: Encodable {
    let events: [AuditEvent]
    let nextAfter: Int?

    enum CodingKeys: String, CodingKey { case events, nextAfter }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(events, forKey: .events)
        try c.encode(nextAfter, forKey: .nextAfter) // explicit null: the client stops there
    }
}

/// `GET /api/v1/audit/verify`.
struct VerificationBody: Encodable {
    let intact: Bool
    let count: Int?
    let brokenAtSeq: Int?
    let reason: String?
    let checkedAfter: Int
    let checkedCount: Int
    let differences: [AuditDataDifference]?

    init(_ report: AuditIntegrityReport) {
        switch report.chain {
        case .intact(let count): (intact, self.count, brokenAtSeq, reason) = (report.isIntact, count, nil, nil)
        case .broken(let seq, let why): (intact, count, brokenAtSeq, reason) = (false, nil, seq, why)
        }
        checkedAfter = report.checkedAfter
        checkedCount = report.checkedCount
        differences = report.differences
    }
}
