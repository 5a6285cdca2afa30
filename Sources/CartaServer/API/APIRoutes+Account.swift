import CartaModel
import CartaStore
import CartaTrial
import Foundation
import Hummingbird

extension CartaServices {
    /// The signed-in user's own account security: list and revoke API tokens, sign out everywhere,
    /// change the password (issue 7 scope 2). Every change is audited by `AccountService`.
    func addAccountRoutes(to api: APIRouter) {
        struct TokenInfo: Encodable { let id: String; let createdAt: Date; let expiresAt: Date }
        api.on(.get, "/tokens") { _, context in
            let principal = Principal(try context.requireUser(), source: .api)
            let tokens = try await self.auth.tokens(by: principal)
            return try JSONResponse.make(["tokens": tokens.map { TokenInfo(id: $0.tokenHash, createdAt: $0.createdAt, expiresAt: $0.expiresAt) }])
        }
        api.on(.delete, "/tokens/:id") { _, context in
            let principal = Principal(try context.requireUser(), source: .api)
            try await self.auth.revokeToken(id: try context.parameters.require("id"), by: principal)
            return Response(status: .noContent)
        }
        struct Ended: Encodable { let ended: Int }
        api.on(.post, "/me/sign-out-everywhere") { _, context in
            let principal = Principal(try context.requireUser(), source: .api)
            return try JSONResponse.make(Ended(ended: try await self.auth.signOutEverywhere(by: principal)))
        }
        struct PasswordChange: Decodable { let currentPassword: String; let newPassword: String }
        api.on(.post, "/me/password") { request, context in
            let principal = Principal(try context.requireUser(), source: .api)
            let body = try await JSONResponse.decode(PasswordChange.self, from: request, context: context)
            try await self.auth.changePassword(current: body.currentPassword, new: body.newPassword, by: principal)
            return Response(status: .noContent)
        }
        // The optional TOTP second factor (RFC 6238): start returns the secret once; confirm with a code.
        struct SetupOut: Encodable { let secret: String; let keyURI: String }
        api.on(.post, "/me/second-factor") { _, context in
            let principal = Principal(try context.requireUser(), source: .api)
            let setup = try await self.auth.startSecondFactor(by: principal)
            return try JSONResponse.make(SetupOut(secret: setup.secret, keyURI: setup.keyURI), status: .created)
        }
        struct FactorIn: Decodable { let password: String; let code: String }
        struct FactorOut: Encodable { let enrolled: Bool; let enrolledAt: Date? }
        api.on(.post, "/me/second-factor/confirm") { request, context in
            let principal = Principal(try context.requireUser(), source: .api)
            let body = try await JSONResponse.decode(FactorIn.self, from: request, context: context)
            let user = try await self.auth.confirmSecondFactor(password: body.password, code: body.code, by: principal)
            return try JSONResponse.make(FactorOut(enrolled: true, enrolledAt: user.secondFactorEnrolledAt))
        }
        api.on(.post, "/me/second-factor/remove") { request, context in
            let principal = Principal(try context.requireUser(), source: .api)
            let body = try await JSONResponse.decode(FactorIn.self, from: request, context: context)
            _ = try await self.auth.removeSecondFactor(password: body.password, code: body.code, by: principal)
            return try JSONResponse.make(FactorOut(enrolled: false, enrolledAt: nil))
        }
    }
}
