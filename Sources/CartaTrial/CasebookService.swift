import CartaModel
import CartaStore
import CartaStudy
import Crypto
import Foundation

/// The investigator's signature on a participant's whole casebook: password re-entered, meaning fixed by
/// the study, bound to the SHA-256 of the casebook's exact content and invalidated by any later change.
///
/// Source: issue 7 scope 4; 21 CFR 11.50 (printed name, date and time, meaning), 11.70 (signature linked to
/// its record), 11.200(a)(1)(i) (password re-entered for each signing), 11.100(c) (binding acknowledgement).
public struct CasebookService: Sendable {
    let store: CartaStore
    let study: Study
    let screening: ScreeningService
    let accounts: AccountService

    public init(store: CartaStore, study: Study, screening: ScreeningService, accounts: AccountService) {
        self.store = store
        self.study = study
        self.screening = screening
        self.accounts = accounts
    }

    /// The meaning of a casebook signature.
    public static let meaning = "I have reviewed this casebook and confirm that its data are complete, accurate and attributable to the source."

    /// A casebook signature and whether it still covers the current content.
    public struct SignatureState: Sendable {
        public let signature: CasebookSignature
        public let standing: SignatureStanding
    }

    /// The meaning of a signature on one form.
    public static func formMeaning(_ formName: String) -> String {
        "I have reviewed the data of the form \(formName) and confirm that they are complete, accurate and attributable to the source."
    }

    /// The meaning of a signature on one visit (21 CFR 11.50(a)(3)).
    public static func visitMeaning(_ visitName: String) -> String {
        "I have reviewed the data recorded at the visit \(visitName) and confirm that they are complete, accurate and attributable to the source."
    }

    /// Signs `subjectID`'s casebook — or, with `formOID`, that one form, or with `visitID` that one visit (every
    /// form recorded at it) — at `expectedVersion` after re-checking the password (and code).
    public func sign(subjectID: SubjectID, formOID: String? = nil, visitID: String? = nil, password: String, code: String? = nil, expectedVersion: Int,
                     acknowledgesBinding: Bool, by principal: Principal) async throws -> CasebookSignature {
        try principal.require(.signCasebook)
        if formOID != nil && visitID != nil {
            throw WorkflowError.invalid("visitID", "Sign either one form or one visit (or neither, for the whole casebook), not both.")
        }
        let visit = try visitID.map { id in
            guard let v = study.schedule.visit(id) else {
                throw WorkflowError.invalid("visitID", "The schedule has no visit \(id); visits are \(study.schedule.visits.map(\.id).joined(separator: ", ")).")
            }
            return v
        }
        let event = visit.map { self.event(of: $0) }
        let form = try formOID.map { oid in
            guard let form = study.form(oid) else {
                throw WorkflowError.invalid("formOID", "The study has no form \(oid); name the form to sign, or none for the whole casebook.")
            }
            return form
        }
        let file = try await screening.file(subjectID, by: principal)
        if let form, !file.values.contains(where: { $0.address.formOID.rawValue == form.oid && $0.value != nil }) {
            throw WorkflowError(.invalidState, "\(form.name) has no data for \(subjectID) yet; there is nothing to sign.")
        }
        if let visit, let event, !file.values.contains(where: { $0.address.eventOID == event && $0.value != nil }) {
            throw WorkflowError(.invalidState, "\(visit.name) has no data for \(subjectID) yet; there is nothing to sign.")
        }
        let attests = principal.user.signatureAttestedAt == nil
        if attests && !acknowledgesBinding {
            throw WorkflowError.invalid("acknowledgeBinding", "Before your first electronic signature, acknowledge that it is the legally binding equivalent of your handwritten signature (21 CFR 11.100). Nothing was signed.")
        }
        guard try await accounts.verifySigner(principal.user, password: password, code: code, source: principal.source) else {
            throw WorkflowError.invalid("password", AccountService.signerRefusal(principal.user, nothingDone: "the casebook was not signed"))
        }
        return try await screening.mapped {
            try await store.signCasebook(participantID: file.participant.id, signer: principal.user.id,
                                         signerName: principal.user.displayName,
                                         meaning: visit.map { Self.visitMeaning($0.name) } ?? form.map { Self.formMeaning($0.name) } ?? Self.meaning,
                                         contentHash: Self.contentHash(file, formOID: form?.oid, eventOID: event), expectedVersion: expectedVersion,
                                         attestsBindingSignature: attests, formOID: form.map { FormOID($0.oid) }, eventOID: event, actor: principal.actor)
        }
    }

