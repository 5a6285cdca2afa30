import CartaModel
import CartaStore
import CartaWeb
import CartaTrial
import Foundation
import Hummingbird

/// Cookies, CSRF and rendering helpers shared by the web routes.
///
/// Source: OWASP CSRF Prevention Cheat Sheet — synchronizer token per session for signed-in forms,
/// double-submit cookie for the sign-in form; cookies `HttpOnly`, `SameSite=Strict`, `Secure` when
/// served over HTTPS (ServerConfig.secureCookies).
extension CartaServices {
    static let preSessionCookie = "carta_csrf"
    static let flashCookie = "carta_flash"

    func cookie(_ name: String, _ value: String, maxAge: Int?) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: config.secureCookies, httpOnly: true, sameSite: .strict)
    }

    /// Reads a form body and checks its CSRF token against the session (or the pre-session cookie
    /// on the sign-in form). A missing or forged token is refused before anything else happens.
    func readForm(_ request: Request, _ context: AppRequestContext) async throws -> FormBody {
        // A browser posts Carta's forms URL-encoded; any other body (text/plain, JSON: what another site can send
        // with the user's cookie) is not read as a form at all, token or not (OWASP CSRF Prevention Cheat Sheet).
        let type = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard type == "application/x-www-form-urlencoded" else {
            throw AppError(.unsupportedMediaType, code: "unsupported_media_type",
                           message: "This form was not sent the way a browser sends Carta's forms (application/x-www-form-urlencoded). Reload the page and submit it again.")
        }
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        let form = FormBody(String(buffer: buffer))
        let expected = context.session?.csrfToken ?? request.cookies[Self.preSessionCookie]?.value
        guard let expected, let sent = form["csrf"], !sent.isEmpty, constantTimeEqual(sent, expected) else {
            throw AppError(.forbidden, code: "csrf",
                           message: "This form has expired or did not come from Carta (security token missing or wrong). Reload the page and submit again.")
        }
        return form
    }

    func layout(_ context: AppRequestContext, csrf: String? = nil, flashes: [Flash] = [], current: NavLink.Section? = nil) -> LayoutModel {
        LayoutModel(
            studyId: study.id, studyTitle: study.title,
            user: context.user.map { SignedInUser(username: $0.displayName, role: $0.role.rawValue) },
            csrf: csrf ?? context.session?.csrfToken ?? "", flashes: flashes, current: current,
            sections: context.user.map { Self.navSections(for: $0.role) } ?? [], synthetic: synthetic)
    }

    /// The navigation entries a role may use: nobody is offered a page the server would refuse.
    static func navSections(for role: UserRole) -> [NavLink.Section] {
        NavLink.Section.allCases.filter { section in
            switch section {
            case .dashboard, .today, .participants, .queries, .report: return Permission.readStudyData.allows(role)
            case .register: return Permission.registerParticipant.allows(role)
            case .audit: return Permission.readAudit.allows(role)
            case .access: return Permission.reviewAccess.allows(role)
            }
        }
    }

    /// Renders a page as an HTML response.
    func html<M: PageModel>(_ model: M, _ layout: LayoutModel, status: HTTPResponse.Status = .ok, extraHeaders: HTTPFields = [:]) throws -> Response {
        let body = try pages.render(model, layout: layout)
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8"]
        headers.append(contentsOf: extraHeaders)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// A 303 redirect, optionally carrying a one-shot flash message in a cookie.
    func redirect(_ location: String, flash: Flash? = nil) -> Response {
        var headers: HTTPFields = [.location: location]
        if let flash {
            let value = "\(flash.kind):\(flash.message)".addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            headers[values: .setCookie].append(cookie(Self.flashCookie, value, maxAge: 60).description)
        }
        return Response(status: .seeOther, headers: headers)
    }

    /// The flash message left by the previous redirect, and the header that clears it.
    func takeFlash(_ request: Request) -> (flashes: [Flash], clear: HTTPFields) {
        guard let raw = request.cookies[Self.flashCookie]?.value.removingPercentEncoding,
              let colon = raw.firstIndex(of: ":") else { return ([], [:]) }
        let kind = Flash.Kind(rawValue: String(raw[..<colon])) ?? .success
        var clear = HTTPFields()
        clear[values: .setCookie].append(cookie(Self.flashCookie, "", maxAge: 0).description)
        return ([Flash(kind, String(raw[raw.index(after: colon)...]))], clear)
    }

    /// An HTML error page for a failed web request.
    func errorPage(_ error: AppError, _ context: AppRequestContext) -> Response {
        let next: String
        switch error.status {
        case .unauthorized: next = "Sign in again."
        case .forbidden: next = error.code == "csrf" ? "Go back, reload the page, and submit the form again." : "Ask an administrator if you need this permission."
        case .notFound: next = "Check the address, or find the participant in the list."
        case .conflict: next = "Reload the page to see the current data, then try again."
        default: next = "Go back and try again; if it keeps happening, tell the administrator."
        }
        let model = ErrorPage.Model(status: Int(error.status.code), heading: error.status.reasonPhrase, message: error.message, nextStep: next)
        return (try? html(model, layout(context), status: error.status))
            ?? Response(status: error.status, body: .init(byteBuffer: ByteBuffer(string: error.message)))
    }

    /// Wraps a web handler: signed-out users go to the sign-in page; errors become error pages.
    func page(_ handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Response)
        -> @Sendable (Request, AppRequestContext) async throws -> Response {
        { request, context in
            guard context.user != nil else {
                if request.method == .get {
                    let next = request.uri.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
                    return self.redirect(WebPaths.signIn + "?next=" + next)
                }
                return self.errorPage(AppError.unauthorized("Your session has ended. Sign in again."), context)
            }
            do { return try await handler(request, context) } catch {
                let e = AppError.from(error)
                if e.status == .internalServerError { self.logger.error("web request failed: \(String(describing: type(of: error)))") }
                return self.errorPage(e, context)
            }
        }
    }
}

/// Compares two strings in time independent of where they first differ.
func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var diff: UInt8 = 0
    for i in 0..<x.count { diff |= x[i] ^ y[i] }
    return diff == 0
}
