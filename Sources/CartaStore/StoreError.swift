import CartaModel
import Foundation

/// An error raised by the store, with a stable `code` that the server maps to an HTTP status.
///
/// Source: DESIGN.md §4 ("one small error type per module with a stable code; driver errors are
/// mapped at the store boundary"). Messages never contain passwords or token values.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable machine-readable error codes.
    ///
    /// Source: DESIGN.md §4; issue 2 "Bad input".
    public enum Code: String, Sendable, Equatable, CaseIterable {
        /// Someone else changed the record first (optimistic version check) or a unique key is taken.
        case conflict
        /// The addressed record does not exist.
        case notFound = "not_found"
        /// A database constraint rejected the write.
        case constraint
        /// The study's enrolment target is reached.
        case enrolmentFull = "enrolment_full"
        /// The record is not in a state that allows the operation (e.g. enrolling a screen failure).
        case invalidState = "invalid_state"
        /// The database URL or another setting is malformed.
        case invalidConfiguration = "invalid_configuration"
        /// Any other database failure (connection lost, I/O error…).
        case database
    }

    /// The stable error code.
    public let code: Code
    /// A human-readable message (no secrets).
    public let message: String

    /// Creates an error from a code and a message.
    ///
    /// Source: DESIGN.md §4.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// A version conflict or duplicate key.
    ///
    /// Source: DESIGN.md §4.
    public static func conflict(_ message: String) -> StoreError { .init(.conflict, message) }
    /// A missing record.
    ///
    /// Source: DESIGN.md §4.
    public static func notFound(_ message: String) -> StoreError { .init(.notFound, message) }
    /// A wrong state for the requested transition.
    ///
    /// Source: DESIGN.md §4.
    public static func invalidState(_ message: String) -> StoreError { .init(.invalidState, message) }
    /// The enrolment cap is reached.
    ///
    /// Source: spec/clinical.md §0 (target enrolment); issue 2 scope 6.
    public static func enrolmentFull(_ message: String) -> StoreError { .init(.enrolmentFull, message) }

    /// `code: message`.
    public var description: String { "\(code.rawValue): \(message)" }
}
