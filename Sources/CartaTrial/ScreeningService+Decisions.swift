import CartaModel
import CartaCore
import CartaStore
import CartaStudy
import Foundation

extension ScreeningService {
    /// One checklist row as shown to the signer and stored in the signature's snapshot.
    public struct ChecklistRow: Codable, Sendable, Equatable {
        public let id: String
        public let kind: String
        public let text: String
        /// `met`, `not_met` or `not_evaluable`.
        public let result: String
        public let reason: String
        public let missing: [String]
    }

    /// The checklist rows of an evaluation, with missing items named by their labels.
    public func checklist(_ evaluation: EligibilityEvaluation) -> [ChecklistRow] {
        evaluation.results.map { entry in
            let (result, reason, missing): (String, String, [String])
            switch entry.result {
            case .met(let r): (result, reason, missing) = ("met", r, [])
            case .notMet(let r): (result, reason, missing) = ("not_met", r, [])
            case .notEvaluable(let m):
                let names = m.map(study.describeMissing)
                (result, reason, missing) = ("not_evaluable", "Not evaluable: missing " + names.joined(separator: ", ") + ".", names)
            }
            return ChecklistRow(id: entry.criterion.id, kind: entry.criterion.kind.rawValue, text: entry.criterion.text,
                                result: result, reason: reason, missing: missing)
        }
    }

    /// The default meaning of an eligibility signature (21 CFR 11.50: the meaning is part of the record).
    public static let defaultMeaning = "I confirm that I have reviewed the eligibility checklist and that this decision is correct."

    /// Records the investigator's signed decision. The caller has verified role and password.
    ///
    /// "eligible" can be signed only when every criterion is met; "not eligible" whenever at least
    /// one criterion is not met (an incomplete checklist cannot be signed either way).
    public func sign(subjectID: String, decision: EligibilityDecisionKind, meaning: String?, expectedVersion: Int,
                     signer: User, actor: AuditActor) async throws -> EligibilityDecision {
        let p = try await participant(subjectID)
        let evaluation = try await evaluate(p)
        switch (decision, evaluation.overall) {
        case (.eligible, .eligible), (.notEligible, .notEligible): break
        case (.eligible, .notEligible(let failed)):
            throw AppError(.conflict, code: "not_eligible",
                           message: "\(p.subjectID) cannot be signed eligible: criteria \(failed.joined(separator: ", ")) are not met.", field: "decision")
        case (_, .incomplete(let open)):
            throw AppError(.conflict, code: "incomplete",
                           message: "\(p.subjectID)'s checklist is incomplete: criteria \(open.joined(separator: ", ")) cannot be evaluated yet. Enter the missing data first.", field: "decision")
        case (.notEligible, .eligible):
            throw AppError(.conflict, code: "eligible",
                           message: "Every criterion is met for \(p.subjectID); a not-eligible decision needs a failed criterion. Record a screen failure with reasons instead.", field: "decision")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let snapshot = String(decoding: try encoder.encode(checklist(evaluation)), as: UTF8.self)
        let text = (meaning?.trimmingCharacters(in: .whitespacesAndNewlines)).flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultMeaning
        return try await store.recordEligibilitySignature(
            participantID: p.id, decision: decision, criteriaSnapshot: snapshot, signer: signer.id,
            signerName: signer.displayName, meaning: text, expectedVersion: expectedVersion, actor: actor)
    }

    /// Enrols after re-evaluating: every criterion must be met now, and the signed decision must
    /// cover the current data (the store checks that and the enrolment cap atomically).
    public func enrol(subjectID: String, expectedVersion: Int, actor: AuditActor) async throws -> Participant {
        let p = try await participant(subjectID)
        let evaluation = try await evaluate(p)
        switch evaluation.overall {
        case .eligible: break
        case .notEligible(let failed):
            throw AppError(.conflict, code: "not_eligible",
                           message: "\(p.subjectID) cannot be enrolled: criteria \(failed.joined(separator: ", ")) are not met.")
        case .incomplete(let open):
            throw AppError(.conflict, code: "incomplete",
                           message: "\(p.subjectID) cannot be enrolled: criteria \(open.joined(separator: ", ")) are not evaluable yet.")
        }
        return try await store.enrol(
            participantID: p.id, expectedVersion: expectedVersion,
            maxEnrolled: study.allowEnrolmentBeyondTarget ? nil : study.targetEnrolment, actor: actor)
    }

    /// Records a screen failure; reasons default to the failed criteria when none are typed.
    public func screenFail(subjectID: String, reasons: [String], expectedVersion: Int, actor: AuditActor) async throws -> Participant {
        let p = try await participant(subjectID)
        var cleaned = reasons.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        if cleaned.isEmpty {
            let evaluation = try await evaluate(p)
            cleaned = checklist(evaluation).filter { $0.result == "not_met" }.map { "\($0.id): \($0.reason)" }
        }
        guard !cleaned.isEmpty else {
            throw AppError.invalid("reasons", "A screen failure needs at least one reason: type it, or record the data that fails a criterion.")
        }
        return try await store.screenFail(participantID: p.id, reasons: cleaned, expectedVersion: expectedVersion, actor: actor)
    }
}
