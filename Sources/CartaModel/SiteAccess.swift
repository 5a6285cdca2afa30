import Foundation

/// Which sites' participants a user may see and act on.
///
/// Source: issue 7 scope 1 ("Users belong to one or more sites and see only their sites'
/// participants"); standards.md R-AC-1 (role-based permissions at study and site level).
/// Stored in `users.sites` as `*` for every site or the site IDs joined by commas, in order.
public enum SiteAccess: Sendable, Equatable, Hashable, Codable {
    /// Every site of the study (study-wide roles: admin, data manager, statistician, auditor, sponsor).
    case all
    /// Only these sites (never empty).
    case only(Set<SiteID>)

    /// Whether a participant at `site` is within reach.
    public func includes(_ site: SiteID) -> Bool {
        switch self {
        case .all: return true
        case .only(let sites): return sites.contains(site)
        }
    }

    /// The listed sites in order, or nil for every site.
    public var listed: [SiteID]? {
        switch self {
        case .all: return nil
        case .only(let sites): return sites.sorted()
        }
    }

    /// The stored form: `*`, or `SITE1,SITE2`.
    public var stored: String {
        listed.map { $0.map(\.rawValue).joined(separator: ",") } ?? "*"
    }

    /// Parses the stored form; nil when it is empty or malformed.
    public init?(stored text: String) {
        if text == "*" { self = .all; return }
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard !parts.isEmpty, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        self = .only(Set(parts.map { SiteID(rawValue: $0) }))
    }

    /// How it reads on a page: "all sites" or "SUZHOU, WUXI".
    public var description: String {
        listed.map { $0.map(\.rawValue).joined(separator: ", ") } ?? "all sites"
    }
}
