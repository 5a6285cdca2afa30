import CartaStore

/// Why a workflow step was refused: a stable code, a message that says what to do next, and the fields
/// at fault. No HTTP here; `CartaServer` maps each code to a status in one place, the CLI to exit 1.
///
/// Source: DESIGN.md §4 ("one small error type per module with a stable code"); issue 6 scope 1.
public struct WorkflowError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable codes; the raw value is what API clients and scripts see.
    public enum Code: String, Sendable, CaseIterable {
        /// The participant, form or record does not exist.
        case notFound = "not_found"
        /// Someone else changed the record first (stale version).
        case conflict
        /// The record is in a state where this step is not allowed (e.g. enrolled, screen failed).
        case invalidState = "invalid_state"
        /// One or more fields are invalid; `fields` names each with its message.
        case invalidInput = "invalid_input"
        /// The actor's role does not allow this step.
        case forbidden
        /// The checklist has a failed criterion, so "eligible" cannot be signed or the participant enrolled.
        case notEligible = "not_eligible"
        /// The checklist has criteria that cannot be evaluated yet.
        case incomplete
        /// Every criterion is met, so "not eligible" cannot be signed.
        case eligible
        /// The study reached its enrolment target.
        case enrolmentFull = "enrolment_full"
        /// A step of the trial came before the step it needs (standards.md R-OS-1); the message names it.
        case outOfOrder = "out_of_order"
    }

    /// One field's problem.
    public struct FieldProblem: Sendable, Equatable {
        /// The field as the user knows it (`item.HGB`, `date_of_birth`, `decision`).
        public let field: String
        /// What is wrong and what to do.
        public let message: String
        /// Creates a field problem.
        public init(field: String, message: String) { self.field = field; self.message = message }
    }

    /// The stable code.
    public let code: Code
    /// A message for a person, naming the rule and the next step.
    public let message: String
    /// The fields at fault (empty when the error concerns the whole step).
    public let fields: [FieldProblem]

    /// Creates an error.
    public init(_ code: Code, _ message: String, fields: [FieldProblem] = []) {
        self.code = code
        self.message = message
        self.fields = fields
    }

    /// Field problems found while checking input; nothing was written.
    public static func invalidInput(_ fields: [FieldProblem]) -> WorkflowError {
        WorkflowError(.invalidInput, fields.map(\.message).joined(separator: " "), fields: fields)
    }

    /// One invalid field.
    public static func invalid(_ field: String, _ message: String) -> WorkflowError {
        invalidInput([FieldProblem(field: field, message: message)])
    }

    /// The first field at fault, if any.
    public var field: String? { fields.first?.field }

    /// The message.
    public var description: String { message }

    /// The workflow meaning of a store refusal (the store speaks of rows, the workflow of steps).
    ///
    /// Source: DESIGN.md §4 (driver errors mapped at the store boundary, workflow codes above it).
    public init?(_ error: StoreError) {
        switch error.code {
        case .conflict: self.init(.conflict, error.message)
        case .notFound: self.init(.notFound, error.message)
        case .invalidState: self.init(.invalidState, error.message)
        case .enrolmentFull: self.init(.enrolmentFull, error.message)
        case .constraint, .invalidConfiguration, .database: return nil
        }
    }
}

extension WorkflowError {
    /// What a page shows for this refusal: each field's message, or the step's message when no field is named.
    public var pageMessage: String { fields.isEmpty ? message : fields.map(\.message).joined(separator: " ") }
}
