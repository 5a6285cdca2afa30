import CartaCore
import CartaModel
import Foundation
import Testing

/// The one answer to "what is next / may sign / may enrol / why not", table-driven over every
/// participant state. Source: issue 6 scope 4; issue 2 scope 6 (sign a complete checklist only; enrol
/// only with "eligible" signed on the current data).
@Suite struct ScreeningStateTests {
    enum Verdict: String, Sendable, CaseIterable { case eligible, notEligible, incomplete }
    enum Signed: String, Sendable, CaseIterable { case none, eligibleCurrent, eligibleStale, notEligibleCurrent }

    struct Row: Sendable, CustomTestStringConvertible {
        let status: ParticipantStatus
        let verdict: Verdict
        let signed: Signed
        let next: ScreeningState.Step
        let enrolment: ScreeningState.Enrolment
        let signable: [EligibilityDecisionKind]
        var testDescription: String { "\(status.rawValue)/\(verdict.rawValue)/\(signed.rawValue)" }
    }

    static let rows: [Row] = [
        Row(status: .screening, verdict: .incomplete, signed: .none,
            next: .completeData(open: ["I3"], missing: ["Haemoglobin"]), enrolment: .incomplete(open: ["I3"]), signable: []),
        Row(status: .screening, verdict: .notEligible, signed: .none,
            next: .reviewNotEligible(failed: ["E7"]), enrolment: .notEligible(failed: ["E7"]), signable: [.notEligible]),
        Row(status: .screening, verdict: .notEligible, signed: .notEligibleCurrent,
            next: .recordScreenFailure, enrolment: .notEligible(failed: ["E7"]), signable: []),
        Row(status: .screening, verdict: .eligible, signed: .none,
            next: .signEligible, enrolment: .needsSignature, signable: [.eligible]),
        Row(status: .screening, verdict: .eligible, signed: .eligibleStale,
            next: .signEligible, enrolment: .needsSignature, signable: [.eligible]),
        Row(status: .screening, verdict: .eligible, signed: .eligibleCurrent,
            next: .enrol, enrolment: .allowed, signable: []),
        Row(status: .enrolled, verdict: .eligible, signed: .eligibleCurrent,
            next: .followSchedule, enrolment: .notScreening(.enrolled), signable: []),
        Row(status: .screenFailed, verdict: .notEligible, signed: .none,
            next: .none, enrolment: .notScreening(.screenFailed), signable: []),
    ]

    static func state(_ row: Row) -> ScreeningState {
        let p = Participant(id: "p1", studyID: "NCT05315778", subjectID: "BCRITP-001", sequenceNumber: 1, siteID: "SUZHOU",
                            status: row.status, version: 4, createdAt: Date(timeIntervalSince1970: 0),
                            updatedAt: Date(timeIntervalSince1970: 0), updatedBy: "cora", enrolledAt: nil, screenFailureReasons: [])
        let overall: EligibilityEvaluation.Overall
        switch row.verdict {
        case .eligible: overall = .eligible
        case .notEligible: overall = .notEligible(failed: ["E7"])
        case .incomplete: overall = .incomplete(notEvaluable: ["I3"])
        }
        func decision(_ kind: EligibilityDecisionKind, version: Int) -> EligibilityDecision {
            EligibilityDecision(id: "d", participantID: p.id, decision: kind, criteriaSnapshot: "[]", signedBy: "u",
                                signerName: "Dr Ivy", signedAt: Date(timeIntervalSince1970: 0), meaning: "m", participantVersion: version)
        }
        let latest: EligibilityDecision?
        switch row.signed {
        case .none: latest = nil
        case .eligibleCurrent: latest = decision(.eligible, version: 4)
        case .eligibleStale: latest = decision(.eligible, version: 3)
        case .notEligibleCurrent: latest = decision(.notEligible, version: 4)
        }
        return ScreeningState(participant: p, overall: overall,
                              latestDecision: latest, missing: row.verdict == .incomplete ? ["Haemoglobin", "Haemoglobin"] : [])
    }

    @Test(arguments: rows)
    func nextStepEnrolmentAndSigning(_ row: Row) {
        let s = Self.state(row)
        #expect(s.next == row.next)
        #expect(s.enrolment == row.enrolment)
        #expect(s.signableDecisions == row.signable)
        #expect(s.mayRecordScreenFailure == (row.status == .screening))
        #expect(s.mayEnterScreeningData == (row.status == .screening))
    }

    @Test func signingRefusalsNameTheReason() {
        let incomplete = Self.state(Self.rows[0])
        #expect(incomplete.signing(.eligible) == .incomplete(open: ["I3"]))
        #expect(incomplete.signing(.notEligible) == .incomplete(open: ["I3"]))
        let failing = Self.state(Self.rows[1])
        #expect(failing.signing(.eligible) == .failedCriteria(["E7"]))
        #expect(failing.signing(.notEligible) == .allowed)
        let eligible = Self.state(Self.rows[3])
        #expect(eligible.signing(.notEligible) == .everyCriterionMet)
        #expect(Self.state(Self.rows[6]).signing(.eligible) == .notScreening(.enrolled))
    }

    @Test func nextStepTextIsWhatTheCoordinatorReads() {
        #expect(Self.state(Self.rows[0]).nextStepText == "Screening data incomplete (1 criteria): Haemoglobin")
        #expect(Self.state(Self.rows[2]).nextStepText == "Signed not eligible — record the screen failure")
        #expect(Self.state(Self.rows[5]).nextStepText == "Eligibility signed — ready to enrol")
        #expect(Self.state(Self.rows[7]).nextStepText == "Screen failed")
    }
}
