import Foundation

/// Creatinine clearance by Cockcroft–Gault, in conventional (mg/dL) or SI (µmol/L) form.
///
/// Source: spec/clinical.md §6.3 [R, standard]; Cockcroft & Gault, Nephron 1976;16:31.
public enum CockcroftGault {
    /// Sex as used by the formula (female factor 0.85).
    public enum Sex: String, Codable, Sendable, CaseIterable { case male, female }

    /// Which weight enters the formula; a study setting (default actual).
    /// Source: spec/clinical.md §6.3 ("actual body weight by default; IBW (Devine) if the PI elects").
    public enum WeightBasis: String, Codable, Sendable, CaseIterable { case actual, ideal }

    /// Constant used for the SI form.
    /// Source: spec/clinical.md §6.3 (k = 1.23 / 1.04 "approximations of 88.4/72 and 0.85 × 88.4/72").
    public enum SIConstant: String, Codable, Sendable, CaseIterable {
        /// k = 1.23 (male), 1.04 (female), as printed in the spec (default).
        case rounded
        /// k = 88.4/72 and 0.85 × 88.4/72, identical to converting to mg/dL first.
        case exact
    }

    /// CrCl in mL/min from serum creatinine in mg/dL: (140 − age) × W / (72 × SCr), × 0.85 if female.
    /// Source: spec/clinical.md §6.3.
    public static func crClConventional(ageYears: Double, weightKg: Double, creatinineMgPerDL: Double, sex: Sex) -> Double {
        let base = (140 - ageYears) * weightKg / (72 * creatinineMgPerDL)
        return sex == .female ? base * 0.85 : base
    }

    /// CrCl in mL/min from serum creatinine in µmol/L: (140 − age) × W × k / SCr.
    /// Source: spec/clinical.md §6.3 (SI form).
    public static func crClSI(ageYears: Double, weightKg: Double, creatinineUmolPerL: Double, sex: Sex,
                              constant: SIConstant = .rounded) -> Double {
        (140 - ageYears) * weightKg * k(sex: sex, constant: constant) / creatinineUmolPerL
    }

    /// The SI constant k for `sex`.
    /// Source: spec/clinical.md §6.3.
    public static func k(sex: Sex, constant: SIConstant) -> Double {
        switch (constant, sex) {
        case (.rounded, .male): return 1.23
        case (.rounded, .female): return 1.04
        case (.exact, .male): return 88.4 / 72
        case (.exact, .female): return 0.85 * 88.4 / 72
        }
    }

    /// Ideal body weight (Devine), kg: 50 (men) or 45.5 (women) + 2.3 kg per inch over 60 in.
    /// Below 60 in (152.4 cm) the same line is extended (the term becomes negative); see the calculator doc.
    /// Source: spec/clinical.md §6.3 [R]; Devine 1974.
    public static func idealBodyWeightKg(heightCm: Double, sex: Sex) -> Double {
        let inches = heightCm / 2.54
        return (sex == .male ? 50 : 45.5) + 2.3 * (inches - 60)
    }
}
