import Foundation

/// The channel through which a change entered Carta.
///
/// Source: issue 2 scope 4.
public enum AuditSource: String, Sendable, Codable, CaseIterable {
    /// The web pages.
    case web
    /// The JSON API.
    case api
    /// The `carta` command line.
    case cli
    /// A data import (ODM, REDCap…).
    case `import`
}
