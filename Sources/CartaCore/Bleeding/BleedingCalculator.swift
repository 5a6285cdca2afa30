/// Calculator `bleeding`: Chinese ITP bleeding score and/or ITP-BAT SMOG domain maxima.
///
/// Source: spec/clinical.md §2.1, §2.2; docs/calculators/bleeding.md.
public enum BleedingCalculator: Calculator {
    /// Name used by `carta compute` and `/api/v1/compute/`.
    public static let name = "bleeding"
    /// One-line description for help and the OpenAPI document.
    public static let summary = "Chinese ITP bleeding score (age and symptom points apart) and ITP-BAT SMOG maxima"

    /// A symptom for the Chinese score; which flags are required depends on `category`.
    ///
    /// Source: spec/clinical.md §2.1, §2.2.
    public struct ChineseSymptomInput: Codable, Sendable, Equatable {
        /// `skin`, `mucosal`, `visceral` or `centralNervousSystem`.
        public let category: String
        /// Free-text site for traceability (e.g. "leg", "nose", "GI tract"); not scored.
        public let site: String?
        /// Skin only (required): bleeding on the head or face.
        public let headOrFace: Bool?
        /// Mucosal only (required): frequent or hard to stop.
        public let frequentOrHardToStop: Bool?
        /// Mucosal and visceral (required): with anemia attributed to the bleed.
        public let withAnemia: Bool?
        /// Visceral only (required): life-threatening.
        public let lifeThreatening: Bool?
    }

    /// A graded ITP-BAT manifestation (worst episode since the last visit).
    ///
    /// Source: spec/clinical.md §2.1, §2.2.
    public struct ITPBATInput: Codable, Sendable, Equatable {
        public let manifestation: String
        public let grade: Int
    }

    /// A count with its unit.
    ///
    /// Source: spec/clinical.md §2.1, §2.2.
    public struct Measurement: Codable, Sendable, Equatable {
        public let value: Double
        public let unit: String
    }

    /// Input: give `chineseScoreSymptoms` (with `ageYears`) and/or `itpBatManifestations`.
    ///
    /// Source: spec/clinical.md §2.1, §2.2.
    public struct Input: Codable, Sendable {
        public let ageYears: Int?
        public let chineseScoreSymptoms: [ChineseSymptomInput]?
        /// Optional; completes the severity rule (platelets < 10 ×10^9/L with bleeding).
        public let plateletCount: Measurement?
        public let itpBatManifestations: [ITPBATInput]?
    }

    /// Chinese score result with age and symptom points apart.
    ///
    /// Source: spec/clinical.md §2.1, §2.2.
    public struct ChineseScoreOutput: Codable, Sendable, Equatable {
        public let ageYears: Int
        public let agePoints: Int
        public let symptomPoints: Int
        public let decidingSymptom: String?
        public let total: Int
        public let bleeding: Bool
        public let severeByScore: Bool
        public let severe: Bool?
        public let severeNotEvaluableReason: String?
    }

    /// ITP-BAT result.
    ///
    /// Source: spec/clinical.md §2.1, §2.2.
    public struct ITPBATOutput: Codable, Sendable, Equatable {
        public let skin: Int
        public let mucosae: Int
        public let organs: Int
        public let smog: String
        public let worstByManifestation: [String: Int]
    }

    /// Output: the results for the parts given.
    ///
    /// Source: spec/clinical.md §2.1, §2.2.
    public struct Output: Codable, Sendable, Equatable {
        public let chineseScore: ChineseScoreOutput?
        public let itpBat: ITPBATOutput?
    }

