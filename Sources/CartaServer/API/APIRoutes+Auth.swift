import CartaModel
import CartaCore
import CartaStore
import CartaTrial
import Foundation
import Hummingbird

extension CartaServices {
    /// `POST /tokens` (DESIGN.md §3 contract), `GET /me`, `POST /compute/{name}`.
    func addAuthAndComputeRoutes(to api: APIRouter) {
        struct Credentials: Decodable { let username: String; let password: String; let code: String? }
        struct TokenOut: Encodable { let token: String; let expiresInSeconds: Int }
        api.on(.post, "/tokens") { request, context in
            let c = try await JSONResponse.decode(Credentials.self, from: request, context: context)
            let user: User
            switch try await self.auth.signIn(username: c.username, password: c.password, code: c.code, source: .api) {
            case .success(let u): user = u
            case .failure(.invalidCredentials):
                throw AppError(.unauthorized, code: "invalid_credentials", message: "Unknown username or wrong password (or, for an account with a second factor, a missing or wrong \"code\").")
            case .failure(.locked(let minutes)):
                throw AppError(.tooManyRequests, code: "account_locked",
                               message: "Too many failed sign-ins: this account is locked for \(minutes) minutes. Ask an administrator if this was not you.")
            }
            let token = try await self.auth.issueToken(for: user)
            return try JSONResponse.make(TokenOut(token: token, expiresInSeconds: Int(self.auth.lifetime)), status: .created)
        }
        struct Me: Encodable { let username: String; let displayName: String; let role: String; let permissions: [String] }
        api.on(.get, "/me") { _, context in
            let user = try context.requireUser()
            return try JSONResponse.make(Me(
                username: user.username, displayName: user.displayName, role: user.role.rawValue,
                permissions: Permission.allCases.filter { $0.allows(user.role) }.map(\.rawValue)))
        }
        api.on(.post, "/compute/:name") { request, context in
            _ = try context.require(.compute)
            let name = try context.parameters.require("name")
            let body = try await request.body.collect(upTo: 16 * 1024 * 1024)
            let out = try CalculatorRegistry.run(name: name, json: Data(buffer: body))
            return JSONResponse.raw(out)
        }
        struct CalculatorInfo: Encodable { let name: String; let summary: String }
        api.on(.get, "/compute") { _, context in
            _ = try context.require(.compute)
            return try JSONResponse.make(CalculatorRegistry.all.map { CalculatorInfo(name: $0.name, summary: $0.summary) })
        }
    }
}
