import Foundation

/// An investigator's signed eligibility decision, with the checklist as it stood when signed.
///
/// Source: issue 2 scope 6 ("The investigator signs the decision (re-entering their password; name, time and
/// meaning recorded)"); 21 CFR Part 11 §11.50 (signature manifestation: name, date/time, meaning).
public struct EligibilityDecision: Sendable, Equatable, Codable {
    /// Internal id.
    public var id: String
    /// The participant decided on.
    public var participantID: ParticipantID
    /// Eligible or not eligible.
    public var decision: EligibilityDecisionKind
    /// The evaluated criteria as JSON text (sorted keys), exactly as shown to the signer.
    public var criteriaSnapshot: String
    /// The signer's user id.
    public var signedBy: UserID
    /// The signer's printed name.
    public var signerName: String
    /// When it was signed (UTC).
    public var signedAt: Date
    /// The meaning of the signature, e.g. "I confirm the eligibility assessment".
    public var meaning: String
    /// The participant's data version the decision was made on; a later data change makes it stale.
    public var participantVersion: Int
    /// SHA-256 (hex) of the exact content signed — subject, decision, meaning and every screening value
    /// (21 CFR 11.70: the signature is bound to its record). Nil for signatures made before Carta kept it.
    public var contentHash: String?

    /// Creates the record (the store builds these from rows; tests and importers may too).
    public init(id: String, participantID: ParticipantID, decision: EligibilityDecisionKind, criteriaSnapshot: String, signedBy: UserID, signerName: String, signedAt: Date, meaning: String, participantVersion: Int, contentHash: String? = nil) {
        self.id = id
        self.participantID = participantID
        self.decision = decision
        self.criteriaSnapshot = criteriaSnapshot
        self.signedBy = signedBy
        self.signerName = signerName
        self.signedAt = signedAt
        self.meaning = meaning
        self.participantVersion = participantVersion
        self.contentHash = contentHash
    }
}

extension EligibilityDecision {
    /// The default meaning of an eligibility signature (21 CFR 11.50: the meaning is part of the record).
    public static let defaultMeaning = "I confirm that I have reviewed the eligibility checklist and that this decision is correct."
}
