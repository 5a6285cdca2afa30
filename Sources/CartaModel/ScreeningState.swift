import CartaCore

/// Where a participant stands in screening and what may happen next: the one answer to "what is next,
/// may this participant be signed, may they be enrolled, and if not, why not" for the web pages, the
/// API and the CLI alike.
///
/// Pure: a function of the participant, the evaluated checklist and the latest signed decision.
/// Source: issue 6 scope 4; issue 2 scope 6 (sign only a complete checklist; enrol only with a signed
/// eligible decision on the current data); ICH E6(R3) 2.3 (the investigator confirms eligibility).
public struct ScreeningState: Sendable, Equatable {
    /// The next step in the screening workflow.
    public enum Step: Sendable, Equatable {
        /// Enter screening data: `open` criteria cannot be evaluated; `missing` names the data (labels).
        case completeData(open: [String], missing: [String])
        /// The checklist fails `failed`: the investigator signs "not eligible", or a screen failure is recorded.
        case reviewNotEligible(failed: [String])
        /// "Not eligible" is signed on the current data: record the screen failure.
        case recordScreenFailure
        /// Every criterion is met: the investigator signs "eligible".
        case signEligible
        /// "Eligible" is signed on the current data: enrol.
        case enrol
        /// Enrolled: the visit schedule applies.
        case followSchedule
        /// Screen failed: nothing more.
        case none
    }

    /// Why enrolment is or is not possible now.
    public enum Enrolment: Sendable, Equatable {
        /// Every criterion is met and "eligible" is signed on the current data.
        case allowed
        /// Every criterion is met but no "eligible" signature covers the current data.
        case needsSignature
        /// These criteria are not met.
        case notEligible(failed: [String])
        /// These criteria cannot be evaluated yet.
        case incomplete(open: [String])
        /// The participant is no longer screening.
        case notScreening(ParticipantStatus)
    }

    /// Why a decision may or may not be signed now.
    public enum Signing: Sendable, Equatable {
        /// The decision matches the checklist.
        case allowed
        /// "Eligible" asked, but these criteria are not met.
        case failedCriteria([String])
        /// The checklist has criteria that cannot be evaluated.
        case incomplete(open: [String])
        /// "Not eligible" asked, but every criterion is met.
        case everyCriterionMet
        /// The participant is no longer screening.
        case notScreening(ParticipantStatus)
    }

    /// The participant's status.
    public let status: ParticipantStatus
    /// The checklist verdict.
    public let overall: EligibilityEvaluation.Overall
    /// The latest decision if it covers the current data version.
    public let currentDecision: EligibilityDecision?
    /// Data labels the open criteria need, sorted and unique.
    public let missing: [String]

    /// The state of `participant` given its checklist verdict, latest signed decision and the data the open criteria miss.
    public init(participant: Participant, overall: EligibilityEvaluation.Overall, latestDecision: EligibilityDecision?,
                missing: [String]) {
        status = participant.status
        self.overall = overall
        currentDecision = latestDecision.flatMap { $0.participantVersion == participant.version ? $0 : nil }
        self.missing = Array(Set(missing)).sorted()
    }

    /// The next step of a participant no longer in screening: it follows from the status alone (nil in screening,
    /// where it needs the checklist), so lists need no screening data for such participants.
    public static func step(after status: ParticipantStatus) -> Step? {
        switch status {
        case .enrolled: .followSchedule
        case .screenFailed: Step.none
        case .screening: nil
        }
    }

    /// The next step.
    public var next: Step {
        if let settled = Self.step(after: status) { return settled }
        switch overall {
        case .incomplete(let open): return .completeData(open: open, missing: missing)
        case .notEligible(let failed):
            return currentDecision?.decision == .notEligible ? .recordScreenFailure : .reviewNotEligible(failed: failed)
        case .eligible:
            return currentDecision?.decision == .eligible ? .enrol : .signEligible
        }
    }

    /// Whether `decision` may be signed now (the role check is separate).
    public func signing(_ decision: EligibilityDecisionKind) -> Signing {
        guard status == .screening else { return .notScreening(status) }
        switch (decision, overall) {
        case (.eligible, .eligible), (.notEligible, .notEligible): return .allowed
        case (.eligible, .notEligible(let failed)): return .failedCriteria(failed)
        case (_, .incomplete(let open)): return .incomplete(open: open)
        case (.notEligible, .eligible): return .everyCriterionMet
        }
    }

    /// The decisions the checklist allows signing now; empty once a decision covers the current data.
    public var signableDecisions: [EligibilityDecisionKind] {
        guard currentDecision == nil else { return [] }
        return EligibilityDecisionKind.allCases.filter { signing($0) == .allowed }
    }

    /// Whether enrolment is possible now (the role check is separate).
    public var enrolment: Enrolment {
        guard status == .screening else { return .notScreening(status) }
        switch overall {
        case .incomplete(let open): return .incomplete(open: open)
        case .notEligible(let failed): return .notEligible(failed: failed)
        case .eligible: return currentDecision?.decision == .eligible ? .allowed : .needsSignature
        }
    }

    /// Whether a screen failure may be recorded now (the role check is separate).
    public var mayRecordScreenFailure: Bool { status == .screening }

    /// Whether screening data may be entered or changed now (the role check is separate).
    public var mayEnterScreeningData: Bool { status == .screening }

    /// The next step in a coordinator's words, as lists and dashboards show it.
    public var nextStepText: String { next.text }
}

extension ScreeningState.Step {
    /// The step in a coordinator's words.
    public var text: String {
        switch self {
        case .followSchedule: return "Enrolled — follow the visit schedule"
        case .none: return "Screen failed"
        case .completeData(let open, let missing):
            let shown = missing.prefix(4).joined(separator: ", ") + (missing.count > 4 ? " and \(missing.count - 4) more" : "")
            return "Screening data incomplete (\(open.count) criteria): \(shown)"
        case .recordScreenFailure: return "Signed not eligible — record the screen failure"
        case .reviewNotEligible(let failed):
            return "Not eligible (\(failed.joined(separator: ", "))) — investigator to review and sign, or record a screen failure"
        case .enrol: return "Eligibility signed — ready to enrol"
        case .signEligible: return "All criteria met — awaiting investigator signature"
        }
    }
}
