import Mustache

/// The periodic access review: every account with its role, sites, state, last sign-in, recent failures,
/// last access change, second factor and tokens, flagged rows first; printable and exportable as CSV.
///
/// Source: standards.md R-AC-1 ("quarterly access-review report lists users, roles, last login");
/// 21 CFR 11.300(b); the same rows as `GET /api/v1/access-review` and `carta user access-review`.
public enum AccessReviewPage {
    public struct Model: PageModel, Equatable {
        public static let template = "access-review"
        public let title = "Access review"
        public let generatedAt: String
        public let summary: String
        public let rows: [Row]
        public let hasRows: Bool
        /// Account lockouts of the last days, newest first (R-AC-2 alerting).
        public let alerts: [String]
        public let hasAlerts: Bool

        public init(generatedAt: String, summary: String, rows: [Row], alerts: [String] = []) {
            self.alerts = alerts
            self.hasAlerts = !alerts.isEmpty
            self.generatedAt = generatedAt
            self.summary = summary
            self.rows = rows
            self.hasRows = !rows.isEmpty
        }
    }

    public struct Row: Sendable, Equatable {
        public let username: String, displayName: String, role: String, sites: String, state: String
        public let lastSignIn: String, failures: Int, lastAccessChange: String, secondFactor: String, tokens: Int
        /// What to look at ("" when nothing stands out).
        public let flags: String
        public let flagged: Bool
        public init(username: String, displayName: String, role: String, sites: String, state: String, lastSignIn: String, failures: Int,
                    lastAccessChange: String, secondFactor: String, tokens: Int, flags: String) {
            self.username = username; self.displayName = displayName; self.role = role; self.sites = sites; self.state = state
            self.lastSignIn = lastSignIn; self.failures = failures; self.lastAccessChange = lastAccessChange
            self.secondFactor = secondFactor; self.tokens = tokens; self.flags = flags; self.flagged = !flags.isEmpty
        }
    }
}

extension AccessReviewPage.Model: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "title": self.title
        case "generatedAt": self.generatedAt
        case "summary": self.summary
        case "rows": self.rows
        case "hasRows": self.hasRows
        case "alerts": self.alerts
        case "hasAlerts": self.hasAlerts
        default: nil
        }
    }
}

extension AccessReviewPage.Row: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "username": self.username
        case "displayName": self.displayName
        case "role": self.role
        case "sites": self.sites
        case "state": self.state
        case "lastSignIn": self.lastSignIn
        case "failures": self.failures
        case "lastAccessChange": self.lastAccessChange
        case "secondFactor": self.secondFactor
        case "tokens": self.tokens
        case "flags": self.flags
        case "flagged": self.flagged
        default: nil
        }
    }
}
