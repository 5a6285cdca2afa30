import CartaTrial
import Foundation
import Hummingbird

/// The first check on every request, before routing and authentication:
/// - a path must be canonical (no empty, `.` or `..` segments, no encoded `/`, `\` or `.`,
///   no control characters), so that whether a request is an API call cannot be argued about
///   (`//api/v1/…` once reached the API with only a browser cookie);
/// - an API request that carries a body must declare it as JSON, so a cross-site HTML form
///   (`text/plain`, `application/x-www-form-urlencoded`, `multipart/form-data`) can never drive the API.
///
/// Source: issue 7 (CSRF bypass by path spelling; API writes accepting any content type);
/// OWASP CSRF Prevention Cheat Sheet ("Employing custom request headers" / content-type checks);
/// RFC 3986 §6.2.2 (syntax-based normalisation), §3.3 (path segments).
struct RequestGuardMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if let problem = RequestPath.problem(path) {
            let e = AppError(.badRequest, code: "bad_path", message: "The address \(problem); use the canonical path (for example /api/v1/participants).")
            return RequestPath.isAPI(path) ? JSONResponse.error(e)
                : Response(status: .badRequest, headers: [.contentType: "text/plain; charset=utf-8"],
                           body: .init(byteBuffer: ByteBuffer(string: e.message)))
        }
        if RequestPath.isAPI(path), Self.hasBody(request), !Self.isJSON(request.headers[.contentType]) {
            return JSONResponse.error(AppError(.unsupportedMediaType, code: "unsupported_media_type",
                                               message: "API requests with a body must send Content-Type: application/json; nothing was changed."))
        }
        return try await next(request, context)
    }

    static func hasBody(_ request: Request) -> Bool {
        if let length = request.headers[.contentLength], let n = Int(length) { return n > 0 }
        return request.headers[.transferEncoding] != nil
    }

    static func isJSON(_ contentType: String?) -> Bool {
        guard let value = contentType else { return false }
        let media = value.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        return media == "application/json"
    }
}

/// Path classification shared by every middleware, so they agree on what an API request is.
///
/// Source: issue 7 ("cookie sessions must never authenticate API routes, whatever the spelling of the path").
enum RequestPath {
    /// Why `path` is not canonical, or nil when it is.
    static func problem(_ path: String) -> String? {
        guard path.hasPrefix("/") else { return "must start with /" }
        if path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == "\\" }) {
            return "contains a control character or a backslash"
        }
        let lower = path.lowercased()
        for encoded in ["%2f", "%5c", "%2e", "%00"] where lower.contains(encoded) {
            return "contains an encoded separator (\(encoded.uppercased()))"
        }
        let segments = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        // A single trailing slash is an empty last segment; any other empty segment is `//`.
        for (i, s) in segments.enumerated() where s.isEmpty && i != segments.count - 1 {
            return "contains an empty segment (//)"
        }
        if segments.contains(where: { $0 == "." || $0 == ".." }) { return "contains . or .. segments" }
        return nil
    }

    /// Whether the request addresses the JSON API: its first path segment is `api`, in any case.
    static func isAPI(_ path: String) -> Bool {
        let decoded = path.removingPercentEncoding ?? path
        let first = decoded.split(whereSeparator: { $0 == "/" || $0 == "\\" }).first
        return first.map { $0.lowercased() == "api" } ?? false
    }
}
