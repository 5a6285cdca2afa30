import Foundation

/// An investigator's signature on a participant's whole casebook, bound to the SHA-256 of the exact
/// content signed (every value, the status and the eligibility decision).
///
/// Source: issue 7 scope 4 ("an investigator signs a form, a visit or a whole casebook by re-entering the
/// password; the signature records printed name, date and time with offset, and meaning; it is bound to a
/// SHA-256 of the exact content signed"); 21 CFR 11.50, 11.70, 11.200; ICH E6(R3) 2.12 (the investigator
/// attests the data reported).
public struct CasebookSignature: Sendable, Equatable, Codable {
    public var id: String
    public var participantID: ParticipantID
    public var signedBy: UserID
    /// Printed name of the signer (21 CFR 11.50(a)(1)).
    public var signerName: String
    /// Date and time of signing, UTC (shown with the site's offset).
    public var signedAt: Date
    /// The meaning of the signature (21 CFR 11.50(a)(3)).
    public var meaning: String
    /// SHA-256 (hex) of the canonical casebook content signed.
    public var contentHash: String
    /// The one form signed, or nil for the whole casebook.
    public var formOID: FormOID? = nil
    /// The one visit signed (every form of it), or nil.
    public var eventOID: EventOID? = nil

    /// What was signed, as one key: "" for the whole casebook, the form OID, or `visit:<ID>`.
    public var scopeKey: String { eventOID.map { "visit:\($0.rawValue)" } ?? formOID?.rawValue ?? "" }

    public init(id: String, participantID: ParticipantID, signedBy: UserID, signerName: String, signedAt: Date, meaning: String,
                contentHash: String) {
        self.id = id
        self.participantID = participantID
        self.signedBy = signedBy
        self.signerName = signerName
        self.signedAt = signedAt
        self.meaning = meaning
        self.contentHash = contentHash
    }
}
