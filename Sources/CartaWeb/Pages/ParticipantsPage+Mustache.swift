import Mustache

/// Gives the templates their values without reflection (swift-mustache MustacheParent).
extension ParticipantsPage.Model: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "title": self.title
        case "filters": self.filters
        case "filterDescription": self.filterDescription
        case "subject": self.subject
        case "statusCode": self.statusCode
        case "rows": self.rows
        case "hasRows": self.hasRows
        case "registerHref": self.registerHref
        case "rangeText": self.rangeText
        case "previousHref": self.previousHref
        case "nextHref": self.nextHref
        default: nil
        }
    }
}

/// Gives the templates their values without reflection (swift-mustache MustacheParent).
extension ParticipantsPage.Row: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "subjectId": self.subjectId
        case "href": self.href
        case "badge": self.badge
        case "site": self.site
        case "registeredOn": self.registeredOn
        case "nextAction": self.nextAction
        default: nil
        }
    }
}

/// Gives the templates their values without reflection (swift-mustache MustacheParent).
extension ParticipantsPage.FilterLink: MustacheParent {
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
