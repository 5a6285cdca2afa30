import Mustache

/// Gives the templates their values without reflection (swift-mustache MustacheParent).
extension Flash: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "kind": self.kind
        case "message": self.message
        case "word": self.word
        case "icon": self.icon
        case "ariaRole": self.ariaRole
        default: nil
        }
    }
}
