import Mustache

/// Gives the templates their values without reflection (swift-mustache MustacheParent).
extension RegisterPage.Model: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "title": self.title
        case "action": self.action
        case "fullName": self.fullName
        case "dateOfBirth": self.dateOfBirth
        case "hospitalNumber": self.hospitalNumber
        case "sites": self.sites
        case "siteError": self.siteError
        case "errorSummary": self.errorSummary
        case "hasErrors": self.hasErrors
        default: nil
        }
    }
}

/// Gives the templates their values without reflection (swift-mustache MustacheParent).
extension RegisterPage.Field: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "value": self.value
        case "fieldError": self.fieldError
        case "invalid": self.invalid
        default: nil
        }
    }
}

/// Gives the templates their values without reflection (swift-mustache MustacheParent).
extension RegisterPage.ErrorLink: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "fieldId": self.fieldId
        case "message": self.message
        default: nil
        }
    }
}
