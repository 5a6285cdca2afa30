import Foundation
import Testing
@testable import CartaWeb

/// Escaping, CSRF fields and no external resources (issue 2 §5 CSRF on every form, §7 no external CDN).
@Suite struct SecurityTests {
    static let payload = #"<script>alert(1)</script>" onmouseover=alert(2) x='"#
    static let escaped = "&lt;script&gt;alert(1)&lt;/script&gt;&quot; onmouseover=alert(2) x=&#39;"

    @Test func userDataIsEscapedInEveryPage() throws {
        let renderer = try PageRenderer()
        for page in try RenderedPages.all(renderer, text: Self.payload) {
            #expect(!page.html.contains("<script>alert"), "raw <script> in \(page.name)")
            #expect(!page.html.contains("\" onmouseover"), "attribute break-out in \(page.name)")
            #expect(!page.html.contains("x='"), "raw apostrophe in \(page.name)")
            #expect(!page.html.lowercased().contains("javascript:"), "javascript: URL in \(page.name)")
        }
    }

    /// Each kind of place user data lands: text, attribute value, option, radio, textarea, id, title.
    @Test(arguments: [
        "<title>\(escaped) · Carta</title>",                                       // document title
        "<dd>\(escaped)</dd>",                                                     // text content
        "name=\"item.\(escaped)\"",                                                // attribute built from an OID
        "value=\"\(escaped)\"",                                                    // input value
        "<option value=\"\(escaped)\">\(escaped)</option>",                        // select option
        "type=\"radio\" id=\"item-\(escaped)-\(escaped)\" name=\"item.\(escaped)\" value=\"\(escaped)\"", // yes/no radio
        ">\(escaped)</textarea>",                                                  // textarea content
        "id=\"criterion-\(escaped)\"",                                             // id attribute
        "<span class=\"old\">\(escaped)</span>",                                   // history old value
        "name=\"csrf\" value=\"\(escaped)\"",                                      // csrf token itself
    ])
    func participantPageEscapesEachFieldKind(fragment: String) throws {
        let html = try PageRenderer().render(PageFixtures.participant(text: Self.payload), layout: PageFixtures.layout(text: Self.payload))
        #expect(html.contains(fragment))
    }

    @Test func subjectIdsInLinksArePercentEncoded() throws {
        let html = try PageRenderer().render(PageFixtures.participants(text: Self.payload), layout: PageFixtures.layout())
        #expect(html.contains("href=\"/participants/%3Cscript%3Ealert%281%29%3C%2Fscript%3E%22%20onmouseover%3Dalert%282%29%20x%3D%27\""))
    }

