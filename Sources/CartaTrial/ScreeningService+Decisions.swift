import CartaCore
import CartaModel
import CartaStore
import CartaStudy
import Foundation

extension ScreeningService {
    /// The default meaning of an eligibility signature (21 CFR 11.50: the meaning is part of the record).
    public static let defaultMeaning = EligibilityDecision.defaultMeaning

    /// Records the investigator's signed decision. The caller has verified the password; role and site are checked here.
    ///
    /// "eligible" can be signed only when every criterion is met; "not eligible" whenever at least
    /// one criterion is not met (an incomplete checklist cannot be signed either way) — `ScreeningState.signing`.
    /// Source: 21 CFR Part 11 §11.50 (printed name, time, meaning); ICH E6(R3) 2.3.
    ///
    /// Before a user's first signature they acknowledge that it is the legally binding equivalent of a
    /// handwritten signature (`acknowledgesBinding`, stored with that signature; 21 CFR 11.100(c)). The
    /// signature is bound to the SHA-256 of the exact content signed (`SignedContent`, 21 CFR 11.70).
    public func sign(subjectID: SubjectID, decision: EligibilityDecisionKind, meaning: String?, expectedVersion: Int,
                     acknowledgesBinding: Bool = false, by principal: Principal) async throws -> EligibilityDecision {
        try principal.require(.signEligibility)
        let signer = principal.user
        let attests = signer.signatureAttestedAt == nil
        let trimmed = meaning?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        // The meaning is part of the signed record and fixed by the study, not free text (issue 7:
        // "the signer can send any meaning text"). Source: 21 CFR Part 11 §11.50(a)(3).
        guard trimmed.isEmpty || trimmed == Self.defaultMeaning else {
            throw WorkflowError.invalid("meaning", "The meaning of an eligibility signature is fixed: \"\(Self.defaultMeaning)\". Send it unchanged or leave it out; nothing was signed.")
        }
        let file = try await file(subjectID, by: principal)
        let p = file.participant
        let evaluation = evaluate(file)
        let screening = state(file, evaluation: evaluation)
        if let current = screening.currentDecision {
            // One signature per data version: a replayed or repeated request must not add a second one.
            throw WorkflowError(.conflict, "\(p.subjectID) is already signed \(current.decision.rawValue) on this data (version \(p.version)) by \(current.signerName); nothing was signed. Change the data first if a new decision is needed.")
        }
        switch screening.signing(decision) {
        case .allowed: break
        case .failedCriteria(let failed):
            throw WorkflowError(.notEligible, "\(p.subjectID) cannot be signed eligible: criteria \(failed.joined(separator: ", ")) are not met.",
                                fields: [.init(field: "decision", message: "criteria \(failed.joined(separator: ", ")) are not met")])
        case .incomplete(let open):
            throw WorkflowError(.incomplete, "\(p.subjectID)'s checklist is incomplete: criteria \(open.joined(separator: ", ")) cannot be evaluated yet. Enter the missing data first.",
                                fields: [.init(field: "decision", message: "checklist incomplete")])
        case .everyCriterionMet:
            throw WorkflowError(.eligible, "Every criterion is met for \(p.subjectID); a not-eligible decision needs a failed criterion. Record a screen failure with reasons instead.",
                                fields: [.init(field: "decision", message: "every criterion is met")])
        case .notScreening(let status):
            throw WorkflowError(.invalidState, "participant \(p.subjectID) is \(status.rawValue); eligibility can only be signed during screening")
        }
        // Asked only once the decision could be signed, so nobody acknowledges for a refused signature.
        if attests && !acknowledgesBinding {
            throw WorkflowError.invalid("acknowledgeBinding", "Before your first electronic signature, acknowledge that it is the legally binding equivalent of your handwritten signature (21 CFR 11.100). Nothing was signed.")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let snapshot = String(decoding: try encoder.encode(checklist(evaluation)), as: UTF8.self)
        let text = Self.defaultMeaning
        return try await mapped {
            try await store.recordEligibilitySignature(
                participantID: p.id, decision: decision, criteriaSnapshot: snapshot, signer: signer.id,
                signerName: signer.displayName, meaning: text,
                contentHash: SignedContent.eligibilityHash(file, decision: decision, meaning: text),
                expectedVersion: expectedVersion, attestsBindingSignature: attests, actor: principal.actor)
        }
    }

    /// Enrols after re-evaluating: every criterion must be met now, and the signed decision must
    /// cover the current data (the store checks that and the enrolment cap atomically).
    ///
    /// Source: issue 2 scope 6 ("enrolment re-evaluates every criterion and stops at the target").
    public func enrol(subjectID: SubjectID, expectedVersion: Int, by principal: Principal) async throws -> Participant {
        try principal.require(.enrol)
        let file = try await file(subjectID, by: principal)
        let p = file.participant
        switch state(file).enrolment {
        case .allowed, .needsSignature, .notScreening:
            break // the store gives the precise refusal atomically (signature, version, status, cap)
        case .notEligible(let failed):
            throw WorkflowError(.notEligible, "\(p.subjectID) cannot be enrolled: criteria \(failed.joined(separator: ", ")) are not met.")
        case .incomplete(let open):
            throw WorkflowError(.incomplete, "\(p.subjectID) cannot be enrolled: criteria \(open.joined(separator: ", ")) are not evaluable yet.")
        }
        return try await mapped {
            try await store.enrol(
                participantID: p.id, expectedVersion: expectedVersion,
                maxEnrolled: study.allowEnrolmentBeyondTarget ? nil : study.targetEnrolment, actor: principal.actor)
        }
    }

    /// Records a screen failure; reasons default to the failed criteria when none are typed.
    ///
    /// A coordinator may record it only on an investigator's signed "not eligible" decision for the
    /// current data; an investigator or sub-investigator records it on their own authority.
    /// Source: issue 2 scope 6 ("screen failures keep their reasons"); issue 7 (hole: a coordinator
    /// recorded a screen failure with no investigator decision); ICH E6(R3) 2.3 (eligibility is the
    /// investigator's decision).
    public func screenFail(subjectID: SubjectID, reasons: [String], expectedVersion: Int, by principal: Principal) async throws -> Participant {
        try principal.require(.enrol)
        let file = try await file(subjectID, by: principal)
        if !principal.may(.signEligibility) {
            let decision = state(file).currentDecision
            guard decision?.decision == .notEligible else {
                throw WorkflowError(.forbidden, "A screen failure of \(file.participant.subjectID) needs an investigator's signed \"not eligible\" decision on the current data (version \(file.participant.version)); ask an investigator to sign it, or to record the screen failure. Nothing was recorded.")
            }
        }
        var cleaned = reasons.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        if cleaned.isEmpty {
            cleaned = checklist(evaluate(file)).filter { $0.result == .notMet }.map { "\($0.id): \($0.reason)" }
        }
        guard !cleaned.isEmpty else {
            throw WorkflowError.invalid("reasons", "A screen failure needs at least one reason: type it, or record the data that fails a criterion.")
        }
        return try await mapped {
            try await store.screenFail(participantID: file.participant.id, reasons: cleaned, expectedVersion: expectedVersion, actor: principal.actor)
        }
    }
}
