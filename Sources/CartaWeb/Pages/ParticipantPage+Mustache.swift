import Mustache

/// Gives the templates their values without reflection (swift-mustache MustacheParent).
extension ParticipantPage.Model: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "title": self.title
        case "subjectId": self.subjectId
        case "badge": self.badge
        case "site": self.site
        case "registeredOn": self.registeredOn
        case "identity": self.identity
        case "criteria": self.criteria
        case "verdict": self.verdict
        case "signature": self.signature
        case "screening": self.screening
        case "signForm": self.signForm
        case "enrolForm": self.enrolForm
        case "enrolBlockedReason": self.enrolBlockedReason
        case "screenFailForm": self.screenFailForm
        case "screenFailReasons": self.screenFailReasons
        case "monitoringHTML": self.monitoringHTML
        case "courseHTML": self.courseHTML
        default: nil
        }
    }
}

/// Gives the templates their values without reflection (swift-mustache MustacheParent).
extension ParticipantPage.Identity: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "fullName": self.fullName
        case "dateOfBirth": self.dateOfBirth
        case "hospitalNumber": self.hospitalNumber
        default: nil
        }
    }
}

/// Gives the templates their values without reflection (swift-mustache MustacheParent).
extension ParticipantPage.Criterion: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "id": self.id
        case "kind": self.kind
        case "text": self.text
        case "result": self.result
        case "word": self.word
        case "icon": self.icon
        case "reason": self.reason
        case "fields": self.fields
        case "hasFields": self.hasFields
        default: nil
        }
    }
}

extension ParticipantPage.FieldLink: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "label": self.label
        case "href": self.href
        default: nil
        }
    }
}

/// Gives the templates their values without reflection (swift-mustache MustacheParent).
extension ParticipantPage.Verdict: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "code": self.code
        case "label": self.label
        case "icon": self.icon
        case "explanation": self.explanation
        default: nil
        }
    }
}

/// Gives the templates their values without reflection (swift-mustache MustacheParent).
extension ParticipantPage.Signature: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "contentHash": self.contentHash
        case "invalidated": self.invalidated
        case "signedBy": self.signedBy
        case "signedAt": self.signedAt
        case "decision": self.decision
        case "meaning": self.meaning
        default: nil
        }
    }
}

/// Gives the templates their values without reflection (swift-mustache MustacheParent).
extension ParticipantPage.SignForm: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "needsAcknowledgement": self.needsAcknowledgement
        case "needsCode": self.needsCode
        case "action": self.action
        case "version": self.version
        case "decisions": self.decisions
        case "meaning": self.meaning
        case "signerName": self.signerName
        case "signError": self.signError
        default: nil
        }
    }
}

/// Gives the templates their values without reflection (swift-mustache MustacheParent).
extension ParticipantPage.ActionForm: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "action": self.action
        case "version": self.version
        default: nil
        }
    }
}

/// Gives the templates their values without reflection (swift-mustache MustacheParent).
extension ParticipantPage.ScreenFailForm: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "action": self.action
        case "version": self.version
        case "reasons": self.reasons
        case "reasonsError": self.reasonsError
        default: nil
        }
    }
}

/// Gives the templates their values without reflection (swift-mustache MustacheParent).
extension ParticipantPage.Screening: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "action": self.action
        case "version": self.version
        case "sections": self.sections
        case "screeningError": self.screeningError
        case "readOnly": self.readOnly
        case "sectionsHTML": self.sectionsHTML
        case "lockedNote": self.lockedNote
        case "errorSummary": self.errorSummary
        case "hasErrors": self.hasErrors
        default: nil
        }
    }
}

/// Gives the templates their values without reflection (swift-mustache MustacheParent).
extension ParticipantPage.FormSection: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "oid": self.oid
        case "name": self.name
        case "items": self.items
        case "lockedNote": self.lockedNote
        case "laboratories": self.laboratories
        default: nil
        }
    }
}

/// Gives the templates their values without reflection (swift-mustache MustacheParent).
extension ParticipantPage.FormItem: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "oid": self.oid
        case "label": self.label
        case "kind": self.kind
        case "isNumber": self.isNumber
        case "isText": self.isText
        case "isDate": self.isDate
        case "isSelect": self.isSelect
        case "isYesNo": self.isYesNo
        case "value": self.value
        case "choices": self.choices
        case "units": self.units
        case "hasUnitChoice": self.hasUnitChoice
        case "fixedUnit": self.fixedUnit
        case "referenceRange": self.referenceRange
        case "itemError": self.itemError
        case "itemWarning": self.itemWarning
        case "helpText": self.helpText
        case "loinc": self.loinc
        case "describedBy": self.describedBy
        case "invalid": self.invalid
        case "history": self.history
        case "hasHistory": self.hasHistory
        case "historyCount": self.historyCount
        case "changeReason": self.changeReason
        case "conflict": self.conflict
        case "grade": self.grade
        case "confirmPrompt": self.confirmPrompt
        default: nil
        }
    }
}

extension ParticipantPage.ChangeReasonField: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "codes": self.codes
        case "text": self.text
        case "open": self.open
        case "error": self.error
        default: nil
        }
    }
}

/// Gives the templates their values without reflection (swift-mustache MustacheParent).
extension ParticipantPage.ReferenceRange: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "lln": self.lln
        case "uln": self.uln
        case "laboratory": self.laboratory
        case "llnPlaceholder": self.llnPlaceholder
        case "ulnPlaceholder": self.ulnPlaceholder
        default: nil
        }
    }
}

/// Gives the templates their values without reflection (swift-mustache MustacheParent).
extension ParticipantPage.HistoryEntry: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "when": self.when
        case "who": self.who
        case "oldValue": self.oldValue
        case "newValue": self.newValue
        case "reason": self.reason
        case "source": self.source
        default: nil
        }
    }
}
