import Mustache

/// Gives the templates their values without reflection (swift-mustache MustacheParent).
extension DashboardPage.Model: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "title": self.title
        case "counts": self.counts
        case "enrolled": self.enrolled
        case "target": self.target
        case "progressText": self.progressText
        case "targetReached": self.targetReached
        case "waiting": self.waiting
        case "hasWaiting": self.hasWaiting
        case "conduct": self.conduct
        case "hasConduct": self.hasConduct
        default: nil
        }
    }
}

/// Gives the templates their values without reflection (swift-mustache MustacheParent).
extension DashboardPage.StatusCount: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "badge": self.badge
        case "count": self.count
        case "href": self.href
        default: nil
        }
    }
}

/// Gives the templates their values without reflection (swift-mustache MustacheParent).
extension DashboardPage.WaitingItem: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "subjectId": self.subjectId
        case "href": self.href
        case "reason": self.reason
        default: nil
        }
    }
}

/// Gives the templates their values without reflection (swift-mustache MustacheParent).
extension DashboardPage.ConductItem: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "id": self.id
        case "count": self.count
        case "text": self.text
        case "href": self.href
        case "urgent": self.urgent
        default: nil
        }
    }
}
