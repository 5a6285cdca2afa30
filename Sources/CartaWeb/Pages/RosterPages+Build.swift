import CartaModel

extension DashboardPage {
    /// Counts by status and who is waiting for what — what a coordinator needs first.
    ///
    /// Source: issue 2 scope 7 (dashboard); issue 6 scope 4.
    public static func build(roster: [ScreeningRosterEntry], target: Int, conduct: [ConductItem] = []) -> Model {
        build(participants: roster.map(\.participant), inScreening: roster.filter { $0.participant.status == .screening }, target: target,
              conduct: conduct)
    }

    /// The same from every participant (their statuses, one cheap read) and the roster of those in screening alone: the
    /// screening state reads each participant's screening values, which only the waiting list needs — at 3,000
    /// enrolled participants that read was a second of every sign-in's first page.
    public static func build(participants: [Participant], inScreening: [ScreeningRosterEntry], target: Int, conduct: [ConductItem] = []) -> Model {
        let waiting = inScreening.filter { $0.participant.status == .screening }
            .map { WaitingItem(subjectId: $0.participant.subjectID.rawValue, reason: $0.state.nextStepText) }
        func count(_ s: ParticipantStatus) -> Int { participants.filter { $0.status == s }.count }
        return Model(screening: count(.screening), enrolled: count(.enrolled), screenFailed: count(.screenFailed),
                     target: target, waiting: waiting, conduct: count(.enrolled) > 0 ? conduct : [])
    }
}

extension ParticipantsPage {
    /// The participant list, optionally filtered by status, with each participant's next step.
    ///
    /// Source: issue 2 scope 7 (participant list); issue 6 scope 4.
    public static func build(roster: [ScreeningRosterEntry], status: ParticipantStatus?, siteName: (SiteID) -> String,
                             role: UserRole) -> Model {
        let rows = roster.filter { status == nil || $0.participant.status == status }.map { e in
            Row(subjectId: e.participant.subjectID.rawValue, status: e.participant.status, site: siteName(e.participant.siteID),
                registeredOn: WebFormat.date(e.participant.createdAt), nextAction: e.state.nextStepText)
        }
        return Model(rows: rows, status: status, canRegister: Permission.registerParticipant.allows(role))
    }
}
