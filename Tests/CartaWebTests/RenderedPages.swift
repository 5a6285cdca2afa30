@testable import CartaWeb

/// Every page rendered from a fixture, by snapshot name. `text` puts one string into every user-data field.
enum RenderedPages {
    static func all(_ renderer: PageRenderer, text: String? = nil) throws -> [(name: String, html: String)] {
        let L = { (current: NavLink.Section?) in PageFixtures.layout(current: current, text: text) }
        return [
            ("signin", try renderer.render(PageFixtures.signIn(text: text), layout: PageFixtures.layout(user: false, text: text))),
            ("signin-empty", try renderer.render(SignInPage.Model(), layout: PageFixtures.layout(user: false))),
            ("dashboard", try renderer.render(PageFixtures.dashboard(text: text), layout: PageFixtures.layout(
                current: .dashboard, text: text,
                flashes: [Flash(.success, text ?? "Participant BCRITP-003 registered."),
                          Flash(.warning, text ?? "Enrolment is 1 short of the target."),
                          Flash(.error, text ?? "That action is not allowed for your role.")]))),
            ("dashboard-empty", try renderer.render(DashboardPage.Model(screening: 0, enrolled: 5, screenFailed: 0, target: 5, waiting: []), layout: L(.dashboard))),
            ("participants", try renderer.render(PageFixtures.participants(text: text), layout: L(.participants))),
            ("participants-empty", try renderer.render(ParticipantsPage.Model(rows: [], status: .enrolled), layout: L(.participants))),
            ("register", try renderer.render(RegisterPage.Model(sites: [SelectOption(value: "TJ01", label: "Tianjin Haihe Hospital")]), layout: L(.register))),
            ("register-errors", try renderer.render(PageFixtures.register(text: text), layout: L(.register))),
            ("participant-all-parts", try renderer.render(PageFixtures.participant(text: text), layout: L(.participants))),
            ("participant-monitor", try renderer.render(PageFixtures.participantMonitor(), layout: L(.participants))),
            ("audit", try renderer.render(PageFixtures.audit(text: text), layout: L(.audit))),
            ("audit-empty", try renderer.render(AuditPage.Model(events: [], chain: .verified(count: 0), page: 1, pageSize: 50, total: 0), layout: L(.audit))),
            ("error", try renderer.render(PageFixtures.error(text: text), layout: L(nil))),
        ]
    }
}