    /// The casebook's signatures, newest last, each with its standing against the current content.
    public func signatures(_ file: ParticipantFile) async throws -> [SignatureState] {
        let hash = Self.contentHash(file)
        return try await store.casebookSignatures(participantID: file.participant.id).map {
            let current = $0.formOID == nil && $0.eventOID == nil ? hash : Self.contentHash(file, formOID: $0.formOID?.rawValue, eventOID: $0.eventOID)
            return SignatureState(signature: $0, standing: $0.contentHash == current ? .valid : .invalidatedByChange)
        }
    }

    /// The canonical casebook content signed: subject, status, every recorded value (path, value, units,
    /// reference limits) in path order and the latest eligibility decision, as sorted-key JSON.
    struct Content: Encodable {
        struct Value: Encodable {
            let path: String
            let value: String?
            let unit: String?
            let standardValue: Double?
            let standardUnit: String?
            let lowerLimitNormal: Double?
            let upperLimitNormal: Double?
        }
        let subjectID: String
        let status: String
        let meaning: String
        let values: [Value]
        let eligibilityDecision: String?
        let eligibilityContentHash: String?
    }

    /// The canonical content of one form signed: the subject, the form and its recorded values.
    struct FormContent: Encodable {
        let subjectID: String
        let formOID: String
        let meaning: String
        let values: [Content.Value]
    }

    /// The canonical content of one visit signed: the subject, the visit (event) and every value recorded at it.
    struct VisitContent: Encodable {
        let subjectID: String
        let eventOID: String
        let meaning: String
        let values: [Content.Value]
    }

    /// The stored event of a visit: screening values (the schedule's first visit) are kept under the screening event.
    func event(of visit: VisitDefinition) -> EventOID { visit.id == study.schedule.visits.first?.id ? .screening : EventOID(rawValue: visit.id) }

    /// SHA-256 (hex) of the casebook's canonical content, of one form's (`formOID`) or of one visit's (`eventOID`).
    public static func contentHash(_ file: ParticipantFile, formOID: String? = nil, eventOID: EventOID? = nil) -> String {
        let values = file.values.filter { $0.value != nil && (formOID == nil || $0.address.formOID.rawValue == formOID)
            && (eventOID == nil || $0.address.eventOID == eventOID) }.map { v in
            Content.Value(path: v.address.path, value: v.value?.text, unit: v.value?.unit, standardValue: v.value?.standardValue,
                          standardUnit: v.value?.standardUnit, lowerLimitNormal: v.value?.lowerLimitNormal,
                          upperLimitNormal: v.value?.upperLimitNormal)
        }.sorted { $0.path < $1.path }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Strings, numbers and arrays of them always encode.
        let data: Data
        if let eventOID {
            data = (try? encoder.encode(VisitContent(subjectID: file.participant.subjectID.rawValue, eventOID: eventOID.rawValue,
                                                     meaning: "visit signature", values: values))) ?? Data()
        } else if let formOID {
            data = (try? encoder.encode(FormContent(subjectID: file.participant.subjectID.rawValue, formOID: formOID,
                                                    meaning: "form signature", values: values))) ?? Data()
        } else {
            let content = Content(subjectID: file.participant.subjectID.rawValue, status: file.participant.status.rawValue,
                                  meaning: meaning, values: values, eligibilityDecision: file.latestDecision?.decision.rawValue,
                                  eligibilityContentHash: file.latestDecision?.contentHash)
            data = (try? encoder.encode(content)) ?? Data()
        }
        return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
