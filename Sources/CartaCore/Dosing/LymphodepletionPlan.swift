import Foundation

/// A computed lymphodepletion plan: BSA used, and per drug the renal rule, calculated and planned daily dose per day.
///
/// Source: spec/clinical.md §6.2 (dose = mg/m² × unrounded BSA, rounding, 5% block, recalculation on
/// > 10% weight change), §6.3 (renal table, PI sign-off on any reduction), §6.5 (limits, warnings).
public struct LymphodepletionPlan: Encodable, Sendable, Equatable {
    /// Whether a drug (or a day of it) is to be given.
    public enum Status: String, Codable, Sendable, CaseIterable { case administer, doNotAdminister }

    /// One protocol day of one drug.
    public struct Day: Encodable, Sendable, Equatable {
        public let protocolDay: Int
        public let status: Status
        /// Planned (rounded) dose for the day, mg; nil when not to be administered.
        public let plannedMg: Double?
    }

    /// The plan of one drug.
    public struct Drug: Encodable, Sendable, Equatable {
        public let drug: String
        public let status: Status
        public let protocolMgPerM2PerDay: Double
        /// Dose after the renal rule, mg/m²/day; nil when not to be administered.
        public let appliedMgPerM2PerDay: Double?
        /// The rule applied, e.g. "CrCl 74.4 mL/min in band 50–<80 mL/min → reduced 20% (80% of dose)".
        public let rule: String
        /// Unrounded daily dose, mg.
        public let calculatedMgPerDay: Double?
        /// Daily dose rounded to `roundingStepMg`, mg.
        public let plannedMgPerDay: Double?
        public let roundingStepMg: Double
        /// (planned − calculated) / calculated × 100.
        public let roundingDeviationPercent: Double?
        public let days: [Day]
        public let cumulativePlannedMg: Double?
        public let cumulativeMgPerM2: Double?
    }

    public let bsa: BodySurfaceArea
    /// BSA the doses are computed from (after any cap), m².
    public let bsaUsedM2: Double
    public let bsaCapped: Bool
    public let crClMlMin: Double
    public let drugs: [Drug]
    /// True when any renal reduction or "do not administer" applies (spec §6.3: PI sign-off).
    public let requiresPISignOff: Bool
    /// Always true: every dose calculation needs a second-person verification record (spec §6.5).
    public let requiresSecondPersonVerification: Bool
    public let warnings: [String]

    /// Computes the plan; throws `CalculatorError` naming the field for bad input or a §6.5 block.
    /// Source: spec/clinical.md §6.2, §6.3, §6.5.
    /// The highest creatinine clearance accepted for dosing, mL/min: normal GFR is about 90–140 mL/min/1.73 m²
    /// and Cockcroft–Gault reaches ≈ 250 only in very large young adults (KDIGO 2012 CKD guideline §1.1;
    /// Cockcroft & Gault, Nephron 1976). Beyond it the input is an error, not a kidney.
    public static let maxPlausibleCrClMlMin = 250.0

