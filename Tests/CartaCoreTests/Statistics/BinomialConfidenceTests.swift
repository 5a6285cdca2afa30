import Foundation
import Testing
@testable import CartaCore

/// Exact Clopper–Pearson and Wilson intervals for x of n.
@Suite struct BinomialConfidenceTests {
    // Source: issue 3 brief (values for n = 5 at 95%, spec/clinical.md §8 "exact binomial CIs"),
    // given to 4–6 decimals; tolerance is half a unit in the last given decimal.
    static let briefValues: [(Int, Int, Double, Double, Double)] = [
        (0, 5, 0, 0.5218, 5e-5), (5, 5, 0.4782, 1, 5e-5),
        (1, 5, 0.005051, 0.716418, 5e-7), (2, 5, 0.052745, 0.853367, 5e-7), (3, 5, 0.146633, 0.947255, 5e-7),
    ]

    @Test(arguments: briefValues)
    func clopperPearsonBriefValues(x: Int, n: Int, lower: Double, upper: Double, tolerance: Double) throws {
        let ci = try BinomialConfidence.clopperPearson(successes: x, total: n)
        #expect(abs(ci.lower - lower) <= tolerance && abs(ci.upper - upper) <= tolerance, "\(x)/\(n): \(ci)")
    }

    // Expected: scipy.stats.beta.ppf(α/2, x, n−x+1) and beta.ppf(1−α/2, x+1, n−x), SciPy 1.17.1
    // (0 when x = 0, 1 when x = n); compared to 1e-10.
    static let scipyValues: [(Int, Int, Double, Double, Double)] = [
        (0, 5, 0.95, 0.0, 0.5218237501049814), (1, 5, 0.95, 0.005050763379468061, 0.7164179361180895),
        (2, 5, 0.95, 0.05274495052631693, 0.8533672003653268), (3, 5, 0.95, 0.14663279963467318, 0.9472550494736831),
        (4, 5, 0.95, 0.28358206388191054, 0.9949492366205319), (5, 5, 0.95, 0.47817624989501856, 1.0),
        (0, 1, 0.95, 0.0, 0.975), (1, 1, 0.95, 0.025000000000000022, 1.0),
        (0, 20, 0.95, 0.0, 0.1684334709830853), (7, 20, 0.95, 0.1539092047845412, 0.5921885345328282),
        (20, 20, 0.95, 0.8315665290169147, 1.0), (1, 100, 0.95, 0.00025314603297742086, 0.054459385392080645),
        (50, 100, 0.95, 0.398321129503301, 0.601678870496699), (99, 100, 0.95, 0.9455406146079194, 0.9997468539670226),
        (3, 1000, 0.95, 0.0006190999316495715, 0.008742023238478303), (500, 1000, 0.95, 0.468549172971792, 0.531450827028208),
        (0, 5, 0.9, 0.0, 0.450719728346941), (1, 5, 0.9, 0.010206218313011495, 0.6574083180011386),
        (2, 5, 0.9, 0.07644039141232886, 0.8107446225622291), (3, 5, 0.9, 0.18925537743777077, 0.923559608587671),
        (4, 5, 0.9, 0.34259168199886125, 0.9897937816869885), (5, 5, 0.9, 0.5492802716530588, 1.0),
        (7, 20, 0.9, 0.1773109175744491, 0.5580345113154888), (1, 100, 0.9, 0.000512801416262292, 0.046559811453538935),
        (3, 1000, 0.9, 0.0008181753982218, 0.007735244718479458),
        (0, 5, 0.99, 0.0, 0.6534275784224267), (1, 5, 0.99, 0.0010020060210801215, 0.8149027278782698),
        (3, 5, 0.99, 0.08282918720147682, 0.9771187786246456), (5, 5, 0.99, 0.34657242157757323, 1.0),
        (1, 1, 0.99, 0.0050000000000000044, 1.0), (7, 20, 0.99, 0.11387976326673242, 0.6565685842319211),
        (1, 100, 0.99, 5.012416197765646e-05, 0.0719576824016363), (99, 100, 0.99, 0.9280423175983636, 0.9999498758380223),
        (500, 1000, 0.99, 0.45885255330704494, 0.5411474466929551),
    ]

    @Test(arguments: scipyValues)
    func clopperPearsonMatchesSciPy(x: Int, n: Int, level: Double, lower: Double, upper: Double) throws {
        let ci = try BinomialConfidence.clopperPearson(successes: x, total: n, confidenceLevel: level)
        #expect(abs(ci.lower - lower) < 1e-10, "\(x)/\(n) @\(level) lower \(ci.lower) vs \(lower)")
        #expect(abs(ci.upper - upper) < 1e-10, "\(x)/\(n) @\(level) upper \(ci.upper) vs \(upper)")
    }

    // Expected: Wilson 1927 formula evaluated in Python with scipy.stats.norm.ppf.
    static let wilsonValues: [(Int, Int, Double, Double, Double)] = [
        (3, 5, 0.95, 0.2307242812760128, 0.882379225767352), (0, 5, 0.95, 0, 0.43448246478317476),
        (5, 5, 0.95, 0.5655175352168251, 1), (7, 20, 0.9, 0.202260040056761, 0.5334873111515283),
        (50, 100, 0.99, 0.37527962504483986, 0.6247203749551602),
    ]

    @Test(arguments: wilsonValues)
    func wilsonMatchesReference(x: Int, n: Int, level: Double, lower: Double, upper: Double) throws {
        let ci = try BinomialConfidence.wilson(successes: x, total: n, confidenceLevel: level)
        #expect(abs(ci.lower - lower) < 1e-12 && abs(ci.upper - upper) < 1e-12, "\(ci)")
    }

    @Test func exactIntervalIsWiderThanWilsonAndContainsTheEstimate() throws {
        for n in 1...30 {
            for x in 0...n {
                let exact = try BinomialConfidence.clopperPearson(successes: x, total: n)
                #expect(exact.contains(Double(x) / Double(n)))
                #expect(exact.lower >= 0 && exact.upper <= 1 && exact.lower < exact.upper)
                // Symmetry: the interval for n − x is the mirror image.
                let mirror = try BinomialConfidence.clopperPearson(successes: n - x, total: n)
                #expect(abs(exact.lower - (1 - mirror.upper)) < 1e-12)
            }
        }
    }

    @Test func badInputNamesTheField() {
        #expect(throws: CalculatorError.outOfRange("successes", "must not exceed total (6 > 5)")) {
            try BinomialConfidence.clopperPearson(successes: 6, total: 5)
        }
        #expect { try BinomialConfidence.clopperPearson(successes: 1, total: 0) } throws: { ($0 as? CalculatorError)?.field == "total" }
        #expect { try BinomialConfidence.clopperPearson(successes: -1, total: 5) } throws: { ($0 as? CalculatorError)?.field == "successes" }
        #expect { try BinomialConfidence.clopperPearson(successes: 1, total: 5, confidenceLevel: 1) } throws: {
            ($0 as? CalculatorError)?.field == "confidenceLevel"
        }
    }
}
