/// The error page: what went wrong, what to do next, and a way home.
///
/// Source: issue 2 "Bad input" (each gets a clear error); DESIGN.md §3 (errors with a fitting status).
public enum ErrorPage {
    /// What the error page shows.
    public struct Model: PageModel, Equatable {
        /// Template `error.mustache`.
        public static let template = "error"
        /// Document title, e.g. "404 Not found".
        public let title: String
        /// HTTP status code.
        public let status: Int
        /// Short name of the status, e.g. "Not found".
        public let heading: String
        /// What went wrong, in plain words.
        public let message: String
        /// What the user can do next.
        public let nextStep: String
        /// Where the home link goes.
        public let homeHref: String

        /// Creates the error page model.
        public init(status: Int, heading: String, message: String, nextStep: String, homeHref: String = WebPaths.dashboard) {
            self.title = "\(status) \(heading)"
            self.status = status
            self.heading = heading
            self.message = message
            self.nextStep = nextStep
            self.homeHref = homeHref
        }
    }
}
