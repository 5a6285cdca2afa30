
/// What a role may do. The application layer (`Principal.require`) checks it for every page, API
/// route and CLI command; `docs/roles.md` is generated from this table (`RoleMatrix.markdown`).
///
/// Source: issue 7 scope 1; 21 CFR 11.10(d),(g) (limiting access to authorised individuals, authority
/// checks); ICH E6(R3) 2.3 (the investigator is responsible for eligibility; delegation to qualified
/// sub-investigators); least privilege (admins manage accounts but do not enter or sign clinical data;
/// sponsor and statistician see pseudonymised data only — GDPR Art. 25, 89).
public enum Permission: String, Sendable, CaseIterable {
    case readStudyData, readIdentity, registerParticipant, enterData, attestEligibility, signEligibility, enrol,
         manageUsers, reviewAccess, readAudit, reviewAudit, redactAudit, exportArchive, exportDeidentified, importArchive, compute, lockData, manageQueries, answerQueries, verifySource, signCasebook

    /// The roles granted this permission.
    public var roles: Set<UserRole> {
        let clinical: Set<UserRole> = [.investigator, .subInvestigator, .coordinator]
        let investigators: Set<UserRole> = [.investigator, .subInvestigator]
        switch self {
        case .readStudyData, .compute: return Set(UserRole.allCases)
        case .readIdentity, .registerParticipant, .enterData, .enrol: return clinical
        case .attestEligibility, .signEligibility: return investigators
        case .manageUsers: return [.admin]
        case .reviewAccess: return [.admin, .auditor]
        case .lockData: return [.dataManager]
        case .manageQueries: return [.monitor, .dataManager]
        case .answerQueries: return clinical
        case .verifySource: return [.monitor]
        case .signCasebook: return [.investigator]
        case .readAudit: return clinical.union([.admin, .dataManager, .monitor, .auditor])
        case .reviewAudit: return [.dataManager, .monitor, .auditor]
        case .redactAudit: return [.dataManager]
        case .exportArchive: return [.investigator, .dataManager, .auditor]
        case .exportDeidentified: return [.investigator, .dataManager, .auditor, .statistician, .sponsorViewer]
        case .importArchive: return [.admin]
        }
    }

    public func allows(_ role: UserRole) -> Bool { roles.contains(role) }

    /// What the permission lets a person do, for `docs/roles.md`.
    public var summary: String {
        switch self {
        case .readStudyData: return "See participants (subject ID, status, values) and the study"
        case .readIdentity: return "See identifying details (name, date of birth, hospital number)"
        case .registerParticipant: return "Register a person for screening"
        case .enterData: return "Enter and correct data"
        case .attestEligibility: return "Answer the investigator's eligibility attestations"
        case .signEligibility: return "Sign the eligibility decision"
        case .enrol: return "Enrol, or record a screen failure"
        case .manageUsers: return "Manage user accounts"
        case .reviewAccess: return "Read the access review: every account's role, sites, last sign-in and factors"
        case .readAudit: return "Read and verify the audit trail"
        case .reviewAudit: return "Sign off a review of the audit trail (password re-entered)"
        case .redactAudit: return "Redact personal data typed into an audit record, with a justification (password re-entered)"
        case .exportArchive: return "Export the ODM archive of their sites (values, audit records, signatures; subject IDs only)"
        case .exportDeidentified: return "Export a de-identified snapshot (Safe Harbor) or a limited data set under a data use agreement"
        case .importArchive: return "Restore an ODM archive into a new database (values with their audit history)"
        case .compute: return "Use the clinical calculators"
        case .lockData: return "Lock and unlock a form, a casebook or the database (signed, with a reason)"
        case .manageQueries: return "Raise, close and re-open data queries"
        case .answerQueries: return "Answer data queries"
        case .verifySource: return "Mark values verified against source (SDV)"
        case .signCasebook: return "Sign a participant's whole casebook (password re-entered)"
        }
    }

    /// What the user is told when refused.
    public var refusal: String {
        switch self {
        case .readStudyData: return "Your role cannot read study data."
        case .readIdentity: return "Your role cannot see identifying details."
        case .registerParticipant: return "Your role cannot register participants; ask a coordinator or an investigator."
        case .enterData: return "Your role is read-only here: it cannot enter or change data."
        case .attestEligibility: return "Only an investigator or sub-investigator can answer the investigator's eligibility attestations."
        case .signEligibility: return "Only an investigator or sub-investigator can sign the eligibility decision."
        case .enrol: return "Your role cannot enrol participants or record screen failures."
        case .manageUsers: return "Only an administrator can manage user accounts."
        case .reviewAccess: return "Only an administrator or an auditor reads the access review."
        case .readAudit: return "Your role cannot read the audit trail."
        case .reviewAudit: return "Only a data manager, a monitor or an auditor signs off an audit-trail review."
        case .redactAudit: return "Only a data manager redacts an audit record."
        case .exportArchive: return "Only an investigator, a data manager or an auditor exports the archive."
        case .exportDeidentified: return "Your role cannot export study data."
        case .importArchive: return "Only an administrator restores an archive into a new database."
        case .compute: return "Sign in to use the calculators."
        case .lockData: return "Only a data manager can lock or unlock data."
        case .manageQueries: return "Only a monitor or a data manager can raise, close or re-open queries."
        case .answerQueries: return "Only the site (investigator, sub-investigator or coordinator) answers queries."
        case .verifySource: return "Only a monitor can mark values verified against source."
        case .signCasebook: return "Only the investigator can sign the casebook."
        }
    }
}
