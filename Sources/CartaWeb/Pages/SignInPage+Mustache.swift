import Mustache

/// Gives the templates their values without reflection (swift-mustache MustacheParent).
extension SignInPage.Model: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "title": self.title
        case "action": self.action
        case "username": self.username
        case "signinError": self.signinError
        case "next": self.next
        default: nil
        }
    }
}
