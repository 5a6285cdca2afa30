import Mustache

/// Gives the templates their values without reflection (swift-mustache MustacheParent).
extension SignedInUser: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "username": self.username
        case "role": self.role
        default: nil
        }
    }
}
