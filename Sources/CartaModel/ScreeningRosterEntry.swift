/// One line of the study's roster: a participant and where screening stands. The input of the
/// dashboard and the participant list, built by the application layer in a fixed number of queries.
///
/// Source: issue 6 scope 4 (page models from domain records).
public struct ScreeningRosterEntry: Sendable, Equatable {
    /// The participant.
    public let participant: Participant
    /// Where screening stands.
    public let state: ScreeningState

    /// Creates an entry.
    public init(participant: Participant, state: ScreeningState) {
        self.participant = participant
        self.state = state
    }
}
