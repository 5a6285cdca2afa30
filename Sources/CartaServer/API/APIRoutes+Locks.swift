import CartaCore
import CartaModel
import CartaStore
import CartaTrial
import Foundation
import Hummingbird

extension CartaServices {
    /// Data locks: list, lock (a form, a casebook or the database) and unlock — signed with the password,
    /// with a reason, audited (issue 7 scope 7).
    func addLockRoutes(to api: APIRouter) {
        struct LockOut: Encodable {
            let id: String; let scope: String; let subjectID: String?; let formOID: String?
            let lockedBy: String; let lockedAt: Date; let reason: String
        }
        @Sendable func out(_ l: DataLock, _ subjects: [ParticipantID: SubjectID]) -> LockOut {
            LockOut(id: l.id, scope: l.scope.rawValue, subjectID: l.participantID.flatMap { subjects[$0]?.rawValue },
                    formOID: l.formOID?.rawValue, lockedBy: l.lockedByName, lockedAt: l.lockedAt, reason: l.reason)
        }
        @Sendable func subjects(_ principal: Principal) async throws -> [ParticipantID: SubjectID] {
            Dictionary(try await self.screening.participants(by: principal).map { ($0.id, $0.subjectID) }, uniquingKeysWith: { a, _ in a })
        }
        api.on(.get, "/locks") { _, context in
            let principal = try context.principal(.readStudyData, .api)
            let map = try await subjects(principal)
            return try JSONResponse.make(["locks": try await self.runtime.locks.locks(by: principal).map { out($0, map) }])
        }
        struct LockIn: Decodable { let scope: String; let subjectID: String?; let formOID: String?; let reason: String; let password: String; let code: String? }
        api.on(.post, "/locks") { request, context in
            let principal = try context.principal(.lockData, .api)
            let body = try await JSONResponse.decode(LockIn.self, from: request, context: context)
            guard let scope = DataLock.Scope(rawValue: body.scope) else {
                throw AppError.invalid("scope", "scope must be one of \(DataLock.Scope.allCases.map(\.rawValue).joined(separator: ", ")) (got \(body.scope.quotedForMessage)).")
            }
            let lock = try await self.runtime.locks.lock(scope, subjectID: body.subjectID.map { SubjectID($0) }, formOID: body.formOID,
                                                         reason: body.reason, password: body.password, code: body.code, by: principal)
            return try JSONResponse.make(out(lock, try await subjects(principal)), status: .created)
        }
        struct UnlockIn: Decodable { let reason: String; let password: String; let code: String? }
        api.on(.post, "/locks/:id/unlock") { request, context in
            let principal = try context.principal(.lockData, .api)
            let body = try await JSONResponse.decode(UnlockIn.self, from: request, context: context)
            let lock = try await self.runtime.locks.unlock(id: try context.parameters.require("id"), reason: body.reason,
                                                           password: body.password, code: body.code, by: principal)
            return try JSONResponse.make(out(lock, try await subjects(principal)))
        }
    }
}
