import CartaCore
import CartaModel
import Foundation

/// The outcome of checking one entered value against its item definition.
///
/// Source: issue 2 scope item 6 ("server-side validation with messages that name the field and the
/// rule; soft range warnings vs hard limits").
public enum ItemCheck: Hashable, Sendable {
    /// The value is acceptable; `warnings` name soft-range breaches to confirm.
    /// The value is the one measured-value type carried from entry to report (`MeasuredValue`).
    case valid(MeasuredValue, warnings: [String])
    /// The value is rejected; the message names the field and the rule.
    case invalid(String)
}

extension ItemDefinition {
    /// Checks a raw entered value (and optional unit; nil or empty means the item's default unit).
    ///
    /// The longest free-text value kept, in characters. A free-text item is a note beside coded data, not a document;
    /// without a limit a 1 MiB request body was stored as one value and repeated in every export and audit record.
    /// 4,000 is the usual ceiling of an EDC text field (a database VARCHAR), far above any note this study's forms ask for.
    public static let maxTextLength = 4_000

    /// A blank value is invalid when the item is required, otherwise valid with empty text.
    /// Source: issue 2 scope item 2 ("item value checking"); spec/clinical.md §10.3.
    public func check(raw: String, unit enteredUnit: String?) -> ItemCheck {
        let s = raw.trimmedOfWhitespace()
        let u = enteredUnit?.trimmedOfWhitespace(newlines: false).nilIfEmpty
        if s.isEmpty {
            return required ? .invalid("\(label) is required")
                : .valid(MeasuredValue(text: ""), warnings: [])
        }
        if !type.isNumeric, let u {
            return .invalid("\(label) takes no unit (got \(u.quotedForMessage))")
        }
        func plain(_ text: String) -> ItemCheck {
            .valid(MeasuredValue(text: text), warnings: [])
        }
        switch type {
        case .text:
            // Free text may span lines; other control and invisible format characters are refused
            // (issue 7: NUL and control characters were stored). Source: Unicode TR #36 §3.
            if s.hasControlOrInvisibleCharacters(allowingLineBreaks: true) {
                return .invalid("\(label) contains control or invisible characters; retype it")
            }
            guard s.count <= Self.maxTextLength else {
                return .invalid("\(label) is \(s.count) characters long; at most \(Self.maxTextLength) are kept: shorten it, "
                                + "and keep a longer document in the source record it comes from")
            }
            return plain(s)
        case .boolean:
            switch s.lowercased() {
            case "true", "yes", "y", "1": return plain("true")
            case "false", "no", "n", "0": return plain("false")
            default: return .invalid("\(label) must be yes or no (got \(s.quotedForMessage))")
            }
        case .date:
            guard let d = ClinicalDate(iso: s) else {
                return .invalid("\(label) must be a calendar date YYYY-MM-DD (got \(s.quotedForMessage))")
            }
            // A clinical-trial date before 1900 or after 2100 is a typing error (issue 7: a consent date
            // of 1800-01-01 gave an "age of −181 years"; 9999-12-31 was accepted).
            guard (1900...2100).contains(d.year) else {
                return .invalid("\(label) \(d) is not a plausible date (years 1900–2100); check the year")
            }
            return plain(d.description)
        case .code:
            if let e = codeList.first(where: { $0.code == s }) ?? codeList.first(where: { $0.code.lowercased() == s.lowercased() }) {
                return plain(e.code)
            }
            let allowed = codeList.map { "\($0.code) (\($0.label))" }.joined(separator: ", ")
            return .invalid("\(label) \(s.quotedForMessage) is not one of \(allowed)")
        case .decimal, .integer:
            return checkNumber(s, unit: u)
        }
    }

