import CartaCore
import Foundation

/// Everything recorded about one participant that a screen or a rule needs at once: the record,
/// the date of birth (age criteria), the identity when the reader may see it, the latest signed
/// eligibility decision, every stored value and, when asked for, the values' audit history.
///
/// Loaded by the store in a fixed, small number of statements (issue 6: at most three for the
/// participant page), then handed to pure functions (screening state, page models).
/// Source: issue 6 scope 4 and "Done when"; CDISC ODM 1.3.2 §3.1.3 (SubjectData: all data of a subject).
public struct ParticipantFile: Sendable, Equatable {
    /// The participant.
    public var participant: Participant
    /// Date of birth, for age criteria; loaded for every reader because rules need it, never shown without identity rights.
    public var dateOfBirth: ClinicalDate?
    /// Identifying details; `nil` unless they were requested (the caller checked the viewer's right).
    public var identity: ParticipantIdentity?
    /// The most recent signed eligibility decision.
    public var latestDecision: EligibilityDecision?
    /// The standing database or casebook lock covering this participant, if any (issue 7 scope 7).
    public var lock: DataLock? = nil
    /// Every stored value, ordered by event, form, item and repeat key.
    public var values: [ItemValue]
    /// The audit history of the values, oldest first; empty unless requested.
    public var valueHistory: [AuditEvent]

    /// Creates a file.
    public init(participant: Participant, dateOfBirth: ClinicalDate?, identity: ParticipantIdentity?,
                latestDecision: EligibilityDecision?, values: [ItemValue], valueHistory: [AuditEvent] = []) {
        self.participant = participant
        self.dateOfBirth = dateOfBirth
        self.identity = identity
        self.latestDecision = latestDecision
        self.values = values
        self.valueHistory = valueHistory
    }

    /// The latest decision if it was signed on the participant's current data version.
    public var currentDecision: EligibilityDecision? {
        latestDecision.flatMap { $0.participantVersion == participant.version ? $0 : nil }
    }
}
