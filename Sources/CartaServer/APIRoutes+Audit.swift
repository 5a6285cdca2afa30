import CartaStore
import Foundation
import Hummingbird

extension CartaServices {
    /// `GET /audit` (filter by entity and entity id) and `GET /audit/verify`.
    func addAuditRoutes(to api: APIRouter) {
        api.on(.get, "/audit") { request, context in
            _ = try context.require(.readAudit)
            let q = request.uri.queryParameters
            let events = try await self.store.auditTrail(
                entity: q["entity"].map(String.init), entityID: q["entityID"].map(String.init))
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
