/// Calculator `crs`: ASTCT 2019 cytokine release syndrome grade from raw signs.
///
/// Source: spec/clinical.md §5.1; docs/calculators/crs.md.
public enum CRSCalculator: Calculator {
    /// Name used by `carta compute` and `/api/v1/compute/`.
    public static let name = "crs"
    /// One-line description for help and the OpenAPI document.
    public static let summary = "ASTCT 2019 CRS grade from temperature, hypotension/vasopressors and oxygen support"

    /// A temperature with its unit (`Cel` or `[degF]`, also `°C`/`°F`).
    ///
    /// Source: spec/clinical.md §5.1.
    public struct Temperature: Codable, Sendable, Equatable {
        public let value: Double
        public let unit: String
    }

    /// Oxygen support: device name and, for nasal cannulas, flow in L/min.
    ///
    /// Source: spec/clinical.md §5.1.
    public struct Oxygen: Codable, Sendable, Equatable {
        public let device: String
        public let flowLPerMin: Double?
    }

    /// Input: raw signs of one assessment.
    ///
    /// Source: spec/clinical.md §5.1.
    public struct Input: Codable, Sendable {
        /// Highest temperature in the assessment period.
        public let temperature: Temperature
        /// Antipyretic or anti-cytokine therapy (tocilizumab, steroids) given; required when afebrile.
        public let feverMaskingTreatmentGiven: Bool?
        /// A CRS episode is already ongoing; required when afebrile and treatment was given.
        public let crsOngoing: Bool?
        /// Hypotension attributed to CRS (with or without vasopressors).
        public let hypotension: Bool
        /// Vasopressors running, by name; default none.
        public let vasopressors: [String]?
        public let oxygen: Oxygen
    }

    /// Output: grade (0 = no CRS) and the component points.
    ///
    /// Source: spec/clinical.md §5.1.
    public struct Output: Codable, Sendable, Equatable {
        public let grade: Int
        public let crs: Bool
        public let temperatureCel: Double
        public let feverPresent: Bool
        public let feverRequirementWaived: Bool
        public let hypotensionGrade: Int
        public let hypoxiaGrade: Int
        public let vasopressors: [String]
        public let vasopressorsCountedTowardMultiple: Int
        public let decidedBy: [String]
        public let rule: String
        public let scale: String
    }

    /// Validates the signs and grades them.
    ///
    /// Source: spec/clinical.md §5.1.
    public static func compute(_ input: Input) throws -> Output {
        guard input.temperature.value.isFinite else {
            throw CalculatorError.invalid("temperature.value", "must be a number")
        }
        let tempC = try UnitConversion.toStandard(
            input.temperature.value, unit: input.temperature.unit, analyte: .temperature, field: "temperature.unit")
        guard (25.0...45.0).contains(tempC) else {
            throw CalculatorError.outOfRange("temperature.value", "\(tempC) °C is outside 25–45 °C; check the value and unit")
        }
        var pressors = Set<Vasopressor>()
        for (i, name) in (input.vasopressors ?? []).enumerated() {
            guard let v = Vasopressor(name: name) else {
                throw CalculatorError.invalid("vasopressors[\(i)]", "unknown vasopressor \"\(name)\"; use one of \(Vasopressor.allCases.map(\.rawValue).joined(separator: ", ")) (noradrenaline/adrenaline accepted)")
            }
            pressors.insert(v)
        }
        if !pressors.isEmpty && !input.hypotension {
            throw CalculatorError.invalid("hypotension", "is false but vasopressors are listed; vasopressors imply hypotension — check both fields")
        }
        guard let device = OxygenDevice(rawValue: input.oxygen.device) else {
            throw CalculatorError.invalid("oxygen.device", "unknown oxygen device \"\(input.oxygen.device)\"; use one of \(OxygenDevice.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let f = input.oxygen.flowLPerMin {
            guard f.isFinite, f > 0 else { throw CalculatorError.outOfRange("oxygen.flowLPerMin", "must be > 0 L/min") }
            guard device == .nasalCannula || device == .highFlowNasalCannula else {
                throw CalculatorError.invalid("oxygen.flowLPerMin", "is used only for nasalCannula and highFlowNasalCannula; \(device.rawValue) is graded by device")
            }
        }
        let oxygen = OxygenSupport(device: device, flowLPerMin: input.oxygen.flowLPerMin)
        guard oxygen.hypoxiaGrade != nil else {
            throw CalculatorError(code: "missing_field", message: "oxygen.flowLPerMin: required for nasalCannula (≤ 6 L/min is low-flow, > 6 L/min high-flow)", field: "oxygen.flowLPerMin")
        }
        let febrile = CTCAEComparison.greaterOrEqual.holds(tempC, CRSGrader.feverThresholdCel)
        var treated = input.feverMaskingTreatmentGiven ?? false
        var ongoing = input.crsOngoing ?? false
        if !febrile {
            // Without fever the grade depends on ASTCT rule 1, so the caller must say (never assumed).
            guard let t = input.feverMaskingTreatmentGiven else {
                throw CalculatorError(code: "missing_field", message: "feverMaskingTreatmentGiven: required when temperature < 38.0 °C (antipyretic/anti-cytokine therapy removes the fever requirement)", field: "feverMaskingTreatmentGiven")
            }
            treated = t
            if t {
                guard let o = input.crsOngoing else {
                    throw CalculatorError(code: "missing_field", message: "crsOngoing: required when afebrile after antipyretic/anti-cytokine therapy", field: "crsOngoing")
                }
                ongoing = o
            }
        }
        let a = CRSGrader.grade(CRSSigns(
            temperatureCel: tempC, feverMaskingTreatmentGiven: treated, crsOngoing: ongoing,
            hypotension: input.hypotension, vasopressors: pressors, oxygen: oxygen))
        return Output(
            grade: a.grade, crs: a.grade > 0, temperatureCel: tempC, feverPresent: a.feverPresent,
            feverRequirementWaived: a.feverRequirementWaived, hypotensionGrade: a.hypotensionGrade,
            hypoxiaGrade: a.hypoxiaGrade, vasopressors: pressors.map(\.rawValue).sorted(),
            vasopressorsCountedTowardMultiple: a.vasopressorsCountedTowardMultiple, decidedBy: a.decidedBy,
            rule: a.rule, scale: "ASTCT 2019")
    }
}
