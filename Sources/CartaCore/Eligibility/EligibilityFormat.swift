import Foundation

/// Prints numbers and quantities in eligibility reasons the way a coordinator reads them.
///
/// Source: issue 2 scope item 6 ("with the value and threshold that decided it").
public enum EligibilityFormat {
    /// A number without trailing zeros, rounded to at most 4 decimals: `95`, `1.5`, `199.5`.
    public static func number(_ x: Double) -> String {
        let r = (x * 10_000).rounded() / 10_000
        if r == r.rounded(), abs(r) < 1e15 { return String(Int64(r)) }
        return String(r)
    }

    /// A value with its unit in printed form: `95 g/L`, `1.5 ×10⁹/L`, `50%`, `1.1` (INR).
    public static func quantity(_ x: Double, _ unit: String) -> String {
        let u = displayUnit(unit)
        if u.isEmpty { return number(x) }
        return u == "%" ? number(x) + "%" : number(x) + " " + u
    }

    /// The printed form of a UCUM unit code (`umol/L` → `µmol/L`, `10*9/L` → `×10⁹/L`, `Cel` → `°C`).
    public static func displayUnit(_ ucum: String) -> String {
        switch ucum {
        case "10*9/L": return "×10⁹/L"
        case "10*3/uL": return "×10³/µL"
        case "Cel": return "°C"
        case "{INR}", "1", "": return ""
        case "[degF]": return "°F"
        case "/uL": return "/µL"
        case "/mm3": return "/mm³"
        case "10*3/mm3": return "×10³/mm³"
        case "[lb_av]": return "lb"
        case "[in_i]": return "in"
        default:
            // Only units with a "u" prefix change; most (g/L, %, kg, s) pass through without a search.
            guard ucum.utf8.contains(UInt8(ascii: "u")) else { return ucum }
            return ucum.replacingOccurrences(of: "umol", with: "µmol").replacingOccurrences(of: "ug/", with: "µg/")
                .replacingOccurrences(of: "ukat", with: "µkat")
        }
    }
}
