import Testing
@testable import CartaCore

/// spec/clinical.md §10.3: every conversion factor, both directions.
struct UnitConversionTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let analyte: Analyte
        let value: Double
        let unit: String
        let standard: Double
        var testDescription: String { "\(value) \(unit) \(analyte.rawValue) = \(standard) \(analyte.standardUnit)" }
    }

    // spec/clinical.md §10.3 table, one row per factor (and the printed spellings it implies).
    static let cases: [Case] = [
        // Platelets, WBC, ANC: 1 × 10^9/L = 1 × 10^3/µL = 1000/mm³ (75 × 10^9/L = 75,000/mm³)
        Case(analyte: .platelets, value: 75, unit: "10*3/uL", standard: 75),
        Case(analyte: .platelets, value: 75_000, unit: "/mm3", standard: 75),
        Case(analyte: .platelets, value: 75_000, unit: "/uL", standard: 75),
        Case(analyte: .platelets, value: 75, unit: "10^9/L", standard: 75),
        Case(analyte: .platelets, value: 75, unit: "×10^9/L", standard: 75),
        Case(analyte: .wbc, value: 4.5, unit: "10^3/µL", standard: 4.5),
        Case(analyte: .anc, value: 500, unit: "/mm³", standard: 0.5),
        Case(analyte: .platelets, value: 20, unit: "10⁹/L", standard: 20),
        Case(analyte: .platelets, value: 20, unit: "×10³/µL", standard: 20),
        Case(analyte: .lymphocytes, value: 1.2, unit: "10*9/L", standard: 1.2),
        // Hemoglobin: g/L = g/dL × 10; mmol/L (Fe) = g/dL × 0.6206
        Case(analyte: .hemoglobin, value: 12, unit: "g/dL", standard: 120),
        Case(analyte: .hemoglobin, value: 12 * 0.6206, unit: "mmol/L", standard: 120),
        Case(analyte: .hemoglobin, value: 120, unit: "g/L", standard: 120),
        // Creatinine: µmol/L = mg/dL × 88.4
        Case(analyte: .creatinine, value: 1.0, unit: "mg/dL", standard: 88.4),
        Case(analyte: .creatinine, value: 1.5, unit: "mg/dL", standard: 132.6),
        Case(analyte: .creatinine, value: 88.4, unit: "µmol/L", standard: 88.4),
        // Bilirubin: µmol/L = mg/dL × 17.1
        Case(analyte: .bilirubin, value: 1.0, unit: "mg/dL", standard: 17.1),
        Case(analyte: .bilirubin, value: 2.0, unit: "mg/dL", standard: 34.2),
        // IgG: g/L = mg/dL ÷ 100 (IgA, IgM alike)
        Case(analyte: .igg, value: 800, unit: "mg/dL", standard: 8),
        Case(analyte: .iga, value: 200, unit: "mg/dL", standard: 2),
        Case(analyte: .igm, value: 100, unit: "mg/dL", standard: 1),
        // CRP: mg/L = mg/dL × 10
        Case(analyte: .crp, value: 5, unit: "mg/dL", standard: 50),
        // Ferritin: ng/mL = µg/L
        Case(analyte: .ferritin, value: 300, unit: "ng/mL", standard: 300),
        Case(analyte: .ferritin, value: 300, unit: "µg/L", standard: 300),
        // IL-6: pg/mL = ng/L
        Case(analyte: .il6, value: 40, unit: "ng/L", standard: 40),
        // Enzymes: U/L = IU/L; µkat/L = U/L ÷ 60
        Case(analyte: .alt, value: 40, unit: "IU/L", standard: 40),
        Case(analyte: .ast, value: 1, unit: "µkat/L", standard: 60),
        Case(analyte: .ldh, value: 4, unit: "ukat/L", standard: 240),
        // Fibrinogen: g/L = mg/dL ÷ 100
        Case(analyte: .fibrinogen, value: 250, unit: "mg/dL", standard: 2.5),
        // Temperature: °F = °C × 9/5 + 32 (38.0 °C = 100.4 °F)
        Case(analyte: .temperature, value: 100.4, unit: "[degF]", standard: 38.0),
        Case(analyte: .temperature, value: 100.4, unit: "°F", standard: 38.0),
        Case(analyte: .temperature, value: 32, unit: "°F", standard: 0),
        Case(analyte: .temperature, value: 38.0, unit: "°C", standard: 38.0),
    ]

    @Test(arguments: cases)
    func toStandard(c: Case) throws {
        let v = try UnitConversion.toStandard(c.value, unit: c.unit, analyte: c.analyte)
        #expect(abs(v - c.standard) < 1e-9 * max(1, abs(c.standard)))
    }

    @Test(arguments: cases)
    func fromStandard(c: Case) throws {
        let v = try UnitConversion.fromStandard(c.standard, unit: c.unit, analyte: c.analyte)
        #expect(abs(v - c.value) < 1e-9 * max(1, abs(c.value)))
    }

    @Test(arguments: Analyte.allCases)
    func standardUnitIsIdentityAndListedFirst(a: Analyte) throws {
        #expect(UnitConversion.acceptedUnits(for: a).first == a.standardUnit)
        #expect(UnitConversion.accepts(a.standardUnit, for: a))
        #expect(try UnitConversion.toStandard(12.5, unit: a.standardUnit, analyte: a) == 12.5)
    }

    @Test(arguments: [
        (Analyte.creatinine, "mg/mL"), (.creatinine, "g/L"), (.platelets, "10*6/L"), (.hemoglobin, "mg/dL"),
        (.temperature, "K"), (.bilirubin, "mmol/L"), (.alt, ""),
    ])
    func unknownUnitNamesTheField(a: Analyte, unit: String) {
        #expect(!UnitConversion.accepts(unit, for: a))
        do {
            _ = try UnitConversion.toStandard(1, unit: unit, analyte: a, field: "labs[2].unit")
            Issue.record("expected unknown_unit")
        } catch let e as CalculatorError {
            #expect(e.code == "unknown_unit")
            #expect(e.field == "labs[2].unit")
            #expect(e.message.hasPrefix("labs[2].unit:"))
            #expect(e.message.contains(a.standardUnit))
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func fromStandardAlsoRejectsUnknownUnits() {
        #expect(throws: CalculatorError.self) { try UnitConversion.fromStandard(1, unit: "furlongs", analyte: .weight, field: "w") }
    }
}

/// The byte-by-byte fold of plain ASCII unit codes gives what the general fold (Foundation's lower-casing and
/// replacing) gives, for every code the tables accept and for spellings people type.
@Suite("Unit spelling fold")
struct UnitNormaliseTests {
    /// The general fold, as `normalise` did it for every spelling before the ASCII path was made byte by byte.
    static func general(_ unit: String) -> String {
        var s = unit.trimmingCharacters(in: .whitespaces).lowercased()
        s = s.replacingOccurrences(of: "µ", with: "u").replacingOccurrences(of: "μ", with: "u")
        s = s.replacingOccurrences(of: "^", with: "*").replacingOccurrences(of: " ", with: "")
        s = s.replacingOccurrences(of: "10⁹", with: "10*9").replacingOccurrences(of: "10³", with: "10*3")
        s = s.replacingOccurrences(of: "³", with: "3").replacingOccurrences(of: "×", with: "")
        if s.hasPrefix("x10") { s.removeFirst() }
        s = s.replacingOccurrences(of: "°c", with: "cel").replacingOccurrences(of: "°f", with: "[degf]")
        return s.replacingOccurrences(of: "iu/", with: "u/")
    }

    @Test func theASCIIFoldIsTheGeneralOne() {
        let typed = ["IU/L", "mIU/mL", "iu/iu/l", "IU/", "xiu/L", "G/L", "10*9/L", "UMOL/L", "mg/dL", "[EU]/mL", "{copies}/ug", "iu", "I/U", "a/iu/b"]
        let spellings = Analyte.allCases.flatMap { UnitConversion.acceptedUnits(for: $0) } + typed
        for unit in spellings where unit.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f && $0 != UInt8(ascii: "^") }) && !unit.lowercased().hasPrefix("x10") {
            #expect(UnitConversion.normalise(unit) == Self.general(unit), "\(unit)")
        }
    }
}
