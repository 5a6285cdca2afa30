import CartaCore
import CartaModel
import CartaStore
import CartaWeb
import CartaTrial
import Foundation
import Hummingbird

extension CartaServices {
    /// Sign-in and sign-out. The sign-in form is protected by a double-submit cookie because there
    /// is no session yet; signing in issues a fresh session (no session fixation).
    func addSignInRoutes(to router: Router<AppRequestContext>) {
        router.get("/signin") { request, context -> Response in
            if context.user != nil { return self.redirect(WebPaths.dashboard) }
            let token = request.cookies[Self.preSessionCookie]?.value ?? CartaStore.newToken()
            let next = request.uri.queryParameters["next"].map(String.init)
            var headers = HTTPFields()
            headers[values: .setCookie].append(self.cookie(Self.preSessionCookie, token, maxAge: 3600).description)
            let (flashes, clear) = self.takeFlash(request)
            headers.append(contentsOf: clear)
            return try self.html(SignInPage.Model(next: Self.safeNext(next)), self.layout(context, csrf: token, flashes: flashes), extraHeaders: headers)
        }
        router.post("/signin") { request, context -> Response in
            do {
                var ctx = context
                ctx.session = nil // the sign-in form carries the pre-session token even if a stale session exists
                let form = try await self.readForm(request, ctx)
                let username = (form["username"] ?? "").trimmingCharacters(in: .whitespaces)
                let user: User
                switch try await self.auth.signIn(username: username, password: form["password"] ?? "", code: form["code"], source: .web) {
                case .success(let u): user = u
                case .failure(let refusal):
                    let token = request.cookies[Self.preSessionCookie]?.value ?? ""
                    let message: String
                    switch refusal {
                    case .invalidCredentials: message = "Unknown username, wrong password, or a missing or wrong authentication code."
                    case .locked(let minutes): message = "Too many failed sign-ins: this account is locked for \(minutes) minutes. Ask an administrator if this was not you."
                    }
                    let model = SignInPage.Model(username: username, signinError: message, next: Self.safeNext(form["next"]))
                    return try self.html(model, self.layout(ctx, csrf: token), status: .unauthorized)
                }
                let (token, _) = try await self.auth.startSession(for: user)
                // Those who review access are told of recent lockouts as they arrive (R-AC-2 alerting).
                var alert: Flash?
                if Permission.reviewAccess.allows(user.role) {
                    let lockouts = try await self.auth.securityAlerts(by: Principal(user, source: .web))
                    if !lockouts.isEmpty {
                        alert = Flash(.error, "Security alert: \(lockouts.count.counted("account lockout")) after repeated failed sign-ins in the last \(Int(AccountService.securityAlertWindow / 86_400)) days (latest: \(lockouts[0].username), \(WebFormat.dateTime(lockouts[0].at))). See Access review.")
                    }
                }
                var response = self.redirect(Self.safeNext(form["next"]) ?? WebPaths.dashboard, flash: alert)
                response.setCookie(self.cookie(AuthMiddleware.sessionCookie, token, maxAge: Int(self.config.sessionLifetime)))
                response.setCookie(self.cookie(Self.preSessionCookie, "", maxAge: 0))
                return response
            } catch {
                return self.errorPage(AppError.from(error), context)
            }
        }
        router.post("/signout", use: page { request, context in
            _ = try await self.readForm(request, context)
            if let token = context.sessionToken { try await self.store.deleteSession(token: token) }
            if let user = context.user { try await self.auth.recordSignOut(user) }
            var response = self.redirect(WebPaths.signIn, flash: Flash(.success, "You have signed out."))
            response.setCookie(self.cookie(AuthMiddleware.sessionCookie, "", maxAge: 0))
            return response
        })
    }

    /// Only same-site absolute paths are followed after sign-in (no open redirect).
    static func safeNext(_ next: String?) -> String? {
        // Browsers drop tabs and newlines from URLs (WHATWG URL §4.4), so "/\t/evil.example" becomes
        // "//evil.example", an off-site address: only canonical local paths are followed.
        guard let n = next?.removingPercentEncoding ?? next, n.hasPrefix("/"), !n.hasPrefix("//"),
              !n.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F || $0 == "\\" }),
              RequestPath.problem(n.split(separator: "?", maxSplits: 1).first.map(String.init) ?? n) == nil else { return nil }
        return n
    }
}
