/// The registration form for a person entering screening.
///
/// The identifying details are stored apart from the pseudonymous record and only roles with that
/// right can read them. Source: issue 2 §6 (register a screening participant).
public enum RegisterPage {
    /// What the registration form shows.
    public struct Model: PageModel, Equatable {
        /// Template `register.mustache`.
        public static let template = "register"
        /// Document title.
        public let title = "Register participant"
        /// Where the form posts.
        public let action: String
        /// Full name field.
        public let fullName: Field
        /// Date of birth field ("YYYY-MM-DD").
        public let dateOfBirth: Field
        /// Hospital number field.
        public let hospitalNumber: Field
        /// Site choices, the current one selected.
        public let sites: [SelectOption]
        /// Error for the site choice.
        public let siteError: String?
        /// Links to every field with an error, shown above the form.
        public let errorSummary: [ErrorLink]
        /// Whether any field has an error (the summary is shown only then).
        public let hasErrors: Bool

        /// Creates the form model; field values are echoed back after a failed submission.
        public init(fullName: Field = Field(), dateOfBirth: Field = Field(), hospitalNumber: Field = Field(),
                    sites: [SelectOption], siteError: String? = nil) {
            action = WebPaths.register
            self.fullName = fullName
            self.dateOfBirth = dateOfBirth
            self.hospitalNumber = hospitalNumber
            self.sites = sites
            self.siteError = siteError
            var summary: [ErrorLink] = []
            for (id, field) in [("full_name", fullName), ("date_of_birth", dateOfBirth), ("hospital_number", hospitalNumber)] {
                if let e = field.fieldError { summary.append(ErrorLink(fieldId: id, message: e)) }
            }
            if let siteError { summary.append(ErrorLink(fieldId: "site", message: siteError)) }
            errorSummary = summary
            hasErrors = !summary.isEmpty
        }
    }

    /// A text field's value and its error.
    public struct Field: Sendable, Equatable {
        /// The value to show in the input.
        public let value: String
        /// The validation message naming the field and the rule, if any.
        public let fieldError: String?
        /// Whether `fieldError` is set (for `aria-invalid`).
        public let invalid: Bool

        /// Creates a field.
        public init(value: String = "", error: String? = nil) {
            self.value = value
            self.fieldError = error
            self.invalid = error != nil
        }
    }

    /// A link from the error summary to the field in error.
    public struct ErrorLink: Sendable, Equatable {
        /// The id of the input.
        public let fieldId: String
        /// The message.
        public let message: String
    }
}
