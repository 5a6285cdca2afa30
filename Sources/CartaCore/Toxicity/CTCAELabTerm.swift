import Foundation

/// A CTCAE v5.0 laboratory term Carta grades from a numeric result.
///
/// Source: spec/clinical.md §4.2 (term list, MedDRA LLT codes where the spec gives them).
public enum CTCAELabTerm: String, CaseIterable, Codable, Sendable {
    case plateletCountDecreased
    case neutrophilCountDecreased
    case anemia
    case lymphocyteCountDecreased
    case whiteBloodCellDecreased
    case alanineAminotransferaseIncreased
    case aspartateAminotransferaseIncreased
    case bloodBilirubinIncreased
    case creatinineIncreased
    case inrIncreased
    case activatedPartialThromboplastinTimeProlonged
    case fibrinogenDecreased
    case cd4LymphocytesDecreased
    case lymphocyteCountIncreased

    /// The CTCAE v5.0 term as printed.
    public var ctcaeTerm: String {
        switch self {
        case .plateletCountDecreased: return "Platelet count decreased"
        case .neutrophilCountDecreased: return "Neutrophil count decreased"
        case .anemia: return "Anemia"
        case .lymphocyteCountDecreased: return "Lymphocyte count decreased"
        case .whiteBloodCellDecreased: return "White blood cell decreased"
        case .alanineAminotransferaseIncreased: return "Alanine aminotransferase increased"
        case .aspartateAminotransferaseIncreased: return "Aspartate aminotransferase increased"
        case .bloodBilirubinIncreased: return "Blood bilirubin increased"
        case .creatinineIncreased: return "Creatinine increased"
        case .inrIncreased: return "INR increased"
        case .activatedPartialThromboplastinTimeProlonged: return "Activated partial thromboplastin time prolonged"
        case .fibrinogenDecreased: return "Fibrinogen decreased"
        case .cd4LymphocytesDecreased: return "CD4 lymphocytes decreased"
        case .lymphocyteCountIncreased: return "Lymphocyte count increased"
        }
    }

    /// True for "decreased" terms (lower values are worse), false for "increased"/"prolonged" terms.
    public var worsensWhenLower: Bool {
        switch self {
        case .plateletCountDecreased, .neutrophilCountDecreased, .anemia, .lymphocyteCountDecreased,
             .whiteBloodCellDecreased, .fibrinogenDecreased, .cd4LymphocytesDecreased: return true
        default: return false
        }
    }

    /// MedDRA LLT code, only where spec/clinical.md §4.2 states it (never guessed).
    public var meddraCode: String? {
        switch self {
        case .plateletCountDecreased: return "10035528"
        case .neutrophilCountDecreased: return "10029366"
        case .lymphocyteCountDecreased: return "10025256"
        case .whiteBloodCellDecreased: return "10049182"
        case .alanineAminotransferaseIncreased: return "10001551"
        case .aspartateAminotransferaseIncreased: return "10003481"
        case .bloodBilirubinIncreased: return "10005364"
        case .creatinineIncreased: return "10011368"
        default: return nil
        }
    }

    /// The analyte whose standard unit the term is graded in.
    ///
    /// CD4 counts use the lymphocyte conversions (same count units, 10*9/L); Analyte has no CD4 case.
    public var analyte: Analyte {
        switch self {
        case .plateletCountDecreased: return .platelets
        case .neutrophilCountDecreased: return .anc
        case .anemia: return .hemoglobin
        case .lymphocyteCountDecreased, .lymphocyteCountIncreased, .cd4LymphocytesDecreased: return .lymphocytes
        case .whiteBloodCellDecreased: return .wbc
        case .alanineAminotransferaseIncreased: return .alt
        case .aspartateAminotransferaseIncreased: return .ast
        case .bloodBilirubinIncreased: return .bilirubin
        case .creatinineIncreased: return .creatinine
        case .inrIncreased: return .inr
        case .activatedPartialThromboplastinTimeProlonged: return .aptt
        case .fibrinogenDecreased: return .fibrinogen
        }
    }

    /// Finds a term by its key (`plateletCountDecreased`), its CTCAE text (case-insensitive), or a
    /// common short form (`ALT increased`, `AST increased`, `aPTT prolonged`).
    public init?(lookup: String) {
        let s = lookup.trimmingCharacters(in: .whitespaces)
        if let t = CTCAELabTerm(rawValue: s) { self = t; return }
        let lower = s.lowercased()
        if let t = CTCAELabTerm.allCases.first(where: { $0.ctcaeTerm.lowercased() == lower || $0.rawValue.lowercased() == lower }) {
            self = t; return
        }
        switch lower {
        case "alt increased": self = .alanineAminotransferaseIncreased
        case "ast increased": self = .aspartateAminotransferaseIncreased
        case "aptt prolonged": self = .activatedPartialThromboplastinTimeProlonged
        case "bilirubin increased": self = .bloodBilirubinIncreased
        default: return nil
        }
    }
}
