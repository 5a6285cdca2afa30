import Mustache

/// Gives the templates their values without reflection (swift-mustache MustacheParent).
extension SelectOption: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "value": self.value
        case "label": self.label
        case "selected": self.selected
        default: nil
        }
    }
}
