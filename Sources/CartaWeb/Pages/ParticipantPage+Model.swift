/// The participant page: identity (when allowed), eligibility checklist, screening forms, signature,
/// enrolment and screen failure, and each field's history.
///
/// Source: issue 2 §4 (field history on the participant page) and §6 (screening and eligibility).
public enum ParticipantPage {
    /// What the participant page shows. Each optional part is shown only when present.
    public struct Model: PageModel, Equatable {
        /// Template `participant.mustache`.
        public static let template = "participant"
        /// Document title, e.g. "BCRITP-001".
        public let title: String
        /// Pseudonymous subject ID.
        public let subjectId: String
        /// Status badge.
        public let badge: StatusBadge
        /// Site name.
        public let site: String
        /// Registration date, "YYYY-MM-DD".
        public let registeredOn: String
        /// Identifying details; `nil` when the viewer's role may not see them.
        public let identity: Identity?
        /// The eligibility checklist, one row per criterion.
        public let criteria: [Criterion]
        /// The overall verdict of the checklist.
        public let verdict: Verdict
        /// The investigator's signature of the eligibility decision, once signed.
        public let signature: Signature?
        /// The screening data form; `nil` when there is nothing to enter (e.g. after enrolment).
        public let screening: Screening?
        /// The signing form; present only for an investigator while the participant is screening.
        public let signForm: SignForm?
        /// The enrolment form; present only when enrolment is allowed now.
        public let enrolForm: ActionForm?
        /// Why enrolment is not offered (e.g. "E7 not met"), shown instead of the button.
        public let enrolBlockedReason: String?
        /// The screen-failure form; present only when the viewer may record one.
        public let screenFailForm: ScreenFailForm?
        /// Reasons recorded for a screen failure, shown once recorded.
        public let screenFailReasons: String?
        /// The monitoring section (queries, source verification, casebook signature) as escaped HTML (`MonitoringSection.html`).
        public var monitoringHTML: String? = nil
        /// The course after enrolment (calendar, product chain, deviations) as escaped HTML (`CourseSection.html`).
        public var courseHTML: String? = nil

        /// Creates the participant page model.
        public init(
            subjectId: String, status: StatusBadge.Status, site: String, registeredOn: String,
            identity: Identity?, criteria: [Criterion], verdict: Verdict, signature: Signature? = nil,
            screening: Screening?, signForm: SignForm? = nil, enrolForm: ActionForm? = nil,
            enrolBlockedReason: String? = nil, screenFailForm: ScreenFailForm? = nil, screenFailReasons: String? = nil
        ) {
            title = subjectId
            self.subjectId = subjectId
            badge = StatusBadge(status)
            self.site = site
            self.registeredOn = registeredOn
            self.identity = identity
            self.criteria = criteria
            self.verdict = verdict
            self.signature = signature
            self.screening = screening
            self.signForm = signForm
            self.enrolForm = enrolForm
            self.enrolBlockedReason = enrolBlockedReason
            self.screenFailForm = screenFailForm
            self.screenFailReasons = screenFailReasons
        }
    }

    /// Identifying details, kept apart from the pseudonymous record.
    public struct Identity: Sendable, Equatable {
        /// Full name.
        public let fullName: String
        /// Date of birth, "YYYY-MM-DD".
        public let dateOfBirth: String
        /// Hospital number.
        public let hospitalNumber: String

        /// Creates the identity block.
        public init(fullName: String, dateOfBirth: String, hospitalNumber: String) {
            self.fullName = fullName
            self.dateOfBirth = dateOfBirth
            self.hospitalNumber = hospitalNumber
        }
    }
}