    private func checkNumber(_ s: String, unit entered: String?) -> ItemCheck {
        let number: Double
        if type == .integer {
            guard let i = Int(s) else { return .invalid("\(label) must be a whole number (got \(s.quotedForMessage))") }
            number = Double(i)
        } else {
            guard Self.isDecimalLiteral(s), let d = Double(s), d.isFinite else {
                return .invalid("\(label) must be a number such as 12.5 (got \(s.quotedForMessage))")
            }
            number = d
        }
        let unit = entered ?? self.unit
        var standard = number
        if let analyte {
            guard let unit else { return .invalid("\(label) needs a unit; use one of \(acceptedUnits.joined(separator: ", "))") }
            guard acceptsUnit(unit), let v = try? UnitConversion.toStandard(number, unit: unit, analyte: analyte, field: oid) else {
                return .invalid("\(label): unit \(unit.quotedForMessage) is not accepted; use one of \(acceptedUnits.joined(separator: ", "))")
            }
            standard = v
        } else if let entered, entered != self.unit, !allowedUnits.contains(entered) {
            return .invalid("\(label): unit \(entered.quotedForMessage) is not accepted; use \(self.unit ?? "no unit")")
        }
        let stdUnit = standardUnit ?? ""
        // The texts below are built only for a value outside a range: most values are inside, and building them
        // (formatting, and trying every other unit for the hint) cost more than the check itself.
        func shown() -> String {
            let asEntered = EligibilityFormat.quantity(number, unit ?? "")
            guard let analyte, let unit, !Self.sameUnit(unit, analyte.standardUnit, analyte) else { return asEntered }
            return "\(asEntered) (\(EligibilityFormat.quantity(standard, stdUnit)))"
        }
        // A number impossible or unusual in its unit but ordinary in another names that unit (issue 8 "Bad input").
        func hint() -> String? { unit.flatMap { likelyUnitHint(for: number, entered: $0) } }
        if let hard = hardRange, !hard.contains(standard) {
            return .invalid("\(label) \(shown()) is outside the accepted range \(hard.text(unit: stdUnit))"
                            + (hint().map { "; \($0) Choose the unit the lab reported." } ?? ""))
        }
        var warnings: [String] = []
        if let soft = softRange, !soft.contains(standard) {
            warnings.append("\(label) \(shown()) is outside the expected range \(soft.text(unit: stdUnit)); please confirm" + (hint().map { ". \($0)" } ?? ""))
        }
        let text = type == .integer ? String(Int(number)) : s
        return .valid(MeasuredValue(text: text, unit: unit, standardValue: standard, standardUnit: standardUnit),
                      warnings: warnings)
    }

    /// True for `[+-]?(digits[.digits?] | .digits)([eE][+-]?digits)?` — a plain decimal as people type it
    /// (no `inf`, `nan`, hex or spaces, which `Double.init` would also accept). A scanner, not a regex:
    /// this runs for every value a page shows.
    static func isDecimalLiteral(_ s: String) -> Bool {
        let b = Array(s.utf8)
        var i = 0
        func digits() -> Int {
            let start = i
            while i < b.count, b[i] >= UInt8(ascii: "0"), b[i] <= UInt8(ascii: "9") { i += 1 }
            return i - start
        }
        if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
        let whole = digits()
        var fraction = 0
        if i < b.count, b[i] == UInt8(ascii: ".") { i += 1; fraction = digits() }
        guard whole > 0 || fraction > 0 else { return false }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { return false }
        }
        return i == b.count
    }

    /// Units a value of this item may be entered in: the default unit first, then `allowedUnits`.
    public var acceptedUnits: [String] {
        var out: [String] = []
        for u in [unit].compactMap({ $0 }) + allowedUnits where !out.contains(u) { out.append(u) }
        return out
    }

    /// True when `u` is a spelling of one of the accepted units.
    func acceptsUnit(_ u: String) -> Bool {
        guard let analyte else { return acceptedUnits.contains(u) }
        guard let rule = try? UnitConversion.rule(unit: u, analyte: analyte, field: "unit") else { return false }
        return acceptedUnits.contains { (try? UnitConversion.rule(unit: $0, analyte: analyte, field: "unit")).map { Self.sameConversion($0, rule) } == true }
    }

    /// Two spellings denote the same unit of `analyte` when they map to the standard unit identically.
    static func sameUnit(_ a: String, _ b: String, _ analyte: Analyte) -> Bool {
        guard let ra = try? UnitConversion.rule(unit: a, analyte: analyte, field: "unit"),
              let rb = try? UnitConversion.rule(unit: b, analyte: analyte, field: "unit") else { return false }
        return sameConversion(ra, rb)
    }

    /// Whether two rules map 0 and 1 to the same standard values (`toStandard` is `value × factor + offset`).
    static func sameConversion(_ a: UnitConversion.Rule, _ b: UnitConversion.Rule) -> Bool {
        a.offset == b.offset && 1 * a.factor + a.offset == 1 * b.factor + b.offset
    }

    /// The eligibility observation for a checked value; reference limits are in the entered unit
    /// and are standardised with the value. Returns nil for blank values and free text.
    ///
    /// Source: spec/clinical.md §10.3 ("keep reference ranges in both" units).
    public func observation(of value: MeasuredValue) -> Observation? {
        guard !value.text.isEmpty else { return nil }
        switch type {
        case .text: return nil
        case .boolean: return .boolean(value.text == "true")
        case .date: return ClinicalDate(iso: value.text).map { .date($0) }
        case .code: return .code(value.text)
        case .decimal, .integer:
            guard let std = value.standardValue else { return nil }
            func convert(_ x: Double?) -> Double? {
                guard let x else { return nil }
                guard let analyte, let u = value.unit else { return x }
                return try? UnitConversion.toStandard(x, unit: u, analyte: analyte)
            }
            return .number(value: std, unit: value.standardUnit ?? "", lowerLimitNormal: convert(value.lowerLimitNormal),
                           upperLimitNormal: convert(value.upperLimitNormal))
        }
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
