extension ParticipantPage {
    /// The investigator's form to sign the eligibility decision (password re-entry).
    ///
    /// Source: issue 2 §6; 21 CFR 11.200 (signature by re-entering a password).
    public struct SignForm: Sendable, Equatable {
        /// Where the form posts.
        public let action: String
        /// The participant record version the decision is based on.
        public let version: String
        /// Decision choices (field `decision`).
        public let decisions: [SelectOption]
        /// The meaning statement the signer agrees to.
        public let meaning: String
        /// The signer's name as it will be recorded.
        public let signerName: String
        /// Error from the last attempt (e.g. wrong password).
        public let signError: String?
        /// True before the signer's first signature: the form asks them to acknowledge that an
        /// electronic signature is legally binding (21 CFR 11.100(c)).
        public let needsAcknowledgement: Bool
        /// True when the signer has a second factor: the form asks for a current code (21 CFR 11.200(a)(1)).
        public let needsCode: Bool

        /// Creates the signing form for a participant.
        public init(subjectId: String, version: String, decisions: [SelectOption], meaning: String,
                    signerName: String, signError: String? = nil, needsAcknowledgement: Bool = false, needsCode: Bool = false) {
            self.needsAcknowledgement = needsAcknowledgement
            self.needsCode = needsCode
            action = WebPaths.signEligibility(subjectId)
            self.version = version
            self.decisions = decisions
            self.meaning = meaning
            self.signerName = signerName
            self.signError = signError
        }
    }

    /// A one-button form (enrolment).
    ///
    /// Source: issue 2 §6 (enrol after the investigator signs).
    public struct ActionForm: Sendable, Equatable {
        /// Where the form posts.
        public let action: String
        /// The participant record version (optimistic locking).
        public let version: String

        /// Creates the enrolment form for a participant.
        public static func enrol(subjectId: String, version: String) -> ActionForm {
            ActionForm(action: WebPaths.enrol(subjectId), version: version)
        }
    }

    /// The screen-failure form with its reasons.
    ///
    /// Source: issue 2 §6 (screen failures keep their reasons).
    public struct ScreenFailForm: Sendable, Equatable {
        /// Where the form posts.
        public let action: String
        /// The participant record version (optimistic locking).
        public let version: String
        /// Prefilled reasons (e.g. the criteria not met, or echoed after an error).
        public let reasons: String
        /// Error for the reasons field.
        public let reasonsError: String?

        /// Creates the screen-failure form for a participant.
        public init(subjectId: String, version: String, reasons: String = "", reasonsError: String? = nil) {
            action = WebPaths.screenFail(subjectId)
            self.version = version
            self.reasons = reasons
            self.reasonsError = reasonsError
        }
    }
}
