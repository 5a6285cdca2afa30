import Mustache

/// Gives the templates their values without reflection (swift-mustache MustacheParent).
extension StatusBadge: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "code": self.code
        case "label": self.label
        case "icon": self.icon
        default: nil
        }
    }
}
