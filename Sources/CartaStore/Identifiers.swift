import Foundation

/// The id of a Carta user (a UUID string).
///
/// Source: DESIGN.md §4 ("IDs are typed, never bare strings across modules").
public struct UserID: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The UUID string.
    public let rawValue: String
    /// Wraps a stored id.
    ///
    /// Source: DESIGN.md §4.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// A new random id.
    ///
    /// Source: DESIGN.md §4.
    public static func random() -> UserID { UserID(rawValue: UUID().uuidString.lowercased()) }
    /// The raw id.
    public var description: String { rawValue }
}

/// The internal id of a participant (a UUID string; the subject ID is the pseudonymous business key).
///
/// Source: DESIGN.md §4.
public struct ParticipantID: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The UUID string.
    public let rawValue: String
    /// Wraps a stored id.
    ///
    /// Source: DESIGN.md §4.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// A new random id.
    ///
    /// Source: DESIGN.md §4.
    public static func random() -> ParticipantID { ParticipantID(rawValue: UUID().uuidString.lowercased()) }
    /// The raw id.
    public var description: String { rawValue }
}
