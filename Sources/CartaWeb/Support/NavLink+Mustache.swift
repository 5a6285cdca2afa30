import Mustache

/// Gives the templates their values without reflection (swift-mustache MustacheParent).
extension NavLink: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "key": self.key
        case "label": self.label
        case "href": self.href
        case "current": self.current
        default: nil
        }
    }
}