    @Test func everyPostFormCarriesTheCSRFToken() throws {
        let renderer = try PageRenderer()
        var postForms = 0
        for page in try RenderedPages.all(renderer) {
            for form in HTMLInspection.forms(in: page.html) {
                let opening = String(form.prefix { $0 != ">" })
                // The audit and query filters and the participant search are searches (GET, change nothing); only they
                // may skip the token.
                if opening.contains("method=\"get\"") {
                    #expect((opening.contains("id=\"audit-filters\"") && opening.contains("action=\"/audit\""))
                            || (opening.contains("id=\"query-filters\"") && opening.contains("action=\"/queries\""))
                            || (opening.contains("id=\"participant-search\"") && opening.contains("action=\"/participants\"")),
                            "unexpected GET form: \(opening)")
                    continue
                }
                #expect(opening.contains("method=\"post\""), "form without method=post in \(page.name): \(opening)")
                #expect(form.contains("<input type=\"hidden\" name=\"csrf\" value=\"csrf-token-123\">"),
                        "form without CSRF field in \(page.name): \(opening)")
                postForms += 1
            }
        }
        // signout on 19 signed-in pages, the account page's forms (password, sign out everywhere, and for the second factor
        // remove + confirm on the full fixture, start on the empty one) + signin×2 + register×2 + participant-all-parts (screening, sign, enrol, screen-fail,
        // and in its monitoring section an answer and the casebook signature); the monitor's read-only screening data is not a
        // form at all, but its monitoring section has two query actions, a raise and a verify form; the audit page's review sign-off and redaction;
        // issue 8: the visit page's form, and participant-enrolled (the all-parts fixture with its course section) again
        // and the today screen's acknowledge forms on its two alerts (+ signout on today, today-empty and timeline)
        // the adverse-event pages: signout ×3, the report form of the open SAE, the add form ×2 (the read-only one has none)
        // issue 9: signout on report and report-empty (and on the two data-cut reports); the visit fixture's dose-calculation panel (calculate, verify)
        // issue 7 alerting: signout on the access review without alerts; the AE page changing AE-1: signout, its form, the report form
        // issue 8 scope 11: the visit page without alerts: signout, the visit form, calculate, verify
        #expect(postForms == 27 + 3 + (2 + 2) + (2 + 1) + 2 + 2 + 4 + 2 + 4 + 2 + 1 + 6 + 2 + 2 + 2 + 1 + 3 + 4 + 2)
    }

    @Test func participantFormsCarryTheVersion() throws {
        let html = try PageRenderer().render(PageFixtures.participant(), layout: PageFixtures.layout())
        let forms = HTMLInspection.forms(in: html).filter { !$0.contains("id=\"signout\"") }
        // screening, sign, enrol, screen failure; answer a query, sign the casebook
        #expect(forms.count == 6)
        for form in forms {
            #expect(form.contains("<input type=\"hidden\" name=\"version\" value=\"7\">"))
        }
    }

    @Test func noPageOrAssetReferencesAnExternalResource() throws {
        let renderer = try PageRenderer()
        for page in try RenderedPages.all(renderer) {
            #expect(!page.html.contains("http://") && !page.html.contains("https://"), "absolute URL in \(page.name)")
            for url in HTMLInspection.urls(in: page.html) {
                let local = (url.hasPrefix("/") && !url.hasPrefix("//")) || url.hasPrefix("#")
                #expect(local, "non-local URL \(url) in \(page.name)")
            }
        }
        for name in ["carta.css", "carta.js"] {
            let asset = try #require(PageRenderer.asset(named: name))
            let text = try #require(String(data: asset.data, encoding: .utf8))
            #expect(!text.contains("http://") && !text.contains("https://") && !text.contains("@import") && !text.contains("url("))
        }
    }

    /// Templates never insert raw text, with one audited exception: the participant page's form
    /// sections are written by `Screening.sectionsHTML`, Swift code that passes every value through
    /// `HTMLText.escape` (the same five characters as `{{name}}`). `participantPageEscapesEachFieldKind`
    /// and `userDataIsEscapedInEveryPage` put the payload in every field of those sections.
    @Test func templatesNeverUseUnescapedOutput() throws {
        let dir = try #require(PageRenderer.templatesDirectory)
        var raw: [String] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() where file.hasSuffix(".mustache") {
            let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
            var rest = Substring(text)
            while let open = rest.range(of: "{{{") {
                let close = rest[open.upperBound...].range(of: "}}}")
                raw.append(file + ":" + String(rest[open.upperBound..<(close?.lowerBound ?? rest.endIndex)]))
                rest = rest[(close?.upperBound ?? rest.endIndex)...]
            }
            #expect(!text.contains("{{&"), "unescaped variable in \(file)")
            #expect(!text.contains("{{%"), "content-type pragma in \(file)")
            #expect(!text.contains("style="), "inline style in \(file) (breaks a strict CSP)")
            #expect(!text.contains("<script>"), "inline script in \(file) (breaks a strict CSP)")
        }
        // All are written in Swift with every value through HTMLText.escape (ParticipantPage+SectionsHTML,
        // MonitoringSection.html, CourseSection.html); the escaping test below feeds markup through every field of them.
        // The today screen's platelet chart holds numbers only (TodayPage.sparkline formats Doubles); the timeline is
        // written by TimelinePage.build with every label through HTMLText.escape.
        // The report's tables and plots are written by ReportPage/ReportPlots with every text through HTMLText.escape;
        // the visit page's dose-calculation panel by VisitPage.panelHTML, likewise.
        #expect(raw == ["participant.mustache:courseHTML", "participant.mustache:sectionsHTML", "participant.mustache:monitoringHTML",
                        "report.mustache:tablesHTML", "report.mustache:plotsHTML",
                        "timeline.mustache:chartHTML", "today.mustache:plateletChart", "visit.mustache:calculationHTML", "visit.mustache:sectionsHTML"], "raw insertions: \(raw)")
    }

    /// The written sections escape exactly like the template engine.
    @Test func writtenHTMLEscapesLikeTheTemplates() {
        var out = ""
        HTMLText.escape(Self.payload + " é ✓ &amp;", into: &out)
        #expect(out == Self.escaped + " é ✓ &amp;amp;")
    }
}

