/// The schedule of events relative to Day 0 (first CAR-T infusion). Minimal here; the
/// "trial conduct" issue adds assessments per visit.
///
/// Source: spec/clinical.md §0.3 (time axis) and §7 (visit windows) [D].
public struct StudySchedule: Hashable, Sendable, Codable {
    /// What Day 0 is, in words.
    public var dayZero: String
    public var visits: [VisitDefinition]
}

/// A planned visit: nominal protocol day, allowed window, and the forms collected.
///
/// Source: spec/clinical.md §7.
public struct VisitDefinition: Hashable, Sendable, Codable {
    public var id: String
    public var name: String
    /// Nominal protocol day (Day 0 = first infusion; negative before).
    public var day: Int
    /// Days allowed before the nominal day.
    public var windowBefore: Int
    /// Days allowed after the nominal day.
    public var windowAfter: Int
    /// Form OIDs collected at this visit.
    public var forms: [String]

    /// The earliest and latest protocol day of the window.
    public var windowDays: ClosedRange<Int> { (day - windowBefore)...(day + windowAfter) }
}

/// The dosing regimen: lymphodepletion and the CAR-T dose plan. Minimal here.
///
/// Source: spec/clinical.md §0.2, §6.2, §6.4; registry record arm description.
public struct DosingPlan: Hashable, Sendable, Codable {
    public var lymphodepletion: [LymphodepletionAgent]
    public var carT: CarTDosePlan
}

/// One lymphodepleting drug: daily dose per m² and protocol days.
///
/// Source: spec/clinical.md §6.2 (fludarabine 30, cyclophosphamide 300 mg/m²/day, Days −5…−3).
public struct LymphodepletionAgent: Hashable, Sendable, Codable {
    public var drug: String
    public var doseMgPerM2PerDay: Double
    public var days: [Int]
}

/// The CAR-T dose range per kg and its split into fractions.
///
/// Source: spec/clinical.md §6.4 (1.0–2.0 × 10^7 cells/kg; 10/30/60% fractionation [R/D]).
public struct CarTDosePlan: Hashable, Sendable, Codable {
    public var minCellsPerKg: Double
    public var maxCellsPerKg: Double
    public var fractions: [DoseFractionPlan]
}

/// A planned fraction of the CAR-T dose.
///
/// Source: spec/clinical.md §6.4.
public struct DoseFractionPlan: Hashable, Sendable, Codable {
    /// Planned protocol day.
    public var day: Int
    /// Share of the total dose in percent.
    public var percent: Double
}
