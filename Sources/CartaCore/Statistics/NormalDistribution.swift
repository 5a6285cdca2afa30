import Foundation

/// The standard normal distribution's quantile function (inverse CDF), used for two-sided
/// confidence intervals.
///
/// Source: Wichura MJ. Algorithm AS 241: The percentage points of the normal distribution.
/// Appl Stat 1988;37(3):477–484 (PPND16, relative accuracy about 1e-16).
public enum NormalDistribution {
    /// The value z with P(Z ≤ z) = p for a standard normal Z; −∞ for p = 0, +∞ for p = 1,
    /// NaN outside [0, 1].
    ///
    /// Source: Wichura 1988, AS 241 PPND16 (the algorithm behind R's `qnorm`).
    public static func quantile(_ p: Double) -> Double {
        guard p.isFinite, p >= 0, p <= 1 else { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        let q = p - 0.5
        if abs(q) <= 0.425 {
            let r = 0.180625 - q * q
            return q * horner(r, a) / horner(r, b)
        }
        var r = q < 0 ? p : 1 - p
        r = (-log(r)).squareRoot()
        let value: Double
        if r <= 5 {
            r -= 1.6
            value = horner(r, c) / horner(r, d)
        } else {
            r -= 5
            value = horner(r, e) / horner(r, f)
        }
        return q < 0 ? -value : value
    }

    /// The two-sided critical value z for a confidence level (0.95 → 1.959963984540054).
    ///
    /// Source: z = Φ⁻¹(1 − (1 − level)/2), R `qnorm(1 - (1 - conf.int)/2)` as in `survfit`.
    public static func twoSidedCriticalValue(confidenceLevel level: Double) -> Double {
        quantile(1 - (1 - level) / 2)
    }

    /// Evaluates c[0] + c[1]·x + … + c[7]·x⁷.
    private static func horner(_ x: Double, _ c: [Double]) -> Double {
        var v = c[c.count - 1]
        for i in stride(from: c.count - 2, through: 0, by: -1) { v = v * x + c[i] }
        return v
    }

    // AS 241 coefficients, constant term first.
    private static let a: [Double] = [
        3.3871328727963666080e0, 1.3314166789178437745e+2, 1.9715909503065514427e+3,
        1.3731693765509461125e+4, 4.5921953931549871457e+4, 6.7265770927008700853e+4,
        3.3430575583588128105e+4, 2.5090809287301226727e+3,
    ]
    private static let b: [Double] = [
        1.0, 4.2313330701600911252e+1, 6.8718700749205790830e+2, 5.3941960214247511077e+3,
        2.1213794301586595867e+4, 3.9307895800092710610e+4, 2.8729085735721942674e+4,
        5.2264952788528545610e+3,
    ]
    private static let c: [Double] = [
        1.42343711074968357734e0, 4.63033784615654529590e0, 5.76949722146069140550e0,
        3.64784832476320460504e0, 1.27045825245236838258e0, 2.41780725177450611770e-1,
        2.27238449892691845833e-2, 7.74545014278341407640e-4,
    ]
    private static let d: [Double] = [
        1.0, 2.05319162663775882187e0, 1.67638483018380384940e0, 6.89767334985100004550e-1,
        1.48103976427480074590e-1, 1.51986665636164571966e-2, 5.47593808499534494600e-4,
        1.05075007164441684324e-9,
    ]
    private static let e: [Double] = [
        6.65790464350110377720e0, 5.46378491116411436990e0, 1.78482653991729133580e0,
        2.96560571828504891230e-1, 2.65321895265761230930e-2, 1.24266094738807843860e-3,
        2.71155556874348757815e-5, 2.01033439929228813265e-7,
    ]
    private static let f: [Double] = [
        1.0, 5.99832206555887937690e-1, 1.36929880922735805310e-1, 1.48753612908506148525e-2,
        7.86869131145613259100e-4, 1.84631831751005468180e-5, 1.42151175831644588870e-7,
        2.04426310338993978564e-15,
    ]
}
