import Hummingbird

extension AppError {
    /// Maps module errors (store, study) to HTTP; extended as modules gain error types.
    static func mapDomain(_ error: any Error) -> AppError? {
        nil
    }
}
