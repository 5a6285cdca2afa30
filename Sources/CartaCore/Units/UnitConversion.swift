import Foundation

/// Converts a value entered in any accepted unit to the analyte's standard unit, and back.
///
/// Source: spec/clinical.md §10.3 (exact factors). Unknown units are errors, never guesses.
/// Unit spellings accepted: the UCUM code plus common printed forms (`10^9/L`, `µmol/L`, `°C`).
public enum UnitConversion {
    /// A linear map `standard = value × factor + offset`.
    /// `standard = value × factor + offset`.
    public struct Rule: Sendable { public let factor: Double; public let offset: Double }

    /// Converts `value` in `unit` to `analyte.standardUnit`.
    /// - Throws: `CalculatorError` with code `unknown_unit` naming `field`.
    public static func toStandard(_ value: Double, unit: String, analyte: Analyte, field: String = "unit") throws -> Double {
        let r = try rule(unit: unit, analyte: analyte, field: field)
        return value * r.factor + r.offset
    }

    /// Converts a standard-unit value of `analyte` to `unit`.
    public static func fromStandard(_ value: Double, unit: String, analyte: Analyte, field: String = "unit") throws -> Double {
        let r = try rule(unit: unit, analyte: analyte, field: field)
        return (value - r.offset) / r.factor
    }

    /// The canonical (UCUM) spellings accepted for `analyte`, standard unit first.
    public static func acceptedUnits(for analyte: Analyte) -> [String] {
        table(analyte).map(\.0)
    }

    /// True when `unit` is an accepted spelling for `analyte`.
    public static func accepts(_ unit: String, for analyte: Analyte) -> Bool {
        (try? rule(unit: unit, analyte: analyte, field: "unit")) != nil
    }

    /// The conversion of `unit` to the standard unit of `analyte`.
    /// - Throws: `CalculatorError` with code `unknown_unit` naming `field`.
    public static func rule(unit: String, analyte: Analyte, field: String) throws -> Rule {
        if let rule = rulesByNormalisedCode[analyte]?[normalise(unit)] { return rule }
        throw CalculatorError(
            code: "unknown_unit",
            message: "\(field): unit \"\(unit)\" is not accepted for \(analyte.rawValue); use one of \(acceptedUnits(for: analyte).joined(separator: ", "))",
            field: field)
    }

    /// Every analyte's rules keyed by the normalised spelling of their UCUM code: a constant table, built once.
    static let rulesByNormalisedCode: [Analyte: [String: Rule]] = Dictionary(uniqueKeysWithValues: Analyte.allCases.map { a in
        (a, Dictionary(table(a).map { (normalise($0.0), $0.1) }, uniquingKeysWith: { first, _ in first }))
    })

    /// Folds printed spellings onto UCUM: `µ`/`μ`→`u`, `^`→`*`, superscripts `⁹ ³`, `×`, spaces and `x10` prefixes dropped, case-insensitive.
    static func normalise(_ unit: String) -> String {
        // Most units arrive as plain ASCII UCUM codes (`10*9/L`, `umol/L`): lower-casing is all they need.
        // Byte by byte: this runs for every value checked, and Foundation's search was most of its cost.
        if unit.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f && $0 != UInt8(ascii: "^") }),
           !unit.utf8.starts(with: "x10".utf8), !unit.utf8.starts(with: "X10".utf8) {
            let lower = unit.utf8.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 + 32 : $0 }
            var out: [UInt8] = []
            out.reserveCapacity(lower.count)
            var i = 0
            while i < lower.count {
                if i + 2 < lower.count, lower[i] == UInt8(ascii: "i"), lower[i + 1] == UInt8(ascii: "u"), lower[i + 2] == UInt8(ascii: "/") {
                    out.append(UInt8(ascii: "u")); out.append(UInt8(ascii: "/")); i += 3
                } else {
                    out.append(lower[i]); i += 1
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
        var s = unit.trimmingCharacters(in: .whitespaces).lowercased()
        s = s.replacingOccurrences(of: "µ", with: "u").replacingOccurrences(of: "μ", with: "u")
        s = s.replacingOccurrences(of: "^", with: "*").replacingOccurrences(of: " ", with: "")
        // Superscripts as printed on lab reports: 10⁹/L, 10³/µL, /mm³.
        s = s.replacingOccurrences(of: "10⁹", with: "10*9").replacingOccurrences(of: "10³", with: "10*3")
        s = s.replacingOccurrences(of: "³", with: "3")
        s = s.replacingOccurrences(of: "×", with: "")
        if s.hasPrefix("x10") { s.removeFirst() }
        s = s.replacingOccurrences(of: "°c", with: "cel").replacingOccurrences(of: "°f", with: "[degf]")
        s = s.replacingOccurrences(of: "iu/", with: "u/")
        return s
    }

    private static func linear(_ f: Double, _ o: Double = 0) -> Rule { Rule(factor: f, offset: o) }

    /// µmol/L per mg/dL of creatinine (molar mass 113.12 g/mol; spec §10.3).
    static let creatinineUmolPerLPerMgPerDL = 88.4

    // §10.3 factors. Each entry: (UCUM spelling, rule to the standard unit).
    static func table(_ a: Analyte) -> [(String, Rule)] {
        switch a {
        case .platelets, .wbc, .anc, .lymphocytes:
            // 1 × 10^9/L = 1 × 10^3/µL = 1000/mm³
            return [("10*9/L", linear(1)), ("10*3/uL", linear(1)), ("10*3/mm3", linear(1)),
                    ("/uL", linear(0.001)), ("/mm3", linear(0.001))]
        case .hemoglobin:
            // g/L = g/dL × 10; mmol/L (Fe) = g/dL × 0.6206
            return [("g/L", linear(1)), ("g/dL", linear(10)), ("mmol/L", linear(10 / 0.6206))]
        case .creatinine:
            return [("umol/L", linear(1)), ("mg/dL", linear(creatinineUmolPerLPerMgPerDL))]
        case .bilirubin:
            return [("umol/L", linear(1)), ("mg/dL", linear(17.1))]
        case .alt, .ast, .ldh:
            return [("U/L", linear(1)), ("ukat/L", linear(60))]
        case .igg, .iga, .igm, .fibrinogen:
            return [("g/L", linear(1)), ("mg/dL", linear(0.01))]
        case .crp:
            return [("mg/L", linear(1)), ("mg/dL", linear(10))]
        case .ferritin:
            return [("ug/L", linear(1)), ("ng/mL", linear(1))]
        case .il6:
            return [("pg/mL", linear(1)), ("ng/L", linear(1))]
        case .ddimer:
            return [("mg/L{FEU}", linear(1)), ("ug/mL{FEU}", linear(1)), ("ng/mL{FEU}", linear(0.001))]
        case .pt, .aptt:
            return [("s", linear(1))]
        case .inr:
            return [("{INR}", linear(1)), ("1", linear(1)), ("INR", linear(1))]
        case .temperature:
            // °F = °C × 9/5 + 32  ⇒  °C = (°F − 32) × 5/9
            return [("Cel", linear(1)), ("[degF]", linear(5.0 / 9.0, -32 * 5.0 / 9.0))]
        case .spo2, .lvef:
            return [("%", linear(1))]
        case .weight:
            return [("kg", linear(1)), ("g", linear(0.001)), ("[lb_av]", linear(0.45359237))]
        case .height:
            return [("cm", linear(1)), ("m", linear(100)), ("[in_i]", linear(2.54))]
        }
    }
}
