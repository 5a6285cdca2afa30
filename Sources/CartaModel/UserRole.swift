import Foundation

/// A user's role in the study. The permission matrix (`Permission.roles`) decides what each may do;
/// `docs/roles.md` is generated from it.
///
/// Source: issue 7 scope 1 (nine roles); ICH E6(R3) 2.2–2.3 (the investigator is responsible for the
/// trial at the site and may delegate to qualified sub-investigators), 3.11 (monitoring), 3.12 (audit).
/// The raw value is stored and audited: never rename a case.
public enum UserRole: String, Sendable, Codable, CaseIterable {
    /// Manages accounts and the study configuration; enters and signs no clinical data.
    case admin
    /// Principal investigator at a site: signs eligibility, enrols, enters data.
    case investigator
    /// Sub-investigator with delegated authority: the investigator's clinical rights.
    case subInvestigator = "sub-investigator"
    /// Research coordinator: registers participants and enters data; signs nothing.
    case coordinator
    /// Data manager: reads all study data and the audit trail to review and query it.
    case dataManager = "data-manager"
    /// Clinical research associate: reads the data and the audit trail of the sites monitored.
    case monitor
    /// Statistician: pseudonymised study data only.
    case statistician
    /// Quality auditor or inspector: reads data and the audit trail, writes nothing.
    case auditor
    /// Sponsor representative: pseudonymised study data only.
    case sponsorViewer = "sponsor-viewer"

    /// The name shown to people.
    public var label: String {
        switch self {
        case .admin: return "Administrator"
        case .investigator: return "Investigator"
        case .subInvestigator: return "Sub-investigator"
        case .coordinator: return "Research coordinator"
        case .dataManager: return "Data manager"
        case .monitor: return "Monitor"
        case .statistician: return "Statistician"
        case .auditor: return "Auditor"
        case .sponsorViewer: return "Sponsor viewer"
        }
    }
}
