import Foundation
import Testing
@testable import CartaCore

/// Kaplan–Meier edge cases: flats at exactly 0.5, curves reaching 0, ties, invalid input.
@Suite struct KaplanMeierEdgeCaseTests {
    // R survival quantile.survfit: a curve flat at exactly 0.5 gives the midpoint of the flat
    // (1:4 all events → S = .75, .5, .25, 0 → median 2.5).
    @Test func medianOnAFlatAtOneHalfIsTheMidpoint() throws {
        let km = try KaplanMeierEstimate(times: [1, 2, 3, 4], events: [true, true, true, true])
        let q = try km.quantile(transform: .log, confidenceLevel: 0.95)
        #expect(q.time == 2.5)
    }

    // R: a curve that ends on the flat at 0.5 → midpoint of the flat's start and the last time.
    @Test func medianWhenTheCurveEndsOnOneHalf() throws {
        let km = try KaplanMeierEstimate(times: [1, 2, 3, 4], events: [true, true, false, false])
        let q = try km.quantile(transform: .log, confidenceLevel: 0.95)
        #expect(q.time == 3)
    }

    @Test func curveReachingZeroHasNoStandardErrorOrInterval() throws {
        let km = try KaplanMeierEstimate(times: [1, 2, 3], events: [true, true, true])
        #expect(abs(km.survival[0] - 2.0 / 3) < 1e-15 && abs(km.survival[1] - 1.0 / 3) < 1e-15 && km.survival[2] == 0)
        #expect(km.standardError(row: 2) == nil)
        for transform in SurvivalConfidenceTransform.allCases {
            #expect(km.confidenceInterval(row: 2, transform: transform, z: 1.96) == nil)
        }
        #expect(try km.quantile(transform: .logLog, confidenceLevel: 0.95).time == 2)
    }

    @Test func censoringBeforeFirstEventKeepsSurvivalAtOne() throws {
        let km = try KaplanMeierEstimate(times: [0.5, 2, 2, 5], events: [false, true, false, false])
        #expect(km.survival[0] == 1)
        for transform in SurvivalConfidenceTransform.allCases {
            #expect(km.confidenceInterval(row: 0, transform: transform, z: 1.96) == ConfidenceInterval(lower: 1, upper: 1))
        }
        #expect(km.numberAtRisk == [4, 3, 1])
        #expect(km.numberOfEvents == [0, 1, 0] && km.numberCensored == [1, 1, 1])
        #expect(try km.quantile(transform: .log, confidenceLevel: 0.95).time == nil)   // S never ≤ 0.5
    }

    @Test func zeroAndNegativeZeroTimesAreTheSameTime() throws {
        let km = try KaplanMeierEstimate(times: [0.0, -0.0, 1], events: [true, false, true])
        #expect(km.times == [0, 1])
        #expect(km.numberOfEvents == [1, 1] && km.numberCensored == [1, 0])
    }

    @Test func invalidInputNamesTheField() {
        #expect { try KaplanMeierEstimate(times: [1, -2], events: [true, true]) } throws: {
            ($0 as? CalculatorError)?.field == "times[1]"
        }
        #expect { try KaplanMeierEstimate(times: [1, .nan], events: [true, true]) } throws: {
            ($0 as? CalculatorError)?.field == "times[1]"
        }
        #expect { try KaplanMeierEstimate(times: [1], events: [true, false]) } throws: { ($0 as? CalculatorError)?.field == "events" }
        #expect { try KaplanMeierEstimate(times: [], events: []) } throws: { ($0 as? CalculatorError)?.field == "times" }
        #expect { try KaplanMeierEstimate(times: [1], events: [true]).quantile(transform: .log, confidenceLevel: 1.2) } throws: {
            ($0 as? CalculatorError)?.field == "confidenceLevel"
        }
        #expect { try KaplanMeierEstimate(times: [1], events: [true]).quantile(survivalProbability: 1, transform: .log, confidenceLevel: 0.95) } throws: {
            ($0 as? CalculatorError)?.field == "survivalProbability"
        }
    }
}
