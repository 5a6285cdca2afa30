import Foundation
import Testing
@testable import CartaCore

/// The Kaplan–Meier estimate reproduces R survival 3.5-3 on reference/km/dor.csv.
@Suite struct KaplanMeierReferenceTests {
    typealias Data = KaplanMeierReferenceData

    func estimate() throws -> KaplanMeierEstimate {
        try KaplanMeierEstimate(times: Data.subjects.map(\.time), events: Data.subjects.map(\.event))
    }

    // Source: reference/km/expected_R_{log,loglog,plain}.csv (R survfit conf.type log, log-log,
    // plain; std_err = Greenwood SE of S). Checked to 1e-10 (the brief asks for 1e-6).
    @Test(arguments: [
        (SurvivalConfidenceTransform.log, Data.log), (.logLog, Data.logLog), (.plain, Data.plain),
    ])
    func tableMatchesR(transform: SurvivalConfidenceTransform, expected: [Data.Row]) throws {
        let km = try estimate()
        let z = NormalDistribution.twoSidedCriticalValue(confidenceLevel: 0.95)
        #expect(km.times.count == expected.count)
        for (i, row) in expected.enumerated() where i < km.times.count {
            #expect(km.times[i] == row.time)
            #expect(km.numberAtRisk[i] == row.nRisk && km.numberOfEvents[i] == row.nEvent && km.numberCensored[i] == row.nCensor,
                    "counts at t=\(row.time)")
            #expect(abs(km.survival[i] - row.surv) < 1e-10, "S at t=\(row.time)")
            let se = try #require(km.standardError(row: i))
            #expect(abs(se - row.stdErr) < 1e-10, "SE at t=\(row.time)")
            let ci = try #require(km.confidenceInterval(row: i, transform: transform, z: z))
            #expect(abs(ci.lower - row.lower) < 1e-10, "lower at t=\(row.time): \(ci.lower) vs \(row.lower)")
            #expect(abs(ci.upper - row.upper) < 1e-10, "upper at t=\(row.time): \(ci.upper) vs \(row.upper)")
        }
    }

    // Source: reference/km/expected_R_median.csv (median 16; CI log [9, NA], log-log [7, NA], plain [9, NA]).
    @Test(arguments: Data.median)
    func medianMatchesR(transform: SurvivalConfidenceTransform, median: Double?, lower: Double?, upper: Double?) throws {
        let q = try estimate().quantile(survivalProbability: 0.5, transform: transform, confidenceLevel: 0.95)
        #expect(q.time == median)
        #expect(q.lowerConfidenceLimit == lower)
        #expect(q.upperConfidenceLimit == upper)
    }

    // Source: reference/km/README.md "Key values (log-log)", 6 decimals.
    @Test(arguments: [
        (3.0, 0.9, 0.656031, 0.974010), (12.0, 0.605647, 0.340890, 0.791634),
        (16.0, 0.441618, 0.187518, 0.670943), (20.0, 0.294412, 0.063827, 0.580776),
    ])
    func readmeKeyValues(time: Double, survival: Double, lower: Double, upper: Double) throws {
        let z = NormalDistribution.twoSidedCriticalValue(confidenceLevel: 0.95)
        let point = try estimate().timePoint(at: time, transform: .logLog, z: z)
        let s = try #require(point.survival)
        let ci = try #require(point.confidenceInterval)
        #expect(abs(s - survival) < 5e-7 && abs(ci.lower - lower) < 5e-7 && abs(ci.upper - upper) < 5e-7)
    }

    // Source: R summary.survfit(times = …) convention — n.risk = follow-up ≥ t; S is the step value at t.
    @Test(arguments: [
        (0.0, 20, 1.0), (3.0, 20, 0.9), (4.0, 17, 0.9), (6.0, 16, 0.847058823529412), (12.0, 10, 0.605647058823529),
        (13.0, 8, 0.605647058823529), (24.0, 1, 0.294411764705882),
    ])
    func numbersAtRisk(time: Double, atRisk: Int, survival: Double) throws {
        let km = try estimate()
        let point = km.timePoint(at: time, transform: .log, z: 1.96)
        #expect(point.numberAtRisk == atRisk)
        #expect(km.numberAtRisk(at: time) == atRisk)
        #expect(abs(try #require(point.survival) - survival) < 1e-12)
    }

    @Test func afterLastFollowUpSurvivalIsUndefined() throws {
        let point = try estimate().timePoint(at: 25, transform: .logLog, z: 1.96)
        #expect(point.numberAtRisk == 0)
        #expect(point.survival == nil && point.confidenceInterval == nil)
    }

    @Test func otherConfidenceLevelUsesItsOwnQuantile() throws {
        // R: survfit(..., conf.int = 0.90, conf.type = "log") at t = 3: 0.9·exp(±1.644854·0.0745356).
        let km = try estimate()
        let z = NormalDistribution.twoSidedCriticalValue(confidenceLevel: 0.90)
        let ci = try #require(km.confidenceInterval(row: 0, transform: .log, z: z))
        let seLog = (2.0 / (20.0 * 18.0)).squareRoot()
        #expect(abs(ci.lower - 0.9 * exp(-1.6448536269514722 * seLog)) < 1e-14)
        #expect(ci.upper == 1)   // 0.9·exp(+…) = 1.017 is clipped at 1
    }
}
