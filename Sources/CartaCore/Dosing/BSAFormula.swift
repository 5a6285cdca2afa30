import Foundation

/// A body-surface-area formula (height in cm, weight in kg, result in m²); a study-level setting.
///
/// Source: spec/clinical.md §6.1 (formulas [V], default Mosteller [D]); Mosteller 1987,
/// DuBois & DuBois 1916, Haycock 1978, Gehan & George 1970, Stevenson 1937.
public enum BSAFormula: String, CaseIterable, Codable, Sendable {
    case mosteller
    case dubois
    case haycock
    case gehanGeorge
    case stevenson

    /// The study default when the study file names no formula.
    /// Source: spec/clinical.md §6.1 ("default Mosteller [D]").
    public static let studyDefault: BSAFormula = .mosteller

    /// Unrounded BSA in m² for `heightCm` and `weightKg` (no validation; see `BodySurfaceArea`).
    /// Source: spec/clinical.md §6.1 table.
    public func bsaM2(heightCm h: Double, weightKg w: Double) -> Double {
        switch self {
        case .mosteller: return (h * w / 3600).squareRoot()
        case .dubois: return 0.007184 * pow(h, 0.725) * pow(w, 0.425)
        case .haycock: return 0.024265 * pow(h, 0.3964) * pow(w, 0.5378)
        case .gehanGeorge: return 0.0235 * pow(h, 0.42246) * pow(w, 0.51456)
        case .stevenson: return 0.0061 * h + 0.0128 * w - 0.1529
        }
    }

    /// Human-readable name with its expression, for rule texts.
    public var label: String {
        switch self {
        case .mosteller: return "Mosteller √(H×W/3600)"
        case .dubois: return "DuBois 0.007184×H^0.725×W^0.425"
        case .haycock: return "Haycock 0.024265×H^0.3964×W^0.5378"
        case .gehanGeorge: return "Gehan–George 0.0235×H^0.42246×W^0.51456"
        case .stevenson: return "Stevenson 0.0061×H+0.0128×W−0.1529"
        }
    }
}

extension BSAFormula {
    /// Decodes a raw value, naming the accepted formulas when it is unknown.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let f = BSAFormula(rawValue: s) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription:
                "unknown BSA formula \"\(s)\"; use one of \(BSAFormula.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = f
    }
}
