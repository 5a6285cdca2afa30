import CartaCore
import CartaModel
import CartaStudy
import CartaStore
import CartaTrial
import Foundation
import Hummingbird

extension CartaServices {
    /// Monitoring: queries (raise, answer, close, re-open, inbox with filters and ageing), source data
    /// verification with progress, and the investigator's casebook signature (issue 7 scopes 4–6).
    func addMonitoringRoutes(to api: APIRouter) {
        struct MessageOut: Encodable { let action: String; let by: String; let at: Date; let text: String }
        struct QueryOut: Encodable {
            let id: String; let subjectID: String; let eventOID: String; let formOID: String; let itemOID: String; let itemLabel: String
            let status: String; let checkID: String?; let raisedAt: Date; let ageDays: Int; let messages: [MessageOut]
        }
        @Sendable func out(_ q: DataQuery, _ subject: SubjectID) -> QueryOut {
            QueryOut(id: q.id, subjectID: subject.rawValue, eventOID: q.address.eventOID.rawValue, formOID: q.address.formOID.rawValue,
                     itemOID: q.address.itemOID.rawValue, itemLabel: self.runtime.queries.label(q.address), status: q.status.rawValue,
                     checkID: q.checkID, raisedAt: q.raisedAt, ageDays: q.ageInDays(now: self.runtime.clock.now),
                     messages: q.messages.map { MessageOut(action: $0.action.rawValue, by: $0.byName, at: $0.at, text: $0.text) })
        }
        api.on(.get, "/queries") { request, context in
            let principal = try context.principal(.readStudyData, .api)
            let parameters = request.uri.queryParameters
            try Self.refuseUnknownParameters(parameters, known: ["status", "subject", "form", "minAgeDays"])
            let filter = try Self.queryFilter(study: self.study) { parameters[Substring($0)].map(String.init) }
            let found = try await self.runtime.queries.inbox(filter, by: principal)
            return try JSONResponse.make(["queries": found.map { out($0.query, $0.subjectID) }])
        }
        api.on(.get, "/participants/:subjectID/queries") { _, context in
            let principal = try context.principal(.readStudyData, .api)
            let subject = SubjectID(try context.parameters.require("subjectID"))
            let found = try await self.runtime.queries.queries(subjectID: subject, by: principal)
            return try JSONResponse.make(["queries": found.map { out($0, subject) }])
        }
        struct RaiseIn: Decodable { let itemOID: String; let visitID: String?; let text: String }
        api.on(.post, "/participants/:subjectID/queries") { request, context in
            let principal = try context.principal(.manageQueries, .api)
            let body = try await JSONResponse.decode(RaiseIn.self, from: request, context: context)
            let subject = SubjectID(try context.parameters.require("subjectID"))
            let q = try await self.runtime.queries.raise(subjectID: subject, itemOID: body.itemOID, visitID: body.visitID, text: body.text, by: principal)
            return try JSONResponse.make(out(q, subject), status: .created)
        }
        struct TextIn: Decodable { let text: String }
        for (verb, permission) in [("answer", Permission.answerQueries), ("close", .manageQueries), ("reopen", .manageQueries)] {
            api.on(.post, "/queries/:id/\(verb)") { request, context in
                let principal = try context.principal(permission, .api)
                let body = try await JSONResponse.decode(TextIn.self, from: request, context: context)
                let id = try context.parameters.require("id")
                let service = self.runtime.queries
                let q = switch verb {
                case "answer": try await service.answer(id: id, text: body.text, by: principal)
                case "close": try await service.close(id: id, text: body.text, by: principal)
                default: try await service.reopen(id: id, text: body.text, by: principal)
                }
                return try JSONResponse.make(out(q, try await service.query(id: id, by: principal).subjectID))
            }
        }

        struct ProgressOut: Encodable {
            let recorded: Int; let verified: Int; let percent: Int; let criticalRecorded: Int; let criticalVerified: Int
            let criticalComplete: Bool; let changedSinceVerification: Int
            init(_ p: SourceVerificationProgress) {
                recorded = p.recorded; verified = p.verified; percent = p.percent; criticalRecorded = p.criticalRecorded
                criticalVerified = p.criticalVerified; criticalComplete = p.criticalComplete; changedSinceVerification = p.changedSinceVerification
            }
        }
        struct MarkOut: Encodable { let eventOID: String; let formOID: String; let itemOID: String; let verifiedBy: String; let verifiedAt: Date; let current: Bool }
        struct ParticipantSDVOut: Encodable { let subjectID: String; let siteID: String; let overall: ProgressOut; let forms: [String: ProgressOut]; let marks: [MarkOut] }
        @Sendable func sdvOut(_ p: SourceVerificationService.ParticipantProgress, values: [ItemValue]?) -> ParticipantSDVOut {
            let current = Dictionary(values?.map { ($0.address, $0) } ?? [], uniquingKeysWith: { a, _ in a })
            return ParticipantSDVOut(
                subjectID: p.subjectID.rawValue, siteID: p.siteID.rawValue, overall: ProgressOut(p.overall),
                forms: Dictionary(p.byForm.map { ($0.formOID, ProgressOut($0.progress)) }, uniquingKeysWith: { a, _ in a }),
                marks: values == nil ? [] : p.marks.map { m in
                    MarkOut(eventOID: m.address.eventOID.rawValue, formOID: m.address.formOID.rawValue, itemOID: m.address.itemOID.rawValue,
                            verifiedBy: m.verifiedByName, verifiedAt: m.verifiedAt, current: current[m.address].map(m.covers) ?? false)
                })
        }
        api.on(.get, "/sdv") { _, context in
            let principal = try context.principal(.readStudyData, .api)
            let all = try await self.runtime.sourceVerification.progress(by: principal)
            struct SiteOut: Encodable { let siteID: String; let progress: ProgressOut }
            struct Out: Encodable { let sites: [SiteOut]; let participants: [ParticipantSDVOut] }
            return try JSONResponse.make(Out(sites: all.sites.map { SiteOut(siteID: $0.siteID.rawValue, progress: ProgressOut($0.progress)) },
                                             participants: all.participants.map { sdvOut($0, values: nil) }))
        }
        api.on(.get, "/participants/:subjectID/sdv") { _, context in
            let principal = try context.principal(.readStudyData, .api)
            let subject = SubjectID(try context.parameters.require("subjectID"))
            let file = try await self.screening.file(subject, by: principal)
            return try JSONResponse.make(sdvOut(try await self.runtime.sourceVerification.progress(subjectID: subject, by: principal),
                                                values: file.values))
        }
        struct VerifyIn: Decodable { let formOID: String; let visitID: String?; let items: [String]?; let version: Int? }
        api.on(.post, "/participants/:subjectID/sdv") { request, context in
            let principal = try context.principal(.verifySource, .api)
            let body = try await JSONResponse.decode(VerifyIn.self, from: request, context: context)
            let subject = SubjectID(try context.parameters.require("subjectID"))
            let written = try await self.runtime.sourceVerification.verify(subjectID: subject, formOID: body.formOID, visitID: body.visitID, itemOIDs: body.items,
                                                                            expectedVersion: body.version, by: principal)
            let file = try await self.screening.file(subject, by: principal)
            struct Out: Encodable { let verifiedNow: Int; let progress: ParticipantSDVOut }
            return try JSONResponse.make(Out(verifiedNow: written.count,
                                             progress: sdvOut(try await self.runtime.sourceVerification.progress(subjectID: subject, by: principal),
                                                              values: file.values)))
        }

        struct SignatureOut: Encodable {
            let id: String; let formOID: String?; let visitID: String?; let signedBy: String; let signedAt: Date; let meaning: String; let contentSHA256: String
            let standing: String
        }
        @Sendable func sigOut(_ s: CasebookService.SignatureState) -> SignatureOut {
            SignatureOut(id: s.signature.id, formOID: s.signature.formOID?.rawValue, visitID: s.signature.eventOID?.rawValue, signedBy: s.signature.signerName, signedAt: s.signature.signedAt,
                         meaning: s.signature.meaning, contentSHA256: s.signature.contentHash,
                         standing: s.standing == .valid ? "valid" : "invalidated_by_change")
        }
        api.on(.get, "/participants/:subjectID/casebook/signatures") { _, context in
            let principal = try context.principal(.readStudyData, .api)
            let file = try await self.screening.file(SubjectID(try context.parameters.require("subjectID")), by: principal)
            return try JSONResponse.make(["signatures": try await self.runtime.casebook.signatures(file).map(sigOut)])
        }
        struct SignIn: Decodable { let version: Int; let formOID: String?; let visitID: String?; let password: String; let code: String?; let acknowledgeBinding: Bool? }
        api.on(.post, "/participants/:subjectID/casebook/signatures") { request, context in
            let principal = try context.principal(.signCasebook, .api)
            let body = try await JSONResponse.decode(SignIn.self, from: request, context: context)
            let subject = SubjectID(try context.parameters.require("subjectID"))
            let s = try await self.runtime.casebook.sign(subjectID: subject, formOID: body.formOID, visitID: body.visitID, password: body.password, code: body.code,
                                                         expectedVersion: body.version, acknowledgesBinding: body.acknowledgeBinding ?? false,
                                                         by: principal)
            return try JSONResponse.make(SignatureOut(id: s.id, formOID: s.formOID?.rawValue, visitID: s.eventOID?.rawValue, signedBy: s.signerName, signedAt: s.signedAt,
                                                      meaning: s.meaning, contentSHA256: s.contentHash, standing: "valid"), status: .created)
        }
    }

