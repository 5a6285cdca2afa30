import CartaCore
import CartaModel
import CartaStore
import CartaTrial
import CartaWeb
import Foundation
import Hummingbird

extension CartaServices {
    /// The signed-in user's own account page: role and sites, API tokens, password change and
    /// "sign out everywhere" — the same service calls as the API's `/me` routes (issue 7 scope 2).
    func addAccountPageRoutes(to router: Router<AppRequestContext>) {
        router.get("/account", use: page { request, context in
            let (flashes, clear) = self.takeFlash(request)
            let model = try await self.accountPage(Principal(try context.requireUser(), source: .web))
            return try self.html(model, self.layout(context, flashes: flashes), extraHeaders: clear)
        })
        router.post("/account/password", use: page { request, context in
            let principal = Principal(try context.requireUser(), source: .web)
            let form = try await self.readForm(request, context)
            do {
                try await self.auth.changePassword(current: form["current_password"] ?? "", new: form["new_password"] ?? "", by: principal)
            } catch let e as WorkflowError where e.code == .invalidInput {
                let message = e.fields.map(\.message).joined(separator: " ")
                return try self.html(try await self.accountPage(principal, passwordError: message), self.layout(context),
                                     status: .unprocessableContent)
            }
            // Every session ended with the change, this one too: sign in again with the new password.
            var response = self.redirect(WebPaths.signIn, flash: Flash(.success, "Password changed; every session has ended. Sign in with the new password."))
            response.setCookie(self.cookie(AuthMiddleware.sessionCookie, "", maxAge: 0))
            return response
        })
        // The second factor: start (a new secret waits for its first code), confirm, remove. A refused code
        // re-renders the page with the error beside the form; success comes back with a flash.
        router.post("/account/second-factor/start", use: page { request, context in
            let principal = Principal(try context.requireUser(), source: .web)
            _ = try await self.readForm(request, context)
            _ = try await self.auth.startSecondFactor(by: principal)
            return self.redirect("/account#second-factor", flash: Flash(.success, "Add Carta to your authenticator app, then type its code to finish."))
        })
        router.post("/account/second-factor/confirm", use: page { request, context in
            let principal = Principal(try context.requireUser(), source: .web)
            let form = try await self.readForm(request, context)
            do {
                _ = try await self.auth.confirmSecondFactor(password: form["password"] ?? "", code: form["code"] ?? "", by: principal)
            } catch let e as WorkflowError where e.code == .invalidInput || e.code == .invalidState {
                return try self.html(try await self.accountPage(principal, secondFactorError: e.pageMessage),
                                     self.layout(context), status: .unprocessableContent)
            }
            return self.redirect("/account#second-factor", flash: Flash(.success, "Second factor on: sign-in and signatures now ask for a code from your app."))
        })
        router.post("/account/second-factor/remove", use: page { request, context in
            let principal = Principal(try context.requireUser(), source: .web)
            let form = try await self.readForm(request, context)
            do {
                _ = try await self.auth.removeSecondFactor(password: form["password"] ?? "", code: form["code"] ?? "", by: principal)
            } catch let e as WorkflowError where e.code == .invalidInput || e.code == .notFound {
                return try self.html(try await self.accountPage(principal, secondFactorError: e.pageMessage),
                                     self.layout(context), status: .unprocessableContent)
            }
            return self.redirect("/account#second-factor", flash: Flash(.success, "Second factor removed: a password alone signs you in."))
        })
        router.post("/account/sign-out-everywhere", use: page { request, context in
            let principal = Principal(try context.requireUser(), source: .web)
            _ = try await self.readForm(request, context)
            let ended = try await self.auth.signOutEverywhere(by: principal)
            var response = self.redirect(WebPaths.signIn, flash: Flash(.success, "Signed out everywhere: \(ended.counted("session or token", plural: "sessions and tokens")) ended."))
            response.setCookie(self.cookie(AuthMiddleware.sessionCookie, "", maxAge: 0))
            return response
        })
    }

    func accountPage(_ principal: Principal, passwordError: String? = nil, secondFactorError: String? = nil) async throws -> AccountPage.Model {
        let user = principal.user
        let sites = sitesText(user.sites)
        let tokens = try await auth.tokens(by: principal).map {
            AccountPage.Token(id: String($0.tokenHash.prefix(12)) + "…", created: WebFormat.dateTime($0.createdAt), expires: WebFormat.dateTime($0.expiresAt))
        }
        return AccountPage.Model(displayName: user.displayName, username: user.username, role: user.role.label, sites: sites,
                                 tokens: tokens, passwordError: passwordError,
                                 secondFactorSince: user.secondFactorEnrolledAt.map(WebFormat.dateTime),
                                 secondFactorSetup: try await auth.pendingSecondFactor(by: principal).map { AccountPage.SecondFactorSetup(secret: $0.secret, keyURI: $0.keyURI) },
                                 secondFactorError: secondFactorError)
    }
}
