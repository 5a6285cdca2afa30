/// Whether a participant's latest eligibility signature still covers the data.
///
/// Source: 21 CFR 11.70; issue 7 (hole: after enrolment the card read "data changed since — sign again"
/// although nothing had changed: the version had moved with the status, not with the data).
public enum SignatureStanding: Sendable, Equatable {
    /// Nothing signed yet.
    case unsigned
    /// The signed content is exactly the current data.
    case valid
    /// The data changed after signing; a new signature is needed.
    case invalidatedByChange
}
