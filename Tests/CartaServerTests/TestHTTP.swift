import CartaTrial
import CartaModel
import CartaServer
@_spi(Testing) import CartaStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

// MARK: - HTTP helpers

extension TestResponse {
    /// The body parsed as JSON, nil when it is not JSON.
    var json: JSON? { JSON(body) }
    var text: String { String(buffer: body) }

    /// The cookies this response sets, by name (value only).
    var setCookies: [String: String] {
        var out: [String: String] = [:]
        for header in headers[values: .setCookie] {
            let pair = header.split(separator: ";", maxSplits: 1)[0]
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            out[String(parts[0]).trimmingCharacters(in: .whitespaces)] = parts.count > 1 ? String(parts[1]) : ""
        }
        return out
    }

    /// The full `Set-Cookie` header for cookie `name`.
    func setCookieHeader(_ name: String) -> String? {
        headers[values: .setCookie].first { $0.hasPrefix(name + "=") }
    }
}

/// Checks the DESIGN.md §3 error shape: exactly `{"error": {"code", "message"[, "field"]}}`.
func expectErrorShape(_ response: TestResponse, _ status: HTTPResponse.Status, code: String? = nil, field: String? = nil,
                      sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(response.status == status, "status \(response.status) body \(response.text)", sourceLocation: sourceLocation)
    guard let top = response.json?.object, let inner = top["error"]?.object else {
        Issue.record("not the error shape: \(response.text)", sourceLocation: sourceLocation); return
    }
    #expect(Set(top.keys) == ["error"], sourceLocation: sourceLocation)
    #expect(Set(inner.keys).isSubset(of: ["code", "message", "field"]), "\(inner.keys)", sourceLocation: sourceLocation)
    #expect(inner["code"]?.string?.isEmpty == false, sourceLocation: sourceLocation)
    #expect(inner["message"]?.string?.isEmpty == false, sourceLocation: sourceLocation)
    if let code { #expect(inner["code"]?.string == code, "\(response.text)", sourceLocation: sourceLocation) }
    if let field { #expect(inner["field"]?.string == field, "\(response.text)", sourceLocation: sourceLocation) }
}

extension TestClientProtocol {
    /// Sends a JSON API request with an optional bearer token and a JSON or raw body.
    func api(_ method: HTTPRequest.Method, _ path: String, token: String? = nil, json: JSON? = nil, raw: String? = nil,
             headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers: HTTPFields = [.accept: "application/json"]
        headers.append(contentsOf: extra)
        if let token { headers[.authorization] = "Bearer \(token)" }
        var body: ByteBuffer?
        if let json { body = ByteBuffer(string: json.text) } else if let raw { body = ByteBuffer(string: raw) }
        if body != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: path, method: method, headers: headers, body: body)
    }

    /// Signs in through `POST /api/v1/tokens`; nil for the anonymous caller.
    func token(_ caller: Caller) async throws -> String? {
        guard caller != .anonymous else { return nil }
        return try await token(username: caller.rawValue, password: caller.password)
    }

    /// Signs in any account through `POST /api/v1/tokens`.
    func token(username: String, password: String, code: String? = nil) async throws -> String {
        let credentials: JSON = code.map { ["username": .string(username), "password": .string(password), "code": .string($0)] }
            ?? ["username": .string(username), "password": .string(password)]
        let r = try await api(.post, "/api/v1/tokens", json: credentials)
        #expect(r.status == .created, "\(r.text)")
        return try #require(r.json?["token"]?.string)
    }

    /// Signs in through the web form (double-submit cookie) and returns the session cookie and its CSRF token.
    func webSignIn(_ caller: Caller, server: TestServer) async throws -> WebSession? {
        guard caller != .anonymous else { return nil }
        return try await webSignIn(username: caller.rawValue, password: caller.password, server: server)
    }

    /// Signs any account in through the web form.
    func webSignIn(username: String, password: String, server: TestServer) async throws -> WebSession {
        let page = try await execute(uri: "/signin", method: .get)
        let pre = try #require(page.setCookies["carta_csrf"])
        let r = try await execute(uri: "/signin", method: .post,
                                  headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "carta_csrf=\(pre)"],
                                  body: ByteBuffer(string: formEncode([("csrf", pre), ("username", username), ("password", password)])))
        #expect(r.status == .seeOther, "\(r.text)")
        let token = try #require(r.setCookies["carta_session"])
        let session = try #require(try await server.store.session(token: token))
        return WebSession(cookie: "carta_session=\(token)", csrf: session.csrfToken)
    }

    /// Posts an HTML form as a signed-in browser would (the CSRF field is added unless `csrf` overrides it).
    func webPost(_ path: String, session: WebSession?, fields: [(String, String)], csrf: String?? = .none) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let session { headers[.cookie] = session.cookie }
        var all = fields
        switch csrf {
        case .none: if let session { all.append(("csrf", session.csrf)) }
        case .some(.some(let forged)): all.append(("csrf", forged))
        case .some(.none): break
        }
        return try await execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: formEncode(all)))
    }

    /// Gets a page as a browser with `session`.
    func webGet(_ path: String, session: WebSession?) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let session { headers[.cookie] = session.cookie }
        return try await execute(uri: path, method: .get, headers: headers)
    }
}

/// A signed-in browser: the session cookie and the CSRF token of that session.
struct WebSession: Sendable {
    let cookie: String
    let csrf: String
}

/// `application/x-www-form-urlencoded` encoding (WHATWG URL Standard §5.2).
func formEncode(_ fields: [(String, String)]) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._*")
    func enc(_ s: String) -> String {
        (s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s).replacingOccurrences(of: "%20", with: "+")
    }
    return fields.map { "\(enc($0.0))=\(enc($0.1))" }.joined(separator: "&")
}