    public init(weightKg: Double, heightCm: Double, crClMlMin: Double, regimen: LymphodepletionRegimen = LymphodepletionRegimen(),
                weightAtLastCalculationKg: Double? = nil) throws {
        var warnings = try regimen.validate(field: "regimen")
        let limits = regimen.limits
        let bsa = try BodySurfaceArea(weightKg: weightKg, heightCm: heightCm, formula: regimen.bsaFormula, limits: limits)
        guard crClMlMin.isFinite, crClMlMin >= 0 else { throw CalculatorError.invalid("crClMlMin", "must be a number ≥ 0 mL/min") }
        // A clearance above the physiological ceiling comes from a creatinine typed in the wrong unit
        // (1.0 "µmol/L" gives ≈ 7,700 mL/min): refused, never dosed as "normal renal function".
        guard crClMlMin <= Self.maxPlausibleCrClMlMin else {
            throw CalculatorError.outOfRange("crClMlMin", "\(DosingCheck.fmt(crClMlMin)) mL/min is above the plausible maximum of \(DosingCheck.fmt(Self.maxPlausibleCrClMlMin)) mL/min; check the serum creatinine and its unit (mg/dL vs µmol/L) before dosing")
        }
        var used = bsa.bsaM2
        var capped = false
        if let cap = regimen.bsaCapM2, bsa.bsaM2 > cap {
            used = cap; capped = true
            warnings.append("BSA \(DosingCheck.fmt(bsa.bsaDisplayM2)) m² capped at \(DosingCheck.fmt(cap)) m² (regimen.bsaCapM2)")
        } else {
            warnings += bsa.warnings
        }
        if let previous = weightAtLastCalculationKg {
            try DosingCheck.positive(previous, "weightAtLastCalculationKg", unit: "kg")
            let change = abs(weightKg - previous) / previous
            if change > limits.weightChangeWarnFraction {
                warnings.append("weight changed \(DosingCheck.fmt(DosingRounding.round(change * 100, places: 1)))% since the last calculation (> \(DosingCheck.fmt(limits.weightChangeWarnFraction * 100))%): recalculate (spec §6.2)")
            }
        }
        var signOff = false
        var plans: [Drug] = []
        let days = regimen.days.sorted()
        for (i, drug) in regimen.drugs.enumerated() {
            var rule = "no renal adjustment"
            var percent = 100.0
            if let table = drug.renalAdjustment {
                let (action, text) = table.lookup(crClMlMin: crClMlMin)
                rule = text
                switch action {
                case .doNotAdminister:
                    signOff = true
                    warnings.append("\(drug.name): \(text)")
                    plans.append(Drug(drug: drug.name, status: .doNotAdminister, protocolMgPerM2PerDay: drug.mgPerM2PerDay,
                                      appliedMgPerM2PerDay: nil, rule: text, calculatedMgPerDay: nil, plannedMgPerDay: nil,
                                      roundingStepMg: drug.roundingStepMg, roundingDeviationPercent: nil,
                                      days: days.map { Day(protocolDay: $0, status: .doNotAdminister, plannedMg: nil) },
                                      cumulativePlannedMg: nil, cumulativeMgPerM2: nil))
                    continue
                case .percentOfDose(let p):
                    percent = p
                    if p < 100 {
                        signOff = true
                        warnings.append("\(drug.name): renal reduction applied — \(text); PI sign-off required (spec §6.3, §6.5)")
                    }
                }
            }
            let applied = drug.mgPerM2PerDay * percent / 100
            let calculated = applied * used
            let planned = DosingRounding.round(calculated, toStep: drug.roundingStepMg)
            let deviation = (planned - calculated) / calculated
            let f = "regimen.drugs[\(i)]"
            guard abs(deviation) <= regimen.maxRoundingDeviationFraction + 1e-12 else {
                throw CalculatorError.outOfRange("\(f).roundingStepMg",
                    "\(drug.name) \(DosingCheck.fmt(calculated)) mg rounds to \(DosingCheck.fmt(planned)) mg, a \(DosingCheck.fmt(abs(deviation) * 100))% difference (> \(DosingCheck.fmt(regimen.maxRoundingDeviationFraction * 100))%, spec §6.2)")
            }
            let ceiling = drug.mgPerM2PerDay * used * (1 + limits.ldDoseToleranceFraction)
            guard planned <= ceiling + 1e-9 else {
                throw CalculatorError.outOfRange("\(f).mgPerM2PerDay",
                    "\(drug.name) \(DosingCheck.fmt(planned)) mg/day exceeds \(DosingCheck.fmt(drug.mgPerM2PerDay)) mg/m² × BSA × \(DosingCheck.fmt(1 + limits.ldDoseToleranceFraction)) = \(DosingCheck.fmt(ceiling)) mg (spec §6.5)")
            }
            plans.append(Drug(drug: drug.name, status: .administer, protocolMgPerM2PerDay: drug.mgPerM2PerDay,
                              appliedMgPerM2PerDay: applied, rule: rule, calculatedMgPerDay: calculated, plannedMgPerDay: planned,
                              roundingStepMg: drug.roundingStepMg, roundingDeviationPercent: deviation * 100,
                              days: days.map { Day(protocolDay: $0, status: .administer, plannedMg: planned) },
                              cumulativePlannedMg: planned * Double(days.count), cumulativeMgPerM2: applied * Double(days.count)))
        }
        self.bsa = bsa
        self.bsaUsedM2 = used
        self.bsaCapped = capped
        self.crClMlMin = crClMlMin
        self.drugs = plans
        self.requiresPISignOff = signOff
        self.requiresSecondPersonVerification = true
        self.warnings = warnings
    }
}
