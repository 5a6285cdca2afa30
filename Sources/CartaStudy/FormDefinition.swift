import CartaCore

/// A data-collection form (CRF page) and its items, in display order.
///
/// Source: DESIGN.md §1 (forms and items in the study file); CDISC ODM 1.3.2 FormDef/ItemDef.
public struct FormDefinition: Hashable, Sendable, Codable {
    /// Unique form OID, e.g. `F_LABS_HEM`.
    public var oid: String
    public var name: String
    public var help: String?
    public var items: [ItemDefinition]
    /// Who may answer the form: anyone who enters data, or only an investigator (attestations).
    public var entry: FormEntry = .anyone
}

/// Who answers a form.
///
/// Source: issue 7 (hole: a coordinator answered the investigator-only eligibility attestations such as
/// E16 "judged unsuitable by the investigator"); ICH E6(R3) 2.3 (eligibility is the investigator's judgement).
public enum FormEntry: String, Hashable, Sendable, Codable, CaseIterable {
    /// Any role that may enter data.
    case anyone
    /// Only an investigator or sub-investigator (permission `attestEligibility`).
    case investigator
    /// Written only by Carta's own calculation (a dose calculation and its verification), never typed.
    case computed
}

/// The value type of an item.
///
/// Source: CDISC ODM 1.3.2 DataType (subset); issue 2 scope item 2.
public enum ItemType: String, Hashable, Sendable, Codable, CaseIterable {
    case decimal, integer, text, boolean, date, code

    /// True for `decimal` and `integer`.
    public var isNumeric: Bool { self == .decimal || self == .integer }
}

/// A closed numeric interval; either end may be open-ended (nil).
///
/// Source: spec/clinical.md §6.5 (block outside / warn); issue 2 ("soft range warnings vs hard limits").
public struct ValueRange: Hashable, Sendable, Codable {
    public var min: Double?
    public var max: Double?

    /// Creates a range; at least one end should be given.
    public init(min: Double?, max: Double?) { self.min = min; self.max = max }

    /// True when `x` lies inside the range (ends included).
    public func contains(_ x: Double) -> Bool {
        (min.map { x >= $0 } ?? true) && (max.map { x <= $0 } ?? true)
    }

    /// True when this range lies inside `other`.
    public func isWithin(_ other: ValueRange) -> Bool {
        let lowOK = other.min.map { o in min.map { $0 >= o } ?? false } ?? true
        let highOK = other.max.map { o in max.map { $0 <= o } ?? false } ?? true
        return lowOK && highOK
    }

    /// Printed form with a unit: `20–250 g/L`, `≥ 0 g/L`, `≤ 100%`.
    public func text(unit: String) -> String {
        let f = { (x: Double) in EligibilityFormat.quantity(x, unit) }
        switch (min, max) {
        case let (lo?, hi?):
            let u = EligibilityFormat.displayUnit(unit)
            let tail = u.isEmpty ? "" : (u == "%" ? "%" : " " + u)
            return "\(EligibilityFormat.number(lo))–\(EligibilityFormat.number(hi))\(tail)"
        case let (lo?, nil): return "≥ " + f(lo)
        case let (nil, hi?): return "≤ " + f(hi)
        case (nil, nil): return "any value"
        }
    }
}

/// One entry of an item's code list.
///
/// Source: CDISC ODM 1.3.2 CodeListItem.
public struct CodeListEntry: Hashable, Sendable, Codable {
    public var code: String
    public var label: String
}

/// A typed data item with its unit, ranges, codes and terminology mapping.
///
/// Numeric ranges are in the analyte's standard unit (or the item's unit when it has no analyte).
/// Source: DESIGN.md §1; spec/clinical.md §10.2 (LOINC, UCUM) and §10.3 (units).
public struct ItemDefinition: Hashable, Sendable, Codable {
    /// Unique item OID, e.g. `HGB`; eligibility rules and stored values refer to it.
    public var oid: String
    /// The question or field name shown to the user and used in messages.
    public var label: String
    public var type: ItemType
    /// The analyte whose unit conversions apply (numeric lab items).
    public var analyte: Analyte?
    /// Default (and, for analytes, usually standard) unit as a UCUM code.
    public var unit: String?
    /// Further units a value may be entered in (converted to the standard unit on entry).
    public var allowedUnits: [String]
    public var loinc: String?
    /// Values outside are rejected.
    public var hardRange: ValueRange?
    /// Values outside are accepted with a warning.
    public var softRange: ValueRange?
    /// Allowed codes for `code` items.
    public var codeList: [CodeListEntry]
    /// Whether the item must be answered for the form to be complete.
    public var required: Bool
    /// Lab items: the lab's normal range (LLN/ULN) is entered with the value.
    public var collectsReferenceRange: Bool
    public var help: String?
    /// Whether the item is critical data that must be 100 % source-verified (issue 7 scope 6; ICH E6(R3) 3.11.4.1).
    public var critical: Bool = false
    /// A date item whose value may lie after today (a planned date). Every other date records something that happened,
    /// so a date after the site's today is saved with a warning to confirm it (a mistyped year dates a visit in the future).
    public var futureAllowed: Bool = false
    /// A person's age in whole years: a Safe Harbor export writes 90 for any age of 90 or more (45 CFR 164.514(b)(2)(i)(C):
    /// ages over 89 aggregated into one category of 90 or older).
    public var ageInYears: Bool = false

    /// The unit values are compared and stored in: the analyte's standard unit, else the item's unit.
    public var standardUnit: String? { analyte?.standardUnit ?? unit }
}
