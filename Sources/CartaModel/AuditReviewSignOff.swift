import Foundation

/// A reviewer's signed statement that they reviewed the audit records of one scope, bound to those records.
///
/// Source: standards.md R-AT-5 ("Reviewer can save a review scope and sign it; sign-off appears in
/// audit"); ICH E6(R3) 4.2.3 and FDA Q&A on audit-trail review (a planned, risk-based review whose
/// performance is documented); 21 CFR 11.50 (printed name, date and time, meaning), 11.70 (the signature
/// is linked to its records: here the SHA-256 over the reviewed records' chain hashes).
public struct AuditReviewSignOff: Sendable, Equatable, Codable {
    public var id: String
    /// The review scope as query parameters of the audit view (`subject=…&form=…`), to reopen it.
    public var scope: String
    /// The scope in words, as the reviewer saw it.
    public var scopeDescription: String
    /// The newest audit record covered (records appended later are outside the review).
    public var throughSeq: Int
    /// How many records the scope held up to `throughSeq`.
    public var recordCount: Int
    /// SHA-256 (hex) over the covered records' sequence numbers and chain hashes, in order.
    public var contentHash: String
    public var reviewerID: UserID
    /// Printed name of the reviewer (21 CFR 11.50(a)(1)).
    public var reviewerName: String
    public var signedAt: Date
    /// The meaning of the signature (21 CFR 11.50(a)(3)).
    public var meaning: String
    /// What the reviewer found or did, if they said.
    public var comment: String?

    public init(id: String, scope: String, scopeDescription: String, throughSeq: Int, recordCount: Int, contentHash: String,
                reviewerID: UserID, reviewerName: String, signedAt: Date, meaning: String, comment: String?) {
        self.id = id
        self.scope = scope
        self.scopeDescription = scopeDescription
        self.throughSeq = throughSeq
        self.recordCount = recordCount
        self.contentHash = contentHash
        self.reviewerID = reviewerID
        self.reviewerName = reviewerName
        self.signedAt = signedAt
        self.meaning = meaning
        self.comment = comment
    }
}