    /// Validates and scores.
    ///
    /// Source: spec/clinical.md §2.1, §2.2.
    public static func compute(_ input: Input) throws -> Output {
        guard input.chineseScoreSymptoms != nil || input.itpBatManifestations != nil else {
            throw CalculatorError(code: "missing_field", message: "chineseScoreSymptoms: give chineseScoreSymptoms and/or itpBatManifestations", field: "chineseScoreSymptoms")
        }
        var chinese: ChineseScoreOutput? = nil
        if let list = input.chineseScoreSymptoms {
            guard let age = input.ageYears else {
                throw CalculatorError(code: "missing_field", message: "ageYears: required for the Chinese bleeding score (age points)", field: "ageYears")
            }
            guard (0...130).contains(age) else { throw CalculatorError.outOfRange("ageYears", "must be 0–130") }
            let symptoms = try list.enumerated().map { try symptom($0.element, field: "chineseScoreSymptoms[\($0.offset)]") }
            var platelets: Double? = nil
            if let p = input.plateletCount {
                guard p.value.isFinite, p.value >= 0 else { throw CalculatorError.outOfRange("plateletCount.value", "must be a finite number ≥ 0") }
                platelets = try UnitConversion.toStandard(p.value, unit: p.unit, analyte: .platelets, field: "plateletCount.unit")
            }
            let s = ChineseBleedingScore(ageYears: age, symptoms: symptoms, plateletsPer10e9L: platelets)
            chinese = ChineseScoreOutput(
                ageYears: age, agePoints: s.agePoints, symptomPoints: s.symptomPoints, decidingSymptom: s.decidingSymptom,
                total: s.total, bleeding: s.bleeding, severeByScore: s.severeByScore, severe: s.severe,
                severeNotEvaluableReason: s.severe == nil ? "score < 5 with active bleeding: plateletCount is needed (severe when < 10 ×10^9/L)" : nil)
        }
        var bat: ITPBATOutput? = nil
        if let list = input.itpBatManifestations {
            var grades: [(ITPBATManifestation, Int)] = []
            for (i, m) in list.enumerated() {
                guard let man = ITPBATManifestation(rawValue: m.manifestation) else {
                    throw CalculatorError.invalid("itpBatManifestations[\(i)].manifestation", "unknown manifestation \"\(m.manifestation)\"; use one of \(ITPBATManifestation.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                guard (0...5).contains(m.grade) else {
                    throw CalculatorError.outOfRange("itpBatManifestations[\(i)].grade", "must be 0–5 (5 = fatal bleeding)")
                }
                grades.append((man, m.grade))
            }
            let a = ITPBATAssessment(grades)
            bat = ITPBATOutput(
                skin: a.skin, mucosae: a.mucosae, organs: a.organs, smog: a.notation,
                worstByManifestation: Dictionary(uniqueKeysWithValues: a.worstByManifestation.map { ($0.key.rawValue, $0.value) }))
        }
        return Output(chineseScore: chinese, itpBat: bat)
    }

    static func symptom(_ s: ChineseSymptomInput, field: String) throws -> ChineseBleedingSymptom {
        func need(_ v: Bool?, _ name: String) throws -> Bool {
            guard let v else {
                throw CalculatorError(code: "missing_field", message: "\(field).\(name): required for category \(s.category)", field: "\(field).\(name)")
            }
            return v
        }
        func forbid(_ v: Bool?, _ name: String) throws {
            if v != nil { throw CalculatorError.invalid("\(field).\(name)", "does not apply to category \(s.category)") }
        }
        switch s.category {
        case "skin":
            try forbid(s.frequentOrHardToStop, "frequentOrHardToStop"); try forbid(s.withAnemia, "withAnemia"); try forbid(s.lifeThreatening, "lifeThreatening")
            return .skin(headOrFace: try need(s.headOrFace, "headOrFace"))
        case "mucosal":
            try forbid(s.headOrFace, "headOrFace"); try forbid(s.lifeThreatening, "lifeThreatening")
            return .mucosal(frequentOrHardToStop: try need(s.frequentOrHardToStop, "frequentOrHardToStop"), withAnemia: try need(s.withAnemia, "withAnemia"))
        case "visceral":
            try forbid(s.headOrFace, "headOrFace"); try forbid(s.frequentOrHardToStop, "frequentOrHardToStop")
            return .visceral(withAnemia: try need(s.withAnemia, "withAnemia"), lifeThreatening: try need(s.lifeThreatening, "lifeThreatening"))
        case "centralNervousSystem":
            try forbid(s.headOrFace, "headOrFace"); try forbid(s.frequentOrHardToStop, "frequentOrHardToStop")
            try forbid(s.withAnemia, "withAnemia"); try forbid(s.lifeThreatening, "lifeThreatening")
            return .centralNervousSystem
        default:
            throw CalculatorError.invalid("\(field).category", "unknown category \"\(s.category)\"; use one of skin, mucosal, visceral, centralNervousSystem")
        }
    }
}
