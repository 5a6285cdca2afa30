import Mustache

/// Gives the templates their values without reflection (swift-mustache MustacheParent).
extension LayoutModel: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "studyId": self.studyId
        case "studyTitle": self.studyTitle
        case "user": self.user
        case "csrf": self.csrf
        case "flashes": self.flashes
        case "nav": self.nav
        case "signOutAction": self.signOutAction
        case "synthetic": self.synthetic
        default: nil
        }
    }
}
