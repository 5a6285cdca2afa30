import Mustache

/// The signed-in user's own account: who they are (role, sites), their API tokens, a password change,
/// the optional TOTP second factor and "sign out everywhere".
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
        /// When the TOTP second factor was enrolled (site-local text), nil without one.
        public let secondFactorSince: String?
        /// A set-up waiting for its first code.
        public let secondFactorSetup: SecondFactorSetup?
        /// The second-factor form's error, after a refused code.
        public let secondFactorError: String?
        /// `none`, `pending` or `enrolled` (the section's data-state).
        public let secondFactorState: String
        /// Neither enrolled nor being set up: the page offers to start.
        public let noSecondFactor: Bool

        public init(displayName: String, username: String, role: String, sites: String, tokens: [Token], passwordError: String? = nil,
                    secondFactorSince: String? = nil, secondFactorSetup: SecondFactorSetup? = nil, secondFactorError: String? = nil) {
            self.secondFactorSince = secondFactorSince
            self.secondFactorSetup = secondFactorSetup
            self.secondFactorError = secondFactorError
            self.secondFactorState = secondFactorSince != nil ? "enrolled" : secondFactorSetup != nil ? "pending" : "none"
            self.noSecondFactor = secondFactorSince == nil && secondFactorSetup == nil
            self.displayName = displayName
            self.username = username
            self.role = role
            self.sites = sites
            self.tokens = tokens
            self.hasTokens = !tokens.isEmpty
            self.passwordError = passwordError
        }
    }

    /// The secret to type into an authenticator app (in groups of four) and its key URI.
    public struct SecondFactorSetup: Sendable, Equatable {
        /// The base32 secret in groups of four ("ABCD EFGH …"), easier to type from the screen.
        public let secret: String
        public let keyURI: String
        public init(secret: String, keyURI: String) {
            self.secret = stride(from: 0, to: secret.count, by: 4).map { i in
                let start = secret.index(secret.startIndex, offsetBy: i)
                return String(secret[start..<(secret.index(start, offsetBy: 4, limitedBy: secret.endIndex) ?? secret.endIndex)])
            }.joined(separator: " ")
            self.keyURI = keyURI
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
        case "secondFactorSince": self.secondFactorSince
        case "secondFactorSetup": self.secondFactorSetup
        case "secondFactorError": self.secondFactorError
        case "secondFactorState": self.secondFactorState
        case "noSecondFactor": self.noSecondFactor
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

extension AccountPage.SecondFactorSetup: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "secret": self.secret
        case "keyURI": self.keyURI
        default: nil
        }
    }
}
