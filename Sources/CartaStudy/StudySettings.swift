/// The study-level choices that spec/clinical.md leaves open ([D] design decisions and [?]
/// readings), by name, each with its spec default.
///
/// Source: spec/clinical.md §0.1 ("[D] … make it configurable"); DESIGN.md §1.
public struct StudySettings: Hashable, Sendable, Codable {
    /// A setting value.
    ///
    /// Source: spec/clinical.md §0.1.
    public enum Value: Hashable, Sendable, Codable, CustomStringConvertible {
        case choice(String)
        case integer(Int)
        case number(Double)
        case flag(Bool)

        public var description: String {
            switch self {
            case .choice(let s): return s
            case .integer(let i): return String(i)
            case .number(let d): return String(d)
            case .flag(let b): return String(b)
            }
        }
    }

    /// Every setting by name; names missing from the file hold their default.
    public var values: [String: Value]

    /// Settings with every default.
    ///
    /// Source: spec/clinical.md (defaults as listed in `SettingDefinition.all`).
    public static var defaults: StudySettings {
        StudySettings(values: Dictionary(uniqueKeysWithValues: SettingDefinition.all.map { ($0.name, $0.defaultValue) }))
    }

    /// The value of setting `name` (nil for an unknown name).
    public subscript(name: String) -> Value? { values[name] }

    /// §0.4 E8 [?]: `either` (ALT or AST > 3×ULN excludes, default) or `both`.
    public var transaminaseReading: String { choice("transaminaseReading") }
    /// §0.4 E9 [?]: `aboveUpperLimit` (> 1.2×ULN, default) or `outsideRange` (also < 0.8×LLN).
    public var coagulationReading: String { choice("coagulationReading") }
    /// §0.4 E11 [D]: days before the planned infusion that another study excludes (default 90).
    public var priorStudyWindowDays: Int { integer("priorStudyWindowDays") }

    /// The choice value of `name`, or its default when unset.
    public func choice(_ name: String) -> String {
        if case .choice(let s)? = values[name] ?? SettingDefinition.named(name)?.defaultValue { return s }
        return ""
    }

    /// The integer value of `name`, or its default when unset.
    public func integer(_ name: String) -> Int {
        if case .integer(let i)? = values[name] ?? SettingDefinition.named(name)?.defaultValue { return i }
        return 0
    }

    /// The numeric value of `name` (integers widen), or its default when unset.
    public func number(_ name: String) -> Double {
        switch values[name] ?? SettingDefinition.named(name)?.defaultValue {
        case .number(let d)?: return d
        case .integer(let i)?: return Double(i)
        default: return 0
        }
    }

    /// The flag value of `name`, or its default when unset.
    public func flag(_ name: String) -> Bool {
        if case .flag(let b)? = values[name] ?? SettingDefinition.named(name)?.defaultValue { return b }
        return false
    }
}

/// The definition of one known setting: its kind, default and the spec section it comes from.
///
/// Source: spec/clinical.md, the [D] and [?] tags of §0.3, §0.4, §1.5–1.6, §3, §4.4, §6.1–6.4.
public struct SettingDefinition: Sendable {
    /// What values a setting takes.
    ///
    /// Source: spec/clinical.md §0.1.
    public enum Kind: Sendable {
        case choice([String])
        case integer(ClosedRange<Int>)
        case number(ClosedRange<Double>)
        case flag
    }

    public let name: String
    public let kind: Kind
    public let defaultValue: StudySettings.Value
    /// Spec section and tag, e.g. "§0.4 E8 [?]".
    public let source: String
    public let summary: String

    /// The definition named `name`.
    public static func named(_ name: String) -> SettingDefinition? { all.first { $0.name == name } }

