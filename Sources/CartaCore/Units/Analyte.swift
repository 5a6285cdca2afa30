/// A measured quantity Carta knows how to standardise, with its standard (SI-style) unit in UCUM.
///
/// Source: spec/clinical.md §10.2 (LOINC, UCUM units) and §10.3 (conversions; "convert on ingest,
/// keep the original result and unit, grade only on standardised values").
public enum Analyte: String, CaseIterable, Codable, Sendable {
    case platelets, wbc, anc, lymphocytes, hemoglobin, creatinine, bilirubin
    case alt, ast, ldh, igg, iga, igm, crp, fibrinogen, ferritin, il6, ddimer
    case pt, inr, aptt, temperature, spo2, lvef, weight, height

    /// The unit every value of this analyte is stored and graded in (UCUM code).
    public var standardUnit: String {
        switch self {
        case .platelets, .wbc, .anc, .lymphocytes: return "10*9/L"
        case .hemoglobin, .igg, .iga, .igm, .fibrinogen: return "g/L"
        case .creatinine, .bilirubin: return "umol/L"
        case .alt, .ast, .ldh: return "U/L"
        case .crp: return "mg/L"
        case .ferritin: return "ug/L"
        case .il6: return "pg/mL"
        case .ddimer: return "mg/L{FEU}"
        case .pt, .aptt: return "s"
        case .inr: return "{INR}"
        case .temperature: return "Cel"
        case .spo2, .lvef: return "%"
        case .weight: return "kg"
        case .height: return "cm"
        }
    }

    /// LOINC code of the usual observation (spec/clinical.md §10.2); nil where none is standard.
    public var loinc: String? {
        switch self {
        case .platelets: return "777-3"
        case .hemoglobin: return "718-7"
        case .wbc: return "6690-2"
        case .anc: return "751-8"
        case .lymphocytes: return "731-0"
        case .creatinine: return "14682-9"
        case .bilirubin: return "14631-6"
        case .alt: return "1742-6"
        case .ast: return "1920-8"
        case .ldh: return "2532-0"
        case .pt: return "5902-2"
        case .inr: return "6301-6"
        case .aptt: return "3173-2"
        case .fibrinogen: return "3255-7"
        case .ddimer: return "48065-7"
        case .crp: return "1988-5"
        case .ferritin: return "2276-4"
        case .il6: return "26881-3"
        case .igg: return "2465-3"
        case .iga: return "2458-8"
        case .igm: return "2472-9"
        case .weight: return "29463-7"
        case .height: return "8302-2"
        case .temperature: return "8310-5"
        case .spo2: return "59408-5"
        case .lvef: return "10230-1"
        }
    }
}
