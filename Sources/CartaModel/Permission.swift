
/// What a role may do, enforced on the server for every route.
///
/// Source: issue 2 §5 — a coordinator cannot sign eligibility, a monitor cannot write; ICH E6(R3)
/// (the investigator is responsible for eligibility decisions); least privilege (admins manage
/// accounts but do not enter or sign clinical data).
public enum Permission: String, Sendable, CaseIterable {
    case readStudyData, readIdentity, registerParticipant, enterData, signEligibility, enrol, manageUsers, readAudit, compute

    /// The roles granted this permission.
    public var roles: Set<UserRole> {
        switch self {
        case .readStudyData, .readAudit, .compute: return [.admin, .investigator, .coordinator, .monitor]
        case .readIdentity, .registerParticipant, .enterData, .enrol: return [.investigator, .coordinator]
        case .signEligibility: return [.investigator]
        case .manageUsers: return [.admin]
        }
    }

    public func allows(_ role: UserRole) -> Bool { roles.contains(role) }

    /// What the user is told when refused.
    public var refusal: String {
        switch self {
        case .readStudyData: return "Your role cannot read study data."
        case .readIdentity: return "Your role cannot see identifying details."
        case .registerParticipant: return "Your role cannot register participants; ask a coordinator or an investigator."
        case .enterData: return "Your role is read-only here: it cannot enter or change data."
        case .signEligibility: return "Only an investigator can sign the eligibility decision."
        case .enrol: return "Your role cannot enrol participants or record screen failures."
        case .manageUsers: return "Only an administrator can manage user accounts."
        case .readAudit: return "Your role cannot read the audit trail."
        case .compute: return "Sign in to use the calculators."
        }
    }
}
