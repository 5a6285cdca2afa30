import Foundation

/// One planned CAR-T fraction: protocol day and percentage of the total dose.
///
/// Source: spec/clinical.md §6.4 ("model a plan as an ordered list of fractions (planned day,
/// planned %)"; default 10/30/60 % on Days 0/1/2, Penn fractionation [R]).
public struct CARTFraction: Codable, Sendable, Hashable {
    /// Protocol day (Day 0 = first fraction).
    public var protocolDay: Int
    /// Share of the total planned dose, percent.
    public var percent: Double
    /// Memberwise initialiser (values are validated when computed).
    public init(protocolDay: Int, percent: Double) { self.protocolDay = protocolDay; self.percent = percent }
}
