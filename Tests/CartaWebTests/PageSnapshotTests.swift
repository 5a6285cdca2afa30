import Testing
@testable import CartaWeb

/// Snapshot every page from a fixed model (DESIGN.md §4: pages are snapshot-tested).
@Suite struct PageSnapshotTests {
    @Test func everyPageMatchesItsSnapshot() throws {
        let renderer = try PageRenderer()
        for page in try RenderedPages.all(renderer) {
            try Snapshot.assert(page.html, named: page.name)
        }
    }

    @Test func everyPageTemplateIsRenderedBySomeSnapshot() throws {
        let renderer = try PageRenderer()
        let pageTemplates: [any PageModel.Type] = [
            SignInPage.Model.self, DashboardPage.Model.self, ParticipantsPage.Model.self, RegisterPage.Model.self,
            ParticipantPage.Model.self, AuditPage.Model.self, ErrorPage.Model.self, QueryInboxPage.Model.self, CasebookPage.Model.self, AccountPage.Model.self,
            AccessReviewPage.Model.self, VisitPage.Model.self, TodayPage.Model.self, TimelinePage.Model.self, AdverseEventsPage.Model.self,
            ReportPage.Model.self,
        ]
        #expect(Set(pageTemplates.map { $0.template }).union(["layout"]) == renderer.templateNames)
    }

    @Test func unknownTemplateIsRefused() throws {
        let renderer = try PageRenderer()
        #expect(throws: PageRenderError.unknownTemplate("nope")) {
            try renderer.render("nope", title: "x", model: ErrorPage.Model(status: 1, heading: "", message: "", nextStep: ""), layout: PageFixtures.layout())
        }
        #expect(throws: PageRenderError.unknownTemplate("layout")) {
            try renderer.render("layout", title: "x", model: 1, layout: PageFixtures.layout())
        }
    }
}
