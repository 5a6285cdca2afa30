/// Tube anticoagulant of a platelet sample; EDTA counts can be falsely low (pseudothrombocytopenia).
///
/// Source: spec/clinical.md §1.6 (specimen anticoagulant input), §1.7 T12.
public enum Anticoagulant: String, Codable, Sendable, CaseIterable {
    case edta = "EDTA", citrate, heparin, unknown

    /// Preference when several counts share a date: lower wins (a non-EDTA repeat supersedes EDTA).
    @inlinable var preferenceRank: Int {
        switch self {
        case .citrate: return 0
        case .heparin: return 1
        case .unknown: return 2
        case .edta: return 3
        }
    }
}

/// One dated platelet count in 10^9/L, dated by `ClinicalDate.dayNumber`.
///
/// Source: spec/clinical.md §1.6 (inputs per subject).
public struct PlateletCount: Sendable, Equatable {
    /// `ClinicalDate.dayNumber` of the sample.
    public var dayNumber: Int
    /// Platelet count in 10^9/L.
    public var plateletsPer10e9L: Double
    /// Tube anticoagulant (`unknown` when not recorded).
    public var anticoagulant: Anticoagulant

    /// Creates a count.
    public init(dayNumber: Int, plateletsPer10e9L: Double, anticoagulant: Anticoagulant = .unknown) {
        self.dayNumber = dayNumber; self.plateletsPer10e9L = plateletsPer10e9L; self.anticoagulant = anticoagulant
    }
}
