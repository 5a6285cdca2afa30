import Foundation

/// The [?] readings and [D] choices of the eligibility criteria that a study file sets; the study
/// loader resolves `choose` and `withinDays: {setting: …}` rules with them.
///
/// Decoding fills any missing key with its default, so a study file lists only what it changes.
/// Source: spec/clinical.md §0.4 (I2, E8, E9, E11).
public struct EligibilitySettings: Codable, Sendable, Hashable {
    /// How "ALT and AST > 3×ULN" excludes.
    /// Source: spec/clinical.md §0.4 E8 [?].
    public enum TransaminaseReading: String, Codable, Sendable, CaseIterable {
        /// Either value above 3×ULN excludes (conservative; default).
        case either
        /// Only both values above 3×ULN exclude (literal reading).
        case both
    }

    /// How "PT, INR or APTT exceeding 20%" excludes.
    /// Source: spec/clinical.md §0.4 E9 [?].
    public enum CoagulationReading: String, Codable, Sendable, CaseIterable {
        /// Above 1.2×ULN excludes (default).
        case aboveUpperLimit
        /// Also below 0.8×LLN excludes.
        case outsideRange
    }

    /// The date on which age is counted in completed years.
    /// Source: spec/clinical.md §0.4 I2 ("age at consent" [D]); read by `RuleEvaluator` (`EligibilityFacts.consentDate`).
    public enum AgeAnchor: String, Codable, Sendable, CaseIterable {
        /// The informed-consent date (the only anchor the evaluator implements).
        case consent
    }

    /// §0.4 E8 [?]: default `either`.
    public var transaminaseReading: TransaminaseReading = .either
    /// §0.4 E9 [?]: default `aboveUpperLimit`.
    public var coagulationReading: CoagulationReading = .aboveUpperLimit
    /// §0.4 E11 [D]: "within 3 months" before the planned infusion, in days (default 90, 0…365).
    public var priorStudyWindowDays: Int = 90
    /// §0.4 I2 [D]: age in completed years on the consent date.
    public var ageAnchor: AgeAnchor = .consent

    /// The spec's defaults.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable { case transaminaseReading, coagulationReading, priorStudyWindowDays, ageAnchor }

    /// Decodes, taking the default for every absent key.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = EligibilitySettings()
        transaminaseReading = try c.decodeIfPresent(TransaminaseReading.self, forKey: .transaminaseReading) ?? d.transaminaseReading
        coagulationReading = try c.decodeIfPresent(CoagulationReading.self, forKey: .coagulationReading) ?? d.coagulationReading
        priorStudyWindowDays = try c.decodeIfPresent(Int.self, forKey: .priorStudyWindowDays) ?? d.priorStudyWindowDays
        ageAnchor = try c.decodeIfPresent(AgeAnchor.self, forKey: .ageAnchor) ?? d.ageAnchor
    }

    /// Checks ranges; throws naming `prefix.key`.
    /// Source: spec/clinical.md §0.4 E11 (a window of whole days, at most a year).
    public func validate(prefix: String = "settings") throws {
        if !(0...365).contains(priorStudyWindowDays) {
            throw CalculatorError.outOfRange("\(prefix).priorStudyWindowDays", "must be an integer 0…365 (got \(priorStudyWindowDays))")
        }
    }

    /// The `choose`-able readings by name: their choices and the selected one.
    /// Source: docs/study-file.md "Rule kinds" (`choose`).
    public var readings: [String: (choices: [String], selected: String)] {
        ["transaminaseReading": (TransaminaseReading.allCases.map(\.rawValue), transaminaseReading.rawValue),
         "coagulationReading": (CoagulationReading.allCases.map(\.rawValue), coagulationReading.rawValue)]
    }

    /// The integer settings a `withinDays` rule may name.
    /// Source: docs/study-file.md "Rule kinds" (`withinDays`).
    public var dayWindows: [String: Int] { ["priorStudyWindowDays": priorStudyWindowDays] }
}
