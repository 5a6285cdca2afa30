import Mustache

/// A participant's adverse-event log: the recorded events with their SAE clocks, the CRS and ICANS
/// episodes read from the daily assessments, and the form to record an event (CTCAE v5.0 terms offered
/// as you type).
///
/// Stable ids: #ae-log, #ae-<n> (data-serious, data-clock), #ae-<n>-report (form), #episodes,
/// #episode-<syndrome>-<n>, #ae-form with #ae-term (list #ctcae-terms), #ae-grade, #ae-onset, #ae-resolution,
/// #ae-serious-<criterion>, #ae-aware-at, #ae-causality-ld, #ae-causality-cart, #ae-causality-itp, #ae-action,
/// #ae-outcome, #ae-specify, #save-ae, #ae-errors; #ae-<n>-edit (link), and when changing an event #ae-version,
/// #ae-reason, #ae-reason-text.
/// Source: issue 8 scope 7.
public enum AdverseEventsPage {
    public struct Model: PageModel, Equatable {
        public static let template = "adverse-events"
        public let title: String
        public let subjectId: String
        public let participantPath: String
        public let action: String
        public let csrf: String
        public let events: [Event]
        public let hasEvents: Bool
        public let episodes: [Episode]
        public let hasEpisodes: Bool
        public let canRecord: Bool
        public let form: Form
        public let errors: [String]
        public let hasErrors: Bool
        public let terms: [String]
        /// The event being changed (the form then saves a new version of it, with a reason for change).
        public let editing: Editing?

        public init(subjectId: String, participantPath: String, csrf: String, events: [Event], episodes: [Episode], canRecord: Bool,
                    form: Form, errors: [String], terms: [String], editing: Editing? = nil) {
            self.title = "\(subjectId) · Adverse events"; self.subjectId = subjectId; self.participantPath = participantPath
            self.editing = editing
            self.action = participantPath + "/adverse-events" + (editing.map { "/\($0.number)" } ?? ""); self.csrf = csrf; self.events = events; self.hasEvents = !events.isEmpty
            self.episodes = episodes; self.hasEpisodes = !episodes.isEmpty; self.canRecord = canRecord; self.form = form
            self.errors = errors; self.hasErrors = !errors.isEmpty; self.terms = terms
        }
    }

    public struct Event: Sendable, Equatable {
        public let number: Int, term: String, grade: Int, onset: String, resolution: String, seriousness: String, serious: Bool
        public let causality: String, outcome: String
        /// "open: 20 h left", "overdue by 3 h", "reported in time", "reported late", or "" for a non-serious event.
        public let clock: String
        public let clockState: String
        public let canReport: Bool
        public let reportAction: String
        /// The page that changes this event (nil for a read-only viewer).
        public let editHref: String?
        public init(number: Int, term: String, grade: Int, onset: String, resolution: String, seriousness: String, serious: Bool, causality: String,
                    outcome: String, clock: String, clockState: String, canReport: Bool, reportAction: String, editHref: String? = nil) {
            self.editHref = editHref
            self.number = number; self.term = term; self.grade = grade; self.onset = onset; self.resolution = resolution
            self.seriousness = seriousness; self.serious = serious; self.causality = causality; self.outcome = outcome
            self.clock = clock; self.clockState = clockState; self.canReport = canReport; self.reportAction = reportAction
        }
    }

    /// Changing a recorded event: its number and version, and the reason for change (R-RC-1).
    public struct Editing: Sendable, Equatable {
        public let number: Int, version: Int
        public let reasons: [SelectOption]
        public let reasonText: String
        public init(number: Int, version: Int, reasons: [SelectOption], reasonText: String) {
            self.number = number; self.version = version; self.reasons = reasons; self.reasonText = reasonText
        }
    }

    public struct Episode: Sendable, Equatable {
        public let n: Int, syndrome: String, term: String, maxGrade: Int, onset: String, resolution: String, visits: String
        public init(n: Int, syndrome: String, term: String, maxGrade: Int, onset: String, resolution: String, visits: String) {
            self.n = n; self.syndrome = syndrome; self.term = term; self.maxGrade = maxGrade; self.onset = onset
            self.resolution = resolution; self.visits = visits
        }
    }

    /// The add form's current values and choices.
    public struct Form: Sendable, Equatable {
        public let term: String, specify: String, onset: String, resolution: String, awareAt: String
        public let grades: [SelectOption]
        public let criteria: [Criterion]
        public let causalityLD: [SelectOption], causalityCART: [SelectOption], causalityITP: [SelectOption]
        public let actions: [SelectOption], outcomes: [SelectOption]
        public init(term: String, specify: String, onset: String, resolution: String, awareAt: String, grades: [SelectOption], criteria: [Criterion],
                    causalityLD: [SelectOption], causalityCART: [SelectOption], causalityITP: [SelectOption], actions: [SelectOption], outcomes: [SelectOption]) {
            self.term = term; self.specify = specify; self.onset = onset; self.resolution = resolution; self.awareAt = awareAt; self.grades = grades
            self.criteria = criteria; self.causalityLD = causalityLD; self.causalityCART = causalityCART; self.causalityITP = causalityITP
            self.actions = actions; self.outcomes = outcomes
        }
    }

    public struct Criterion: Sendable, Equatable {
        public let value: String, label: String, checked: Bool
        public init(value: String, label: String, checked: Bool) { self.value = value; self.label = label; self.checked = checked }
    }
}

extension AdverseEventsPage.Model: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "title": self.title
        case "subjectId": self.subjectId
        case "participantPath": self.participantPath
        case "action": self.action
        case "csrf": self.csrf
        case "events": self.events
        case "hasEvents": self.hasEvents
        case "episodes": self.episodes
        case "hasEpisodes": self.hasEpisodes
        case "canRecord": self.canRecord
        case "form": self.form
        case "errors": self.errors
        case "hasErrors": self.hasErrors
        case "terms": self.terms
        case "editing": self.editing
        default: nil
        }
    }
}

extension AdverseEventsPage.Event: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "number": self.number
        case "term": self.term
        case "grade": self.grade
        case "onset": self.onset
        case "resolution": self.resolution
        case "seriousness": self.seriousness
        case "serious": self.serious
        case "causality": self.causality
        case "outcome": self.outcome
        case "clock": self.clock
        case "clockState": self.clockState
        case "canReport": self.canReport
        case "reportAction": self.reportAction
        case "editHref": self.editHref
        default: nil
        }
    }
}

extension AdverseEventsPage.Episode: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "n": self.n
        case "syndrome": self.syndrome
        case "term": self.term
        case "maxGrade": self.maxGrade
        case "onset": self.onset
        case "resolution": self.resolution
        case "visits": self.visits
        default: nil
        }
    }
}

extension AdverseEventsPage.Form: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "term": self.term
        case "specify": self.specify
        case "onset": self.onset
        case "resolution": self.resolution
        case "awareAt": self.awareAt
        case "grades": self.grades
        case "criteria": self.criteria
        case "causalityLD": self.causalityLD
        case "causalityCART": self.causalityCART
        case "causalityITP": self.causalityITP
        case "actions": self.actions
        case "outcomes": self.outcomes
        default: nil
        }
    }
}

extension AdverseEventsPage.Criterion: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "value": self.value
        case "label": self.label
        case "checked": self.checked
        default: nil
        }
    }
}

extension AdverseEventsPage.Editing: MustacheParent {
    public func child(named name: String) -> Any? {
        switch name {
        case "number": self.number
        case "version": self.version
        case "reasons": self.reasons
        case "reasonText": self.reasonText
        default: nil
        }
    }
}