    /// Every known setting.
    public static let all: [SettingDefinition] = [
        .init(name: "transaminaseReading", kind: .choice(["either", "both"]), defaultValue: .choice("either"),
              source: "§0.4 E8 [?]", summary: "ALT/AST > 3×ULN excludes when either exceeds, or only when both do"),
        .init(name: "coagulationReading", kind: .choice(["aboveUpperLimit", "outsideRange"]), defaultValue: .choice("aboveUpperLimit"),
              source: "§0.4 E9 [?]", summary: "PT/INR/APTT exclude when > 1.2×ULN, or also when < 0.8×LLN"),
        .init(name: "priorStudyWindowDays", kind: .integer(0...365), defaultValue: .integer(90),
              source: "§0.4 E11 [D]", summary: "\"within 3 months\" before the planned CAR-T infusion, in days"),
        .init(name: "ageAnchor", kind: .choice(["consent"]), defaultValue: .choice("consent"),
              source: "§0.4 I2 [D]", summary: "age is computed in completed years on the consent date"),
        .init(name: "dayZero", kind: .choice(["firstFraction"]), defaultValue: .choice("firstFraction"),
              source: "§0.3 [D]", summary: "Day 0 is the date of the first CAR-T fraction"),
        .init(name: "crPrimary", kind: .choice(["iwg", "protocolLiteral"]), defaultValue: .choice("iwg"),
              source: "§1.5 row 1 [?]", summary: "CR reported as primary: IWG (≥100 and no bleeding) or the literal registry text"),
        .init(name: "timeToResponseOrigin", kind: .choice(["dayZero", "firstLymphodepletion"]), defaultValue: .choice("dayZero"),
              source: "§1.5 row 5 [D]", summary: "origin of time to response (sensitivity: first LD dose)"),
        .init(name: "transfusionWindowDays", kind: .integer(0...60), defaultValue: .integer(7),
              source: "§1.6 [D]", summary: "platelet counts this many days after a transfusion are non-evaluable"),
        .init(name: "rescueWindowDays", kind: .integer(0...180), defaultValue: .integer(56),
              source: "§1.6 [D]", summary: "counts this many days after rescue therapy are non-evaluable (alternative 28)"),
        .init(name: "requireNoInterveningFailure", kind: .flag, defaultValue: .flag(true),
              source: "§1.6 [D]", summary: "a confirmed response needs no evaluable assessment below the level between the pair"),
        .init(name: "responseDoublingFactor", kind: .number(1...10), defaultValue: .number(2),
              source: "§1.6 [?]", summary: "\"at least a 2-fold increase\" read as P ≥ 2 × baseline (alternative 3)"),
        .init(name: "responseHorizonDays", kind: .integer(1...400), defaultValue: .integer(183),
              source: "§1.6 [D]", summary: "best overall response counted over Days 0–183 (6 months)"),
        .init(name: "bsaFormula", kind: .choice(["mosteller", "duBois", "haycock", "gehanGeorge", "stevenson"]),
              defaultValue: .choice("mosteller"), source: "§6.1 [D]", summary: "body surface area formula"),
        .init(name: "fludarabineRoundingMg", kind: .number(0.1...100), defaultValue: .number(1),
              source: "§6.2 [D]", summary: "fludarabine daily dose rounded to this many mg"),
        .init(name: "cyclophosphamideRoundingMg", kind: .number(0.1...100), defaultValue: .number(10),
              source: "§6.2 [D]", summary: "cyclophosphamide daily dose rounded to this many mg"),
        .init(name: "maxRoundingDeviationPercent", kind: .number(0...50), defaultValue: .number(5),
              source: "§6.2 [D]", summary: "block when the rounded dose differs from the calculated dose by more"),
        .init(name: "weightChangeRecalculatePercent", kind: .number(0...50), defaultValue: .number(10),
              source: "§6.2 [D]", summary: "recalculate doses when weight changes by more than this"),
        .init(name: "crclWeight", kind: .choice(["actual", "ideal"]), defaultValue: .choice("actual"),
              source: "§6.3 [D]", summary: "body weight used in Cockcroft–Gault"),
        .init(name: "fludarabineRenalRule", kind: .choice(["fludaraLabelProportional"]), defaultValue: .choice("fludaraLabelProportional"),
              source: "§6.3 [D]", summary: "fludarabine reduction by CrCl (Fludara label, proportional for 30 mg/m²)"),
        .init(name: "carTDoseBasis", kind: .choice(["totalTCells", "carPositiveTCells"]), defaultValue: .choice("totalTCells"),
              source: "§6.4 [?]", summary: "what \"cells/kg\" counts; both are stored"),
        .init(name: "crsHoldMinGrade", kind: .integer(1...4), defaultValue: .integer(2),
              source: "§6.4 [D]", summary: "hold remaining CAR-T fractions at this ASTCT CRS grade or higher"),
        .init(name: "holdOnAnyICANS", kind: .flag, defaultValue: .flag(true),
              source: "§6.4 [D]", summary: "hold remaining fractions on any ICANS"),
        .init(name: "questionnaireMinAnsweredFraction", kind: .number(0...1), defaultValue: .number(0.5),
              source: "§3 [D]", summary: "ITP-PAQ scale scored when at least this share of items is answered"),
        .init(name: "aeCollectionStart", kind: .choice(["consent"]), defaultValue: .choice("consent"),
              source: "§4.4 [D]", summary: "AEs collected from informed consent (treatment-emergent from first LD dose)"),
    ]
}
