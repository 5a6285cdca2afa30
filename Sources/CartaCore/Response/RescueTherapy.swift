/// Why a rescue or confounding therapy was given; decides whether it counts under rule E and
/// whether it censors duration of response.
///
/// Source: spec/clinical.md §1.6 rule E(b); §9.3 item 5.
public enum RescueReason: String, Codable, Sendable, CaseIterable {
    /// ITP rescue, new ITP drug or escalated ITP drug (a treatment-failure flag, censors DoR).
    case itp
    /// Corticosteroids or other drugs given for CRS.
    case crs
    /// Corticosteroids or other drugs given for ICANS.
    case icans
    /// Replacement (immunoglobulin-substitution) IVIG.
    case replacementIVIG
    /// Any other platelet-confounding exposure.
    case other
}

/// A rescue or confounding therapy from its first to its last dose (inclusive).
///
/// Source: spec/clinical.md §1.6 rule E(b) (window counted from the last dose, §1.7 T10).
public struct RescueTherapy: Sendable, Equatable {
    /// `dayNumber` of the first dose.
    public var startDayNumber: Int
    /// `dayNumber` of the last dose (equal to the start for a single dose).
    public var lastDoseDayNumber: Int
    /// Drug or class as recorded (for the explanation only).
    public var drug: String
    /// Why it was given.
    public var reason: RescueReason

    /// Creates a rescue exposure; `lastDoseDayNumber` defaults to the start.
    public init(startDayNumber: Int, lastDoseDayNumber: Int? = nil, drug: String, reason: RescueReason) {
        self.startDayNumber = startDayNumber; self.lastDoseDayNumber = lastDoseDayNumber ?? startDayNumber
        self.drug = drug; self.reason = reason
    }
}
