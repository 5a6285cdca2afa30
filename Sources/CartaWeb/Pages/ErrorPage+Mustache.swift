import Mustache

/// Gives the templates their values without reflection (swift-mustache MustacheParent).
extension ErrorPage.Model: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "title": self.title
        case "status": self.status
        case "heading": self.heading
        case "message": self.message
        case "nextStep": self.nextStep
        case "homeHref": self.homeHref
        default: nil
        }
    }
}
