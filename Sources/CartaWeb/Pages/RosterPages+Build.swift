import Foundation
import CartaModel

extension DashboardPage {
    /// Counts by status and who is waiting for what — what a coordinator needs first — from every participant and the
    /// roster of those in screening alone (`ScreeningService.rosterOverview`): the screening state needs screening
    /// values, which only the waiting list uses — at 3,000 enrolled participants reading everyone's was a second of
    /// every sign-in's first page.
    ///
    /// Source: issue 2 scope 7 (dashboard); issue 6 scope 4.
    public static func build(participants: [Participant], inScreening: [ScreeningRosterEntry], target: Int, conduct: [ConductItem] = []) -> Model {
        let waiting = inScreening.filter { $0.participant.status == .screening }
            .map { WaitingItem(subjectId: $0.participant.subjectID.rawValue, reason: $0.state.nextStepText) }
        func count(_ s: ParticipantStatus) -> Int { participants.filter { $0.status == s }.count }
        return Model(screening: count(.screening), enrolled: count(.enrolled), screenFailed: count(.screenFailed),
                     target: target, waiting: waiting, conduct: count(.enrolled) > 0 ? conduct : [])
    }
}

extension ParticipantsPage {
    /// The participant list, optionally filtered by status, with each participant's next step, from the participants
    /// and the roster of those in screening: an enrolled or screen-failed participant's next step follows from the
    /// status (`ScreeningState.step(after:)`), so their screening values are not read — with 3,000 enrolled that read
    /// was most of the list's time.
    ///
    /// Source: issue 2 scope 7 (participant list); issue 6 scope 4.
    public static func build(participants: [Participant], inScreening: [ScreeningRosterEntry], status: ParticipantStatus?,
                             siteName: (SiteID) -> String, role: UserRole, page: Int = 1, subject: String = "") -> Model {
        let screeningText = Dictionary(inScreening.map { ($0.participant.id, $0.state.nextStepText) }, uniquingKeysWith: { a, _ in a })
        let listed = participants.filter {
            (status == nil || $0.status == status) && $0.subjectIDContains(subject)
        }
        let pager = Pager(total: listed.count, page: page, size: pageSize)
        let rows = listed[pager.range].map { p in
            Row(subjectId: p.subjectID.rawValue, status: p.status, site: siteName(p.siteID), registeredOn: WebFormat.date(p.createdAt),
                nextAction: ScreeningState.step(after: p.status)?.text ?? screeningText[p.id] ?? "")
        }
        return Model(rows: rows, status: status, canRegister: Permission.registerParticipant.allows(role), pager: pager, subject: subject)
    }
}
