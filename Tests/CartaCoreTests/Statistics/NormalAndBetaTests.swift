import Foundation
import Testing
@testable import CartaCore

/// Checks the normal quantile and the incomplete beta function against SciPy 1.17.1.
@Suite struct NormalAndBetaTests {
    // Expected: scipy.special.ndtri(p) (Cephes), SciPy 1.17.1 — AS 241 should agree to ~1e-15 relative.
    static let normalQuantiles: [(Double, Double)] = [
        (1e-300, -37.0470962993612), (1e-100, -21.273453560965322), (1e-20, -9.262340089798409),
        (1e-10, -6.361340902404056), (1e-05, -4.264890793922825), (0.001, -3.090232306167813),
        (0.01, -2.3263478740408408), (0.025, -1.9599639845400545), (0.05, -1.6448536269514729),
        (0.075, -1.4395314709384563), (0.1, -1.2815515655446004), (0.3, -0.5244005127080409),
        (0.5, 0.0), (0.6, 0.2533471031357997), (0.8, 0.8416212335729143), (0.925, 1.4395314709384563),
        (0.95, 1.6448536269514722), (0.975, 1.959963984540054), (0.99, 2.3263478740408408),
        (0.999, 3.090232306167813), (0.9999999999, 6.361340889697422),
    ]

    @Test(arguments: normalQuantiles)
    func normalQuantileMatchesSciPy(p: Double, expected: Double) {
        let z = NormalDistribution.quantile(p)
        #expect(abs(z - expected) <= 1e-14 * max(1, abs(expected)), "p=\(p): \(z) vs \(expected)")
    }

    @Test func normalQuantileEdgesAndSymmetry() {
        #expect(NormalDistribution.quantile(0) == -.infinity)
        #expect(NormalDistribution.quantile(1) == .infinity)
        #expect(NormalDistribution.quantile(1.5).isNaN)
        #expect(NormalDistribution.quantile(-0.1).isNaN)
        for p in stride(from: 0.001, to: 0.5, by: 0.0137) {
            #expect(abs(NormalDistribution.quantile(p) + NormalDistribution.quantile(1 - p)) < 1e-12)
        }
        #expect(abs(NormalDistribution.twoSidedCriticalValue(confidenceLevel: 0.95) - 1.959963984540054) < 1e-15)
    }

    // Expected: scipy.special.betainc(a, b, x), SciPy 1.17.1.
    static let betaValues: [(Double, Double, Double, Double)] = [
        (1, 5, 0.1, 0.40951000000000004), (2.5, 3.5, 0.4, 0.4869041915261176),
        (10, 20, 0.3, 0.3640040810719437), (0.5, 0.5, 0.9, 0.7951672353008665),
        (100, 200, 0.35, 0.7325714649575441), (3, 1000, 0.004, 0.7636536215610522),
        (1000, 10, 0.99, 0.44604227084550874),
    ]

    @Test(arguments: betaValues)
    func regularizedIncompleteBetaMatchesSciPy(a: Double, b: Double, x: Double, expected: Double) {
        let value = IncompleteBeta.regularized(x: x, a: a, b: b)
        #expect(abs(value - expected) < 1e-12, "I_\(x)(\(a), \(b)) = \(value), expected \(expected)")
        // The inverse returns x again.
        #expect(abs(IncompleteBeta.inverse(p: expected, a: a, b: b) - x) < 1e-10)
    }

    // Expected: scipy.special.gammaln, SciPy 1.17.1.
    static let logGammas: [(Double, Double)] = [
        (0.1, 2.252712651734206), (0.5, 0.5723649429247), (1, 0), (1.5, -0.12078223763524526), (2, 0),
        (3.7, 1.428072326665388), (10, 12.801827480081469), (100, 359.1342053695754),
        (1e4, 82099.71749644238), (1e6, 12815504.569147611),
    ]

    @Test(arguments: logGammas)
    func logGammaMatchesSciPy(x: Double, expected: Double) {
        #expect(abs(IncompleteBeta.logGamma(x) - expected) <= 1e-13 * max(1, abs(expected)))
    }
}
