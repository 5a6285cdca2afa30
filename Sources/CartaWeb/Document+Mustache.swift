import Mustache

/// Gives the templates their values without reflection (swift-mustache MustacheParent).
extension Document: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "layout": self.layout
        case "page": self.page
        case "bodyTemplate": self.bodyTemplate
        case "pageTitle": self.pageTitle
        case "csrf": self.csrf
        default: nil
        }
    }
}
