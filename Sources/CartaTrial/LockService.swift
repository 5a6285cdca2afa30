import CartaCore
import CartaModel
import CartaStore
import CartaStudy
import Foundation

/// Locking and unlocking data — a form, a casebook or the database — by a data manager, each signed
/// (password re-entered), audited and with a reason. The store refuses every write a lock covers.
///
/// Source: issue 7 scope 7; standards.md R-DT-2 (ICH E6(R3) 4.2.6); 21 CFR 11.200 (signing needs the
/// password each time).
public struct LockService: Sendable {
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

    /// Locks `scope` (a casebook or form by subject ID and form OID) after re-checking the password.
    public func lock(_ scope: DataLock.Scope, subjectID: SubjectID?, formOID: String?, reason: String, password: String, code: String? = nil,
                     by principal: Principal) async throws -> DataLock {
        try principal.require(.lockData)
        let why = try accounts.requiredReason(reason)
        var participantID: ParticipantID?
        var form: FormOID?
        switch scope {
        case .database:
            // A participant or form named with the database scope is a caller who meant a narrower lock: freezing every
            // site instead is refused, not guessed.
            if let subjectID { throw WorkflowError.invalid("subjectID", "A database lock covers every participant: leave out \(subjectID), or lock its casebook (scope participant).") }
            if let formOID { throw WorkflowError.invalid("formOID", "A database lock covers every form: leave out \(formOID), or lock the form (scope form).") }
            guard principal.user.sites == .all else {
                throw WorkflowError(.forbidden, "Locking the whole database needs access to every site.")
            }
        case .participant, .form:
            if scope == .participant, let formOID {
                throw WorkflowError.invalid("formOID", "A casebook lock covers all of the participant's forms: leave out \(formOID), or lock the form (scope form).")
            }
            guard let subjectID else { throw WorkflowError.invalid("subjectID", "Name the participant whose \(scope == .form ? "form" : "casebook") to lock.") }
            participantID = try await screening.participant(subjectID, by: principal).id
            if scope == .form {
                guard let oid = formOID, study.form(oid) != nil else {
                    throw WorkflowError.invalid("formOID", "Name one of the study's forms to lock (got \(formOID ?? "nothing")).")
                }
                form = FormOID(oid)
            }
        }
        try await checkSignature(password, code: code, by: principal)
        return try await accounts.mapped {
            try await store.lock(scope, participantID: participantID, formOID: form, reason: why, lockedBy: principal.user, actor: principal.actor)
        }
    }

    /// Lifts a standing lock after re-checking the password; the reason is audited.
    public func unlock(id: String, reason: String, password: String, code: String? = nil, by principal: Principal) async throws -> DataLock {
        try principal.require(.lockData)
        let why = try accounts.requiredReason(reason)
        try await checkSignature(password, code: code, by: principal)
        return try await accounts.mapped { try await store.unlock(id: id, reason: why, by: principal.user, actor: principal.actor) }
    }

    /// The standing locks the principal may see (their sites' participants, and database locks).
    public func locks(by principal: Principal) async throws -> [DataLock] {
        try principal.require(.readStudyData)
        let reachable = Set(try await screening.participants(by: principal).map(\.id))
        return try await store.activeLocks().filter { $0.participantID.map(reachable.contains) ?? true }
    }

    func checkSignature(_ password: String, code: String?, by principal: Principal) async throws {
        guard try await accounts.verifySigner(principal.user, password: password, code: code, source: principal.source) else {
            throw WorkflowError.invalid("password", AccountService.signerRefusal(principal.user, nothingDone: "nothing was locked or unlocked"))
        }
    }
}
