import Foundation
import Testing
@testable import CartaWeb

/// `PageRenderer.asset(named:)` serves the local CSS/JS and nothing else (issue 2 §7: served locally).
@Suite struct StaticAssetTests {
    @Test(arguments: [("carta.css", "text/css; charset=utf-8"), ("carta.js", "text/javascript; charset=utf-8")])
    func servesBundledAssetsWithTheirContentType(name: String, contentType: String) throws {
        let asset = try #require(PageRenderer.asset(named: name))
        #expect(asset.contentType == contentType)
        #expect(asset.data.count > 200)
    }

    @Test(arguments: ["../templates/layout.mustache", "..%2Ftemplates", "/etc/passwd", ".hidden.css", "missing.css",
                      "layout.mustache", "Carta.CSS", "", "carta.css/", "a/b.css"])
    func refusesAnythingElse(name: String) {
        #expect(PageRenderer.asset(named: name) == nil)
    }

    @Test func layoutLinksTheServedAssets() throws {
        let html = try PageRenderer().render(SignInPage.Model(), layout: PageFixtures.layout(user: false))
        #expect(html.contains(#"<link rel="stylesheet" href="/static/carta.css">"#))
        #expect(html.contains(#"<script src="/static/carta.js" defer></script>"#))
        #expect(PageRenderer.asset(named: "carta.css") != nil && PageRenderer.asset(named: "carta.js") != nil)
    }
}
