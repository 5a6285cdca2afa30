import CartaCore
import Foundation

/// ICH E2A seriousness criteria: any one makes an adverse event serious.
///
/// Source: ICH E2A (1994) §II.B "Serious adverse event or reaction"; spec/clinical.md §4.4.
public enum SeriousnessCriterion: String, Sendable, Codable, CaseIterable {
    case death
    case lifeThreatening = "life_threatening"
    case hospitalisation
    case disability
    case congenitalAnomaly = "congenital_anomaly"
    case importantMedicalEvent = "important_medical_event"
}

/// How likely an adverse event was caused by a given treatment.
///
/// Source: WHO-UMC causality categories (certain/probable/possible/unlikely) reduced to the usual CRF list;
/// spec/clinical.md §4.4 (causality to lymphodepletion, CAR-T and underlying ITP recorded separately).
public enum Causality: String, Sendable, Codable, CaseIterable {
    case related, probable, possible, unlikely, unrelated
}

/// What was done with the study treatment because of the event (CDISC AEACN, reduced).
public enum AdverseEventAction: String, Sendable, Codable, CaseIterable {
    case none, doseHeld = "dose_held", doseReduced = "dose_reduced", withdrawn, notApplicable = "not_applicable"
}

/// How the event ended (CDISC AEOUT).
public enum AdverseEventOutcome: String, Sendable, Codable, CaseIterable {
    case recovered, recovering, notRecovered = "not_recovered", recoveredWithSequelae = "recovered_with_sequelae", fatal, unknown
}

/// One adverse event of a participant, coded with CTCAE v5.0 (and its MedDRA code).
///
/// Source: issue 8 scope 7; NCI CTCAE v5.0; ICH E2A (seriousness, expedited reporting from awareness).
public struct AdverseEvent: Sendable, Hashable, Codable {
    public var id: String
    public var participantID: ParticipantID
    /// The participant's AE number, 1, 2, … (stable; shown as AE-1).
    public var number: Int
    public var meddraCode: String
    public var term: String
    /// The event in words for an "Other, specify" term.
    public var specify: String?
    public var grade: Int
    public var onset: ClinicalDate
    public var resolution: ClinicalDate?
    public var seriousCriteria: [SeriousnessCriterion]
    /// When the site first knew the minimum criteria of a serious event (the 24-hour clock starts here).
    public var awareAt: Date?
    /// When the serious event was reported to the sponsor.
    public var reportedAt: Date?
    public var causalityLymphodepletion: Causality
    public var causalityCART: Causality
    public var causalityITP: Causality
    public var action: AdverseEventAction
    public var outcome: AdverseEventOutcome?
    public var version: Int
    public var updatedBy: String
    public var updatedAt: Date

    public var serious: Bool { !seriousCriteria.isEmpty }

    public init(id: String, participantID: ParticipantID, number: Int, meddraCode: String, term: String, specify: String?, grade: Int,
                onset: ClinicalDate, resolution: ClinicalDate?, seriousCriteria: [SeriousnessCriterion], awareAt: Date?, reportedAt: Date?,
                causalityLymphodepletion: Causality, causalityCART: Causality, causalityITP: Causality, action: AdverseEventAction,
                outcome: AdverseEventOutcome?, version: Int, updatedBy: String, updatedAt: Date) {
        self.id = id; self.participantID = participantID; self.number = number; self.meddraCode = meddraCode; self.term = term
        self.specify = specify; self.grade = grade; self.onset = onset; self.resolution = resolution; self.seriousCriteria = seriousCriteria
        self.awareAt = awareAt; self.reportedAt = reportedAt; self.causalityLymphodepletion = causalityLymphodepletion
        self.causalityCART = causalityCART; self.causalityITP = causalityITP; self.action = action; self.outcome = outcome
        self.version = version; self.updatedBy = updatedBy; self.updatedAt = updatedAt
    }

    /// The fields as audited (name → stored text), so an update audits exactly what changed.
    public var auditedFields: [(String, String?)] {
        [("term", "\(term) (MedDRA \(meddraCode))"), ("specify", specify), ("grade", String(grade)), ("onset", onset.description),
         ("resolution", resolution?.description), ("serious_criteria", seriousCriteria.isEmpty ? nil : seriousCriteria.map(\.rawValue).joined(separator: ",")),
         ("aware_at", awareAt.map { ISO8601DateFormatter().string(from: $0) }), ("reported_at", reportedAt.map { ISO8601DateFormatter().string(from: $0) }),
         ("causality_lymphodepletion", causalityLymphodepletion.rawValue), ("causality_cart", causalityCART.rawValue),
         ("causality_itp", causalityITP.rawValue), ("action", action.rawValue), ("outcome", outcome?.rawValue)]
    }
}