    /// The inbox filter from query parameters `status` (comma list), `subject`, `form`, `minAgeDays`.
    /// `study`: a form that is not one of its forms is refused by name (it listed nothing, silently).
    static func queryFilter(study: Study, _ q: (String) -> String?) throws -> QueryFilter {
        var filter = QueryFilter()
        if let s = q("status"), !s.isEmpty {
            for part in s.split(separator: ",") {
                guard let status = DataQuery.Status(rawValue: String(part)) else {
                    throw AppError.invalid("status", "status must be among \(DataQuery.Status.allCases.map(\.rawValue).joined(separator: ", ")) (got \(part.quotedForMessage)).")
                }
                filter.statuses.insert(status)
            }
        }
        if let s = q("subject"), !s.isEmpty { filter.subjectID = SubjectID(try subjectSearch(s)) }
        if let f = q("form"), !f.isEmpty {
            guard study.form(f) != nil else {
                throw AppError.invalid("form", "form must be one of the study's forms, e.g. \(study.forms.prefix(3).map(\.oid).joined(separator: ", ")) (got \(f.quotedForMessage)).")
            }
            filter.formOID = FormOID(f)
        }
        if let a = q("minAgeDays"), !a.isEmpty {
            guard let n = Int(a), n >= 0 else { throw AppError.invalid("minAgeDays", "minAgeDays must be a whole number of days, 0 or more (got \(a.quotedForMessage)).") }
            filter.minAgeDays = n
        }
        return filter
    }
}
