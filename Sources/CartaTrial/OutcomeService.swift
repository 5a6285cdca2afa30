import CartaModel
import CartaStudy

/// Reads the enrolled participants of the principal's sites and derives the outcome measures
/// (`OutcomeDerivation`) — for `carta derive`, the API, the web report and `carta report`.
///
/// Source: issue 9 scope 1 (`carta derive`, the API and the report show the same derivation).
public struct OutcomeService: Sendable {
    public let adverseEvents: AdverseEventService
    var screening: ScreeningService { adverseEvents.conduct.screening }

    public init(adverseEvents: AdverseEventService) { self.adverseEvents = adverseEvents }

    /// The outcome measures over the enrolled participants the principal may read (two statements).
    public func derive(by principal: Principal) async throws -> StudyOutcomes {
        let all = try await screening.files(by: principal)
        let files = all.filter { $0.participant.status == .enrolled }
        let events = try await screening.store.adverseEvents(participantIDs: files.map(\.participant.id))
        return OutcomeDerivation.derive(inputs(files, events: events), study: screening.study,
                                        flow: (all.count, all.filter { $0.participant.status == .screenFailed }.count))
    }

    /// The derivation inputs of already loaded files.
    public func inputs(_ files: [ParticipantFile], events: [ParticipantID: [AdverseEvent]]) -> [OutcomeDerivation.Input] {
        files.map { file in
            OutcomeDerivation.Input(record: ParticipantCourseRecord(file: file, study: screening.study),
                                    events: events[file.participant.id] ?? [], episodes: adverseEvents.episodes(file))
        }
    }
}
