import Foundation

/// The regularized incomplete beta function I_x(a, b) and its inverse in x, the building block
/// of exact (Clopper–Pearson) binomial confidence limits.
///
/// Source: Press WH et al. Numerical Recipes, 3rd ed., §6.4 (continued fraction `betacf`,
/// modified Lentz) and §6.1 (Lanczos log-gamma, Godfrey's g = 7 coefficients).
public enum IncompleteBeta {
    /// I_x(a, b) = P(X ≤ x) for X ~ Beta(a, b); a, b > 0, x clamped to [0, 1].
    ///
    /// Source: Numerical Recipes 3rd ed. §6.4, eq. 6.4.5 (continued fraction with the symmetry
    /// I_x(a, b) = 1 − I_{1−x}(b, a) where it converges faster).
    public static func regularized(x: Double, a: Double, b: Double) -> Double {
        precondition(a > 0 && b > 0, "IncompleteBeta: a and b must be positive")
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * log(x) + b * log1p(-x)
        let front = exp(logFront)
        if x < (a + 1) / (a + b + 2) {
            return front * continuedFraction(x: x, a: a, b: b) / a
        }
        return 1 - front * continuedFraction(x: 1 - x, a: b, b: a) / b
    }

    /// The x in [0, 1] with I_x(a, b) = p, found by bisection to full double precision
    /// (I is continuous and strictly increasing in x).
    ///
    /// Source: Numerical Recipes 3rd ed. §6.14.10 (inverse of the incomplete beta); bisection is
    /// used instead of Halley steps so the answer is bracketed and monotone in p.
    public static func inverse(p: Double, a: Double, b: Double) -> Double {
        precondition(a > 0 && b > 0, "IncompleteBeta: a and b must be positive")
        if p <= 0 { return 0 }
        if p >= 1 { return 1 }
        var lo = 0.0, hi = 1.0
        for _ in 0..<2_000 {
            let mid = lo + (hi - lo) / 2
            if mid <= lo || mid >= hi { break }
            if regularized(x: mid, a: a, b: b) < p { lo = mid } else { hi = mid }
        }
        return lo + (hi - lo) / 2
    }

    /// ln Γ(x) for x > 0 (Lanczos approximation, relative error about 1e-15).
    ///
    /// Source: Numerical Recipes 3rd ed. §6.1; Godfrey's coefficients for g = 7, n = 9.
    public static func logGamma(_ x: Double) -> Double {
        precondition(x > 0, "IncompleteBeta.logGamma: x must be positive")
        if x < 0.5 {
            // Reflection: Γ(x)Γ(1 − x) = π / sin(πx).
            return log(Double.pi / sin(Double.pi * x)) - logGamma(1 - x)
        }
        let z = x - 1
        var sum = lanczos[0]
        for i in 1..<lanczos.count { sum += lanczos[i] / (z + Double(i)) }
        let t = z + 7.5
        return 0.5 * log(2 * Double.pi) + (z + 0.5) * log(t) - t + log(sum)
    }

    private static let lanczos: [Double] = [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7,
    ]

    /// Continued fraction for I_x(a, b) (Numerical Recipes `betacf`, modified Lentz's method).
    private static func continuedFraction(x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300, eps = 1e-16
        let qab = a + b, qap = a + 1, qam = a - 1
        var c = 1.0
        var d = 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        var m = 1.0
        while m <= 100_000 {
            let m2 = 2 * m
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < eps { break }
            m += 1
        }
        return h
    }
}
