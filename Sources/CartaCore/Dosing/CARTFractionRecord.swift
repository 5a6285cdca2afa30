import Foundation

/// What was done for one fraction: the assessment before it and the cells delivered.
///
/// Source: spec/clinical.md §6.4 ("plus actuals"; "the reason is recorded").
public struct CARTFractionRecord: Codable, Sendable, Equatable {
    /// ASTCT CRS grade just before the fraction (0 = none).
    public var crsGradeBefore: Int?
    /// ASTCT ICANS grade just before the fraction (0 = none).
    public var icansGradeBefore: Int?
    /// The investigator's decision when the rule leaves it to them.
    public var investigatorDecision: InvestigatorDecision?
    /// Why the investigator decided so (required with `investigatorDecision`).
    public var investigatorReason: String?
    /// Total viable cells actually infused in this fraction.
    public var deliveredTotalCells: Double?

    /// An investigator's choice for a fraction left to them.
    public enum InvestigatorDecision: String, Codable, Sendable, CaseIterable { case give, hold }

    /// Memberwise initialiser (values are validated when computed).
    public init(crsGradeBefore: Int? = nil, icansGradeBefore: Int? = nil, investigatorDecision: InvestigatorDecision? = nil,
                investigatorReason: String? = nil, deliveredTotalCells: Double? = nil) {
        self.crsGradeBefore = crsGradeBefore; self.icansGradeBefore = icansGradeBefore
        self.investigatorDecision = investigatorDecision; self.investigatorReason = investigatorReason
        self.deliveredTotalCells = deliveredTotalCells
    }
}
