import Foundation

/// A vasopressor named in a CRS assessment; vasopressin is kept apart because ASTCT does not count it
/// toward "multiple vasopressors".
///
/// Source: spec/clinical.md §5.1 (ASTCT 2019: grade 3 "one vasopressor with or without vasopressin",
/// grade 4 "multiple vasopressors (excluding vasopressin)").
public enum Vasopressor: String, CaseIterable, Codable, Sendable {
    case norepinephrine, epinephrine, phenylephrine, dopamine, vasopressin

    /// True for every agent except vasopressin (the ones counted toward "multiple").
    public var countsTowardMultiple: Bool { self != .vasopressin }

    /// Parses an agent name, case-insensitive, accepting the INN and the British names
    /// (`noradrenaline`, `adrenaline`); other names (e.g. dobutamine, an inotrope) are not accepted.
    public init?(name: String) {
        let s = name.trimmingCharacters(in: .whitespaces).lowercased()
        switch s {
        case "norepinephrine", "noradrenaline": self = .norepinephrine
        case "epinephrine", "adrenaline": self = .epinephrine
        case "phenylephrine": self = .phenylephrine
        case "dopamine": self = .dopamine
        case "vasopressin", "argipressin": self = .vasopressin
        default: return nil
        }
    }
}
