import Foundation

/// A CAR-T dose plan with actuals: target, fractions with the hold-rule decision, delivered vs planned.
///
/// Source: spec/clinical.md §6.4 (target = cells/kg × actual weight; fractions; CAR+ = total × CAR+ %;
/// hold rule; delivered = Σ actual fraction cells, delivered/planned %) and §6.5 (caps, warnings).
public struct CARTDosePlan: Encodable, Sendable, Equatable {
    /// The decision for one fraction.
    public enum DecisionKind: String, Encodable, Sendable {
        case give, investigatorDecides, hold, stop, notEvaluable, blockedByLimit
    }

    /// One fraction of the plan with its decision and actuals.
    public struct Fraction: Encodable, Sendable, Equatable {
        public let index: Int
        public let protocolDay: Int
        public let percent: Double
        public let plannedTotalCells: Double?
        public let plannedCarPositiveCells: Double?
        /// Planned cells of the dose basis per kg.
        public let plannedCellsPerKg: Double
        public let decision: DecisionKind
        public let reason: String
        /// Fields still needed to evaluate the hold rule (when `decision` is `notEvaluable`).
        public let missing: [String]
        public let deliveredTotalCells: Double?
        public let deliveredCarPositiveCells: Double?
    }

    public let weightKg: Double
    public let targetCellsPerKg: Double
    public let doseBasis: CARTDoseRegimen.DoseBasis
    /// CAR-positive share of the total cells, percent (transduction efficiency), when given.
    public let carPositivePercent: Double?
    public let plannedTotalCells: Double?
    public let plannedCarPositiveCells: Double?
    public let fractions: [Fraction]
    public let deliveredTotalCells: Double
    public let deliveredCarPositiveCells: Double?
    /// Delivered cells of the dose basis per kg.
    public let deliveredCellsPerKg: Double
    /// Planned minus delivered cells of the dose basis (never negative).
    public let remainingCells: Double
    public let deliveredPercentOfPlanned: Double
    /// True when every fraction was delivered or will not be given (hold/stop/blocked).
    public let complete: Bool
    public let requiresSecondPersonVerification: Bool
    public let warnings: [String]
}
