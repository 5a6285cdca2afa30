/// The sign-in page.
///
/// Source: issue 2 §5 (sessions for the web app, CSRF tokens on every form).
public enum SignInPage {
    /// What the sign-in page shows.
    public struct Model: PageModel, Equatable {
        /// Template `signin.mustache`.
        public static let template = "signin"
        /// Document title.
        public let title = "Sign in"
        /// Where the form posts.
        public let action: String
        /// The username to prefill after a failed attempt (never the password).
        public let username: String
        /// Why the last attempt failed, e.g. "Unknown username or wrong password."
        public let signinError: String?
        /// Where to go after signing in (a local path), carried in a hidden field.
        public let next: String?

        /// Creates the sign-in page model.
        public init(username: String = "", signinError: String? = nil, next: String? = nil) {
            self.action = WebPaths.signIn
            self.username = username
            self.signinError = signinError
            self.next = next
        }
    }
}
