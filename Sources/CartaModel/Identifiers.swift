import Foundation

/// A typed identifier: a string that only compares with identifiers of the same kind, so a subject
/// ID can never be passed where a site ID or a row id is expected.
///
/// Source: DESIGN.md §4 ("IDs are typed, never bare strings across modules"); the pattern of
/// pointfreeco/swift-tagged, kept dependency-free here.
public struct TypedID<Kind: IDKind>: RawRepresentable, Hashable, Comparable, Sendable, Codable,
    CustomStringConvertible, ExpressibleByStringLiteral {
    /// The stored text.
    public let rawValue: String
    /// Wraps stored text.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Wraps stored text.
    public init(_ rawValue: String) { self.rawValue = rawValue }
    /// A literal in code and tests, e.g. `"BCRITP-001"`.
    public init(stringLiteral value: String) { rawValue = value }
    /// Decodes from a plain JSON string.
    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    /// Encodes as a plain JSON string.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
    /// The stored text.
    public var description: String { rawValue }
    /// Orders by the stored text.
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    /// A new random id (a lower-case UUID), for internal row ids.
    public static func random() -> Self { Self(rawValue: UUID().uuidString.lowercased()) }
}

/// The kind of a `TypedID`; an empty enum per kind.
///
/// Source: DESIGN.md §4.
public protocol IDKind: Sendable {}

/// Kinds of identifiers.
///
/// Source: DESIGN.md §4; CDISC ODM 1.3.2 §3.1 (OIDs); ClinicalTrials.gov (NCT numbers).
public enum IDKinds {
    /// The internal id of a participant row (a UUID; the subject ID is the business key).
    public enum Participant: IDKind {}
    /// A pseudonymous subject ID from the study's pattern, e.g. `BCRITP-001`.
    public enum Subject: IDKind {}
    /// A Carta user (a UUID).
    public enum User: IDKind {}
    /// A site of the study file, e.g. `SUZHOU`.
    public enum Site: IDKind {}
    /// A study, by its registry identifier, e.g. `NCT05315778`.
    public enum Study: IDKind {}
}

/// The internal id of a participant row.
public typealias ParticipantID = TypedID<IDKinds.Participant>
/// A pseudonymous subject ID such as `BCRITP-001`.
public typealias SubjectID = TypedID<IDKinds.Subject>
/// The id of a Carta user.
public typealias UserID = TypedID<IDKinds.User>
/// The id of a site in the study file.
public typealias SiteID = TypedID<IDKinds.Site>
/// A study's registry identifier.
public typealias StudyID = TypedID<IDKinds.Study>

extension IDKinds {
    /// A study event OID, e.g. `SCREENING` (CDISC ODM StudyEventOID).
    public enum Event: IDKind {}
    /// A form OID, e.g. `F_LAB` (CDISC ODM FormOID).
    public enum Form: IDKind {}
    /// An item OID, e.g. `PLT` (CDISC ODM ItemOID).
    public enum Item: IDKind {}
}

/// A study event OID (CDISC ODM 1.3.2 §3.1.4 StudyEventOID).
public typealias EventOID = TypedID<IDKinds.Event>
/// A form OID (CDISC ODM 1.3.2 §3.1.4 FormOID).
public typealias FormOID = TypedID<IDKinds.Form>
/// An item OID (CDISC ODM 1.3.2 §3.1.4 ItemOID).
public typealias ItemOID = TypedID<IDKinds.Item>

extension TypedID where Kind == IDKinds.Event {
    /// The event under which screening forms are stored.
    ///
    /// Source: issue 2 scope 3 (screening data addressed ODM-style).
    public static let screening: EventOID = "SCREENING"
}
