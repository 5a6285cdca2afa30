import Mustache

/// Gives the templates their values without reflection (swift-mustache MustacheParent).
extension AuditPage.Model: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "title": self.title
        case "events": self.events
        case "hasEvents": self.hasEvents
        case "chain": self.chain
        case "rangeText": self.rangeText
        case "previousHref": self.previousHref
        case "nextHref": self.nextHref
        case "filters": self.filters
        case "signOff": self.signOff
        case "reviews": self.reviews
        case "hasReviews": self.hasReviews
        case "redactForm": self.redactForm
        case "archiveHref": self.archiveHref
        default: nil
        }
    }
}

/// Gives the templates their values without reflection (swift-mustache MustacheParent).
extension AuditPage.Event: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "seq": self.seq
        case "seqThrough": self.seqThrough
        case "time": self.time
        case "user": self.user
        case "source": self.source
        case "entity": self.entity
        case "field": self.field
        case "fieldPath": self.fieldPath
        case "oldValue": self.oldValue
        case "newValue": self.newValue
        case "reason": self.reason
        case "redaction": self.redaction
        default: nil
        }
    }
}

/// Gives the templates their values without reflection (swift-mustache MustacheParent).
extension AuditPage.ChainStatus: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "code": self.code
        case "intact": self.intact
        case "message": self.message
        default: nil
        }
    }
}

/// Gives the templates their values without reflection (swift-mustache MustacheParent).
extension AuditPage.Filters: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "subject": self.subject
        case "forms": self.forms
        case "item": self.item
        case "user": self.user
        case "from": self.from
        case "to": self.to
        case "afterSignatureOrLock": self.afterSignatureOrLock
        case "error": self.error
        case "query": self.query
        case "exportHref": self.exportHref
        default: nil
        }
    }
}

/// Gives the templates their values without reflection (swift-mustache MustacheParent).
extension AuditPage.SignOffForm: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "scope": self.scope
        case "recordCount": self.recordCount
        case "meaning": self.meaning
        case "signerName": self.signerName
        case "needsCode": self.needsCode
        default: nil
        }
    }
}

/// Gives the templates their values without reflection (swift-mustache MustacheParent).
extension AuditPage.Review: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "scope": self.scope
        case "href": self.href
        case "records": self.records
        case "reviewer": self.reviewer
        case "signedAt": self.signedAt
        case "meaning": self.meaning
        case "comment": self.comment
        case "contentHash": self.contentHash
        default: nil
        }
    }
}

/// Gives the templates their values without reflection (swift-mustache MustacheParent).
extension AuditPage.RedactForm: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "needsCode": self.needsCode
        default: nil
        }
    }
}
