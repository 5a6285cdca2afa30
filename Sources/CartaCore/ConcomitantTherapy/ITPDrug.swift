import Foundation

/// Class of a concomitant ITP drug, deciding how its dose intensity is expressed.
///
/// Source: spec/clinical.md §9.1 (classes), §9.3 item 1 (dose-intensity units per class).
public enum ITPDrugClass: String, Codable, Sendable, CaseIterable {
    /// Prednisone-equivalent mg/day.
    case corticosteroid
    /// Fraction of the labelled maximum dose.
    case thrombopoietinReceptorAgonist
    /// Native units per day.
    case other
}

/// A known concomitant ITP drug: its class, the dose unit it is recorded in, and dose → intensity factor.
///
/// Source: spec/clinical.md §9.1, §9.2 (steroid factors), §9.3 item 1 (TPO-RA labelled maxima:
/// eltrombopag 75 mg/day, romiplostim 10 µg/kg/week, avatrombopag 40 mg/day, hetrombopag 7.5 mg/day,
/// rhTPO 300 U/kg/day).
public struct ITPDrug: Sendable, Equatable {
    /// Canonical lower-case name.
    public let name: String
    /// Drug class.
    public let drugClass: ITPDrugClass
    /// Unit the dose must be recorded in (`native` for "other" drugs: any one unit, used consistently).
    public let doseUnit: String
    /// Intensity = dose × factor.
    public let intensityFactor: Double
    /// Unit of the intensity.
    public let intensityUnit: String

    /// Every known drug; corticosteroids come from `Corticosteroid`.
    public static let all: [ITPDrug] = Corticosteroid.allCases.map {
        ITPDrug(name: $0.rawValue, drugClass: .corticosteroid, doseUnit: "mg/day", intensityFactor: $0.prednisoneFactor,
                intensityUnit: "mg/day prednisone-equivalent")
    } + [
        tpo("eltrombopag", "mg/day", 75), tpo("romiplostim", "ug/kg/week", 10), tpo("avatrombopag", "mg/day", 40),
        tpo("hetrombopag", "mg/day", 7.5), tpo("rhtpo", "U/kg/day", 300),
    ] + ["danazol", "ciclosporin", "azathioprine", "mycophenolate", "decitabine", "tretinoin", "vincristine",
         "fostamatinib", "rituximab", "ivig"].map {
        ITPDrug(name: $0, drugClass: .other, doseUnit: "native", intensityFactor: 1, intensityUnit: "native units/day")
    }

    private static func tpo(_ n: String, _ unit: String, _ max: Double) -> ITPDrug {
        ITPDrug(name: n, drugClass: .thrombopoietinReceptorAgonist, doseUnit: unit, intensityFactor: 1 / max,
                intensityUnit: "fraction of labelled maximum (\(max == max.rounded() ? String(Int(max)) : String(max)) \(unit))")
    }

    /// Finds a drug by name, case-insensitively, or throws `invalid_input` naming `field`.
    public static func named(_ name: String, field: String) throws -> ITPDrug {
        let key = name.trimmingCharacters(in: .whitespaces).lowercased()
        guard let d = all.first(where: { $0.name == key }) else {
            throw CalculatorError.invalid(field, "unknown ITP drug \"\(name)\"; known: \(all.map(\.name).joined(separator: ", ")) (spec/clinical.md §9.1–§9.3)")
        }
        return d
    }
}
