import Mustache

/// The signed-in user's own account: who they are (role, sites), their API tokens, a password change
/// and "sign out everywhere".
///
/// Source: issue 7 scope 2 ("sign-out everywhere; password change … API tokens that can be listed, expire
/// and be revoked"); the same service calls as `POST /api/v1/me/password` and `/me/sign-out-everywhere`.
public enum AccountPage {
    public struct Model: PageModel, Equatable {
        public static let template = "account"
        public let title = "Your account"
        public let displayName: String
        public let username: String
        public let role: String
        public let sites: String
        public let tokens: [Token]
        public let hasTokens: Bool
        /// The password form's error, after a refused change.
        public let passwordError: String?

        public init(displayName: String, username: String, role: String, sites: String, tokens: [Token], passwordError: String? = nil) {
            self.displayName = displayName
            self.username = username
            self.role = role
            self.sites = sites
            self.tokens = tokens
            self.hasTokens = !tokens.isEmpty
            self.passwordError = passwordError
        }
    }

    public struct Token: Sendable, Equatable {
        public let id: String, created: String, expires: String
        public init(id: String, created: String, expires: String) { self.id = id; self.created = created; self.expires = expires }
    }
}

extension AccountPage.Model: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "title": self.title
        case "displayName": self.displayName
        case "username": self.username
        case "role": self.role
        case "sites": self.sites
        case "tokens": self.tokens
        case "hasTokens": self.hasTokens
        case "passwordError": self.passwordError
        default: nil
        }
    }
}

extension AccountPage.Token: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "id": self.id
        case "created": self.created
        case "expires": self.expires
        default: nil
        }
    }
}
