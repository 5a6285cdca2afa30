import CartaModel
import CartaStore
import CartaTrial
import Foundation
import Hummingbird

extension CartaServices {
    /// `GET /audit` (filter by entity, entity id, or a participant's subject ID) and `GET /audit/verify`.
    func addAuditRoutes(to api: APIRouter) {
        api.on(.get, "/audit") { request, context in
            let principal = try context.principal(.readAudit, .api)
            let q = request.uri.queryParameters
            var entityID = q["entityID"].map(String.init)
            if let subjectID = q["subjectID"] {
                // API clients know participants by subject ID; their records are keyed by the internal id.
                guard entityID == nil else { throw AppError.invalid("subjectID", "Filter by subjectID or by entityID, not both.") }
                entityID = try await self.screening.participant(SubjectID(String(subjectID)), by: principal).id.rawValue
            }
            var entity: AuditEntity?
            if let text = q["entity"] {
                guard let e = AuditEntity(rawValue: String(text)) else {
                    throw AppError.invalid("entity", "entity must be one of \(AuditEntity.allCases.map(\.rawValue).joined(separator: ", ")) (got \"\(text)\").")
                }
                entity = e
            }
            let events = try await self.store.auditTrail(entity: entity, entityID: entityID)
            return try JSONResponse.make(["events": events])
        }
        struct Verification: Encodable { let intact: Bool; let count: Int?; let brokenAtSeq: Int?; let reason: String? }
        api.on(.get, "/audit/verify") { _, context in
            _ = try context.require(.readAudit)
            switch try await self.store.verifyAuditChain() {
            case .intact(let count):
                return try JSONResponse.make(Verification(intact: true, count: count, brokenAtSeq: nil, reason: nil))
            case .broken(let seq, let reason):
                return try JSONResponse.make(Verification(intact: false, count: nil, brokenAtSeq: seq, reason: reason))
            }
        }
    }
}
