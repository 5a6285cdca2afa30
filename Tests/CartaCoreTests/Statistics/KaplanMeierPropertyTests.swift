import Foundation
import Testing
@testable import CartaCore

/// Invariants of the Kaplan–Meier estimate on seeded random data, and agreement with a naive
/// O(n²) implementation written straight from the definition.
@Suite struct KaplanMeierPropertyTests {
    /// Random data: `tied` draws times from a coarse grid (many ties), otherwise exponential times.
    static func sample(seed: UInt64, count: Int, tied: Bool) -> (times: [Double], events: [Bool]) {
        var rng = SplitMix64(state: seed)
        var times: [Double] = [], events: [Bool] = []
        for _ in 0..<count {
            let u = rng.uniform()
            times.append(tied ? Double(Int(u * 40)) / 2 : -log1p(-u) * 12)
            events.append(rng.uniform() >= 0.3)
        }
        return (times, events)
    }

    /// The definition, O(n²): for each distinct time, count at risk, events and censorings directly.
    static func naive(times: [Double], events: [Bool]) -> [(t: Double, n: Int, d: Int, c: Int, s: Double, v: Double)] {
        var rows: [(t: Double, n: Int, d: Int, c: Int, s: Double, v: Double)] = []
        var s = 1.0, v = 0.0
        for t in Set(times).sorted() {
            var n = 0, d = 0, c = 0
            for i in times.indices {
                if times[i] >= t { n += 1 }
                if times[i] == t { if events[i] { d += 1 } else { c += 1 } }
            }
            if d > 0 {
                s *= 1 - Double(d) / Double(n)
                v += d == n ? .infinity : Double(d) / Double(n * (n - d))
            }
            rows.append((t, n, d, c, s, v))
        }
        return rows
    }

    // Sizes below and above the radix-sort threshold (512), with and without ties.
    @Test(arguments: [(1 as UInt64, 7, true), (2, 60, true), (3, 60, false), (4, 700, true), (5, 1500, false), (6, 2000, true)])
    func matchesNaiveDefinition(seed: UInt64, count: Int, tied: Bool) throws {
        let (times, events) = Self.sample(seed: seed, count: count, tied: tied)
        let km = try KaplanMeierEstimate(times: times, events: events)
        let expected = Self.naive(times: times, events: events)
        #expect(km.times.count == expected.count)
        #expect(km.subjectCount == count)
        for (i, row) in expected.enumerated() where i < km.times.count {
            #expect(km.times[i] == row.t)
            #expect(km.numberAtRisk[i] == row.n && km.numberOfEvents[i] == row.d && km.numberCensored[i] == row.c)
            #expect(abs(km.survival[i] - row.s) <= 1e-12)
            if row.v.isFinite { #expect(abs(km.varianceOfLogSurvival[i] - row.v) <= 1e-12 * max(1, row.v)) }
            else { #expect(km.varianceOfLogSurvival[i] == .infinity) }
        }
    }

    @Test(arguments: [11 as UInt64, 12, 13, 14])
    func survivalIsMonotoneBoundedAndInsideItsIntervals(seed: UInt64) throws {
        for tied in [true, false] {
            let (times, events) = Self.sample(seed: seed, count: 800, tied: tied)
            let km = try KaplanMeierEstimate(times: times, events: events)
            var previous = 1.0
            for i in km.times.indices {
                let s = km.survival[i]
                #expect(s <= previous && s >= 0 && s <= 1)
                previous = s
                for transform in SurvivalConfidenceTransform.allCases {
                    for level in [0.8, 0.95, 0.99] {
                        let z = NormalDistribution.twoSidedCriticalValue(confidenceLevel: level)
                        guard let ci = km.confidenceInterval(row: i, transform: transform, z: z) else {
                            #expect(s == 0); continue
                        }
                        #expect(ci.lower >= 0 && ci.upper <= 1)
                        #expect(ci.contains(s) || abs(ci.lower - s) < 1e-15 || abs(ci.upper - s) < 1e-15)
                    }
                }
            }
            // The median lies between its confidence limits when all three are reached.
            let q = try km.quantile(transform: .logLog, confidenceLevel: 0.95)
            if let m = q.time, let lo = q.lowerConfidenceLimit { #expect(lo <= m) }
            if let m = q.time, let hi = q.upperConfidenceLimit { #expect(m <= hi) }
        }
    }

    @Test(arguments: SurvivalConfidenceTransform.allCases)
    func bandAndLazyQuantileAgree(transform: SurvivalConfidenceTransform) throws {
        for seed in [21 as UInt64, 22, 23] {
            let (times, events) = Self.sample(seed: seed, count: 300, tied: seed != 22)
            let km = try KaplanMeierEstimate(times: times, events: events)
            let band = try km.confidenceBand(transform: transform, confidenceLevel: 0.9)
            let z = NormalDistribution.twoSidedCriticalValue(confidenceLevel: 0.9)
            for i in km.times.indices {
                let ci = km.confidenceInterval(row: i, transform: transform, z: z)
                #expect(band.lower[i] == ci?.lower && band.upper[i] == ci?.upper)
            }
            #expect(km.quantile(band: band) == (try km.quantile(transform: transform, confidenceLevel: 0.9)))
        }
    }

    @Test func atRiskCountsMatchDirectCounting() throws {
        let (times, events) = Self.sample(seed: 99, count: 600, tied: true)
        let km = try KaplanMeierEstimate(times: times, events: events)
        for t in stride(from: 0.0, through: 21, by: 0.25) {
            #expect(km.numberAtRisk(at: t) == times.filter { $0 >= t }.count, "t=\(t)")
        }
    }

    @Test func radixSortSortsLikeTheStandardLibrary() {
        var rng = SplitMix64(state: 2024)
        for count in [0, 1, 5, 511, 512, 5000] {
            var keys = (0..<count).map { _ in rng.next() >> (rng.next() % 40) }
            let expected = keys.sorted()
            RadixSort.sort(&keys)
            #expect(keys == expected, "count \(count)")
        }
    }
}
