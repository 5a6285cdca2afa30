import CartaCore
import CartaTrial
import Foundation
import Hummingbird

/// An error with an HTTP status, a stable code, a message that says what to do next, and the field.
///
/// Source: DESIGN.md §3 — errors as `{"error": {"code", "message", "field"}}` with a fitting status;
/// §4 — one place maps errors to HTTP.
public struct AppError: Error, Sendable, CustomStringConvertible {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String
    public let field: String?

    public init(_ status: HTTPResponse.Status, code: String, message: String, field: String? = nil) {
        self.status = status; self.code = code; self.message = message; self.field = field
    }

    public var description: String { message }

    public static func unauthorized(_ message: String = "Sign in first: send Authorization: Bearer <token> from POST /api/v1/tokens.") -> AppError {
        AppError(.unauthorized, code: "unauthorized", message: message)
    }

    public static func forbidden(_ message: String) -> AppError { AppError(.forbidden, code: "forbidden", message: message) }

    public static func notFound(_ message: String) -> AppError { AppError(.notFound, code: "not_found", message: message) }

    public static func invalid(_ field: String, _ message: String) -> AppError {
        AppError(.unprocessableContent, code: "invalid_input", message: message, field: field)
    }

    /// The JSON body `{"error": {...}}`.
    public var jsonBody: Data {
        var inner: [String: String] = ["code": code, "message": message]
        if let field { inner["field"] = field }
        let e = JSONEncoder(); e.outputFormatting = [.sortedKeys]
        return (try? e.encode(["error": inner])) ?? Data()
    }

    /// Maps any error raised while handling a request to an `AppError` (the single mapping point).
    public static func from(_ error: any Error) -> AppError {
        switch error {
        case let e as AppError: return e
        case let e as CalculatorError:
            return AppError(.unprocessableContent, code: e.code, message: e.message, field: e.field)
        case let e as any HTTPResponseError where e.status.code < 500:
            // Raised by Hummingbird or NIO: no matching route, body over the limit, malformed request.
            switch e.status {
            case .notFound:
                return AppError(.notFound, code: "not_found", message: "No such API route: check the method and path against /api/v1/openapi.json.")
            case .contentTooLarge:
                return AppError(.contentTooLarge, code: "too_large", message: "The request body is too large (limit 1 MiB); nothing was saved.")
            default:
                return AppError(e.status, code: "bad_request", message: (e as? HTTPError)?.body ?? e.status.reasonPhrase)
            }
        default:
            if let mapped = AppError.mapDomain(error) { return mapped }
            return AppError(.internalServerError, code: "internal", message: "Something went wrong on the server; the change was not saved. Try again, and tell the administrator if it persists.")
        }
    }
}
