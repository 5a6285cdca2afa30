import CartaModel
import CartaStore
import CartaTrial
import Hummingbird

extension AppError {
    /// Maps store and screening errors to HTTP (the single mapping point, DESIGN.md §4).
    static func mapDomain(_ error: any Error) -> AppError? {
        switch error {
        case let e as StoreError:
            switch e.code {
            case .conflict: return AppError(.conflict, code: "conflict", message: e.message)
            case .notFound: return AppError(.notFound, code: "not_found", message: e.message)
            case .constraint: return AppError(.unprocessableContent, code: "constraint", message: e.message)
            case .enrolmentFull: return AppError(.conflict, code: "enrolment_full", message: e.message)
            case .invalidState: return AppError(.conflict, code: "invalid_state", message: e.message)
            case .invalidConfiguration: return AppError(.internalServerError, code: "invalid_configuration", message: e.message)
            case .database: return AppError(.serviceUnavailable, code: "database", message: "The database could not complete the request; nothing was saved. Try again.")
            }
        case let e as WorkflowError:
            let status: HTTPResponse.Status
            switch e.code {
            case .notFound: status = .notFound
            case .conflict, .invalidState, .notEligible, .incomplete, .eligible, .enrolmentFull, .outOfOrder: status = .conflict
            case .invalidInput: status = .unprocessableContent
            case .forbidden: status = .forbidden
            }
            return AppError(status, code: e.code.rawValue, message: e.message, field: e.field)
        default:
            return nil
        }
    }
}
