import CartaModel
import Foundation
@testable import CartaWeb

/// Every page rendered from a fixture, by snapshot name. `text` puts one string into every user-data field.
enum RenderedPages {
    /// A page model with the layout it is shown in, named by its snapshot.
    struct Case {
        let name: String
        let model: any PageModel
        let layout: LayoutModel
    }

    /// The models the snapshots are rendered from (the drift tests walk the same ones).
    static func cases(text: String? = nil) -> [Case] {
        let L = { (current: NavLink.Section?) in PageFixtures.layout(current: current, text: text) }
        return [
            Case(name: "signin", model: PageFixtures.signIn(text: text), layout: PageFixtures.layout(user: false, text: text)),
            Case(name: "signin-empty", model: SignInPage.Model(), layout: PageFixtures.layout(user: false)),
            Case(name: "dashboard", model: PageFixtures.dashboard(text: text), layout: PageFixtures.layout(
                current: .dashboard, text: text,
                flashes: [Flash(.success, text ?? "Participant BCRITP-003 registered."),
                          Flash(.warning, text ?? "Enrolment is 1 short of the target."),
                          Flash(.error, text ?? "That action is not allowed for your role.")])),
            Case(name: "dashboard-empty", model: DashboardPage.Model(screening: 0, enrolled: 5, screenFailed: 0, target: 5, waiting: [],
                                                                   conduct: DashboardPage.conductItems(alerts: 0, participantsWithAlerts: 0, dueToday: 0,
                                                                                                       overdue: 0, openQueries: 0, answeredQueries: 0)),
                 layout: L(.dashboard)),
            Case(name: "participants", model: PageFixtures.participants(text: text), layout: L(.participants)),
            Case(name: "participants-empty", model: ParticipantsPage.Model(rows: [], status: .enrolled), layout: L(.participants)),
            Case(name: "register", model: RegisterPage.Model(sites: [SelectOption(value: "TJ01", label: "Tianjin Haihe Hospital")]), layout: L(.register)),
            Case(name: "register-errors", model: PageFixtures.register(text: text), layout: L(.register)),
            Case(name: "participant-all-parts", model: PageFixtures.participant(text: text), layout: L(.participants)),
            Case(name: "participant-monitor", model: PageFixtures.participantMonitor(), layout: L(.participants)),
            Case(name: "audit", model: PageFixtures.audit(text: text), layout: L(.audit)),
            Case(name: "casebook", model: PageFixtures.casebook(text: text), layout: L(.participants)),
            Case(name: "casebook-empty", model: CasebookPage.Model(subjectId: "BCRITP-002", study: "NCT05315778", site: "Suzhou", status: "screening",
                                                                   printedAt: "2026-12-05 06:00 UTC+00:00", printedBy: "Statistician", eligibility: nil,
                                                                   forms: [], signatures: [], queries: [], audit: nil), layout: L(.participants)),
            Case(name: "account", model: PageFixtures.account(text: text), layout: L(nil)),
            Case(name: "account-empty", model: AccountPage.Model(displayName: "Mo Monitor", username: "mo", role: "Monitor", sites: "every site", tokens: []),
                 layout: L(nil)),
            Case(name: "queries", model: PageFixtures.queryInbox(text: text), layout: L(.queries)),
            Case(name: "queries-empty", model: QueryInboxPage.Model(rows: [], statuses: [], forms: [], subject: "", minAgeDays: "", summary: "0 queries, oldest first."), layout: L(.queries)),
            // No events selected, but earlier reviews signed off: no sign-off form, the review list stays.
            Case(name: "audit-empty", model: AuditPage.Model(events: [], chain: .verified(count: 0), page: 1, pageSize: 50, total: 0,
                                                             reviews: [.init(scope: "the whole trail", href: "/audit", records: "12 through #12",
                                                                             reviewer: "Ann Auditor", signedAt: "2026-11-30 17:00 UTC+08:00",
                                                                             meaning: "Audit trail reviewed", comment: nil, contentHash: "9e1f…")]),
                 layout: L(.audit)),
            Case(name: "access-review", model: PageFixtures.accessReview(text: text), layout: L(.access)),
            Case(name: "access-review-empty", model: AccessReviewPage.Model(generatedAt: "2026-12-05 09:00 UTC+08:00", summary: "0 accounts.", rows: []),
                 layout: L(.access)),
            // Rows but no lockout: the alert section is not there.
            Case(name: "access-review-no-alerts", model: AccessReviewPage.Model(generatedAt: "2026-12-05 09:00 UTC+08:00", summary: "2 accounts (2 active); 1 to look at.",
                                                                               rows: PageFixtures.accessReview(text: text).rows), layout: L(.access)),
            Case(name: "error", model: PageFixtures.error(text: text), layout: L(nil)),
            Case(name: "visit", model: PageFixtures.visit(text: text), layout: L(.participants)),
            Case(name: "visit-no-alerts", model: PageFixtures.visit(text: text, alerts: false), layout: L(.participants)),
            Case(name: "today", model: PageFixtures.today(text: text), layout: L(.today)),
            Case(name: "timeline", model: PageFixtures.timeline(text: text), layout: L(.participants)),
            Case(name: "adverse-events", model: PageFixtures.adverseEvents(text: text), layout: L(.participants)),
            Case(name: "adverse-events-read-only", model: { let m = PageFixtures.adverseEvents(text: text)
                return AdverseEventsPage.Model(subjectId: m.subjectId, participantPath: m.participantPath, csrf: m.csrf, events: Array(m.events.dropFirst()),
                                               episodes: m.episodes, canRecord: false, form: m.form, errors: [], terms: []) }(), layout: L(.participants)),
            Case(name: "adverse-events-editing", model: { let m = PageFixtures.adverseEvents(text: text)
                return AdverseEventsPage.Model(subjectId: m.subjectId, participantPath: m.participantPath, csrf: m.csrf, events: m.events,
                                               episodes: m.episodes, canRecord: true, form: m.form, errors: [text ?? "Changing AE-1 needs a reason for change."], terms: m.terms,
                                               editing: .init(number: 1, version: 2, reasons: [SelectOption(value: "", label: text ?? "— choose —"),
                                                                                              SelectOption(value: "new_information", label: text ?? "New information", selected: true)],
                                                              reasonText: text ?? "worsened overnight")) }(), layout: L(.participants)),
            Case(name: "adverse-events-none", model: { let m = PageFixtures.adverseEvents(text: text)
                return AdverseEventsPage.Model(subjectId: m.subjectId, participantPath: m.participantPath, csrf: m.csrf, events: [],
                                               episodes: m.episodes, canRecord: true, form: m.form, errors: [], terms: m.terms) }(), layout: L(.participants)),
            Case(name: "report", model: ReportPage.build(PageFixtures.outcomes(text: text)), layout: L(.report)),
            Case(name: "report-empty", model: ReportPage.build(emptyStudy), layout: L(.report)),
            // Built while changes were saved (the warning), and when none were (the data cut line).
            Case(name: "report-data-cut", model: { var r = StudyReport(everyone: emptyStudy)
                r.dataCut = .init(firstAuditRecord: 4_070, lastAuditRecord: 4_075, builtAt: Date(timeIntervalSince1970: 1_800_000_000))
                return ReportPage.build(r) }(), layout: L(.report)),
            Case(name: "report-data-cut-consistent", model: { var r = StudyReport(everyone: emptyStudy)
                r.dataCut = .init(firstAuditRecord: 4_075, lastAuditRecord: 4_075, builtAt: Date(timeIntervalSince1970: 1_800_000_060))
                return ReportPage.build(r) }(), layout: L(.report)),
            Case(name: "today-empty", model: TodayPage.Model(date: "2027-01-10", csrf: "csrf-token-123", rows: []), layout: L(.today)),
            Case(name: "participant-enrolled", model: { var m = PageFixtures.participant(text: text); m.courseHTML = PageFixtures.course(text: text).html; return m }(),
                 layout: L(.participants)),
        ]
    }

    /// A study with nobody registered yet.
    static let emptyStudy = StudyOutcomes(
        studyID: "NCT05315778", settingsDigest: "fedcba9876543210", method: "Response engine.", participants: [], registered: 0, screenFailed: 0,
        enrolled: 0, treated: 0, overallResponse: nil, completeResponseIWG: nil, completeResponseProtocolLiteral: nil,
        timeToResponse: .init(n: 0, median: nil, minimum: nil, maximum: nil), durationOfResponse: nil, adverseEventsByTerm: [],
        participantsWithSeriousEvents: 0, crs: .init(participants: 0, byMaxGrade: [0, 0, 0, 0, 0], onsetDays: [], durationDays: [], treatedAssessments: 0),
        icans: .init(participants: 0, byMaxGrade: [0, 0, 0, 0, 0], onsetDays: [], durationDays: [], treatedAssessments: 0),
        participantsWithBleeding: 0, participantsWithSevereBleeding: 0, participantsWithRescue: 0)

    static func all(_ renderer: PageRenderer, text: String? = nil) throws -> [(name: String, html: String)] {
        try cases(text: text).map { ($0.name, try renderer.render($0.model, layout: $0.layout)) }
    }
}
