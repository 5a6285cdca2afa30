import Testing
@testable import CartaCore

/// Rules B, E, S, C, L and their settings beyond the §1.7 vectors.
struct ResponseRuleTests {
    // §1.6 rule B: a pre-LD count within 7 days after a platelet transfusion is not the baseline.
    @Test func baselineSkipsCountAfterTransfusion() throws {
        var f = ResponseFixture(); f.counts = [(-20, 10), (-8, 40), (14, 45), (21, 45)]; f.transfusionDays = [-10]
        let r = f.evaluate()
        #expect(r.baselinePer10e9L == 10)
        #expect(try #require(r.record(-8)).basis == .baselineAfterTransfusion)
        #expect(try #require(r.record(-20)).rules.contains(.baseline))
        #expect(r.bestOverallResponse == .r)
    }

    // §1.6 rule B option: mean of the last two eligible counts.
    @Test func baselineMeanOfLastTwo() {
        var f = ResponseFixture(); f.counts = [(-30, 10), (-20, 30), (-8, 20)]
        var s = ResponseSettings(); s.baselineMethod = .meanOfLastTwo
        let r = f.evaluate(s)
        #expect(r.baselinePer10e9L == 25)
        #expect(r.baselineRecords == [2, 1])
        #expect(f.evaluate().baselinePer10e9L == 20)
    }

    // §1.6 rule B: "dated before the first LD dose" — a Day −5 count is excluded unless configured.
    @Test func baselineOnLymphodepletionDay() throws {
        var f = ResponseFixture(); f.counts = [(-10, 10), (-5, 15)]
        #expect(f.evaluate().baselinePer10e9L == 10)
        #expect(try #require(f.evaluate().record(-5)).basis == .preInfusion)
        var s = ResponseSettings(); s.baselineIncludesLymphodepletionDay = true
        #expect(f.evaluate(s).baselinePer10e9L == 15)
    }

    // §1.6 rule B: no baseline → not evaluable for R, CR still evaluable.
    @Test func missingBaseline() throws {
        var f = ResponseFixture(); f.counts = [(14, 50), (21, 55)]
        let r = f.evaluate()
        #expect(r.baselinePer10e9L == nil)
        #expect(try #require(r.record(14)).basis == .missingBaseline)
        #expect(r.bestOverallResponse == .notEvaluable)
        var g = ResponseFixture(); g.counts = [(14, 150), (21, 160)]
        #expect(g.evaluate().bestOverallResponse == .cr)
        var h = ResponseFixture(); h.counts = [(14, 10), (21, 20)]
        #expect(h.evaluate().bestOverallResponse == .nr)
    }

    // §1.6 rule S: bleeding matched within ± 1 day; missing bleeding is not evaluable by default.
    @Test func bleedingMatchingAndMissing() throws {
        var f = ResponseFixture(); f.baseline = 10; f.counts = [(14, 50)]; f.bleedingDays = [15]
        #expect(try #require(f.evaluate().record(14)).basis == .bleeding)
        var g = ResponseFixture(); g.baseline = 10; g.counts = [(14, 50), (21, 50), (28, 20)]; g.noBleedingRecords = true
        let r = g.evaluate()
        #expect(try #require(r.record(14)).basis == .missingBleeding)
        #expect(try #require(r.record(28)).status == .nr)       // < 30 settles it without bleeding
        #expect(r.bestOverallResponse == .notEvaluable)
        var s = ResponseSettings(); s.missingBleeding = .assumeAbsent
        #expect(g.evaluate(s).bestOverallResponse == .r)
    }

    // §1.6 rule S [?]: the rejected 3 × B reading, as a setting.
    @Test func tripleBaselineReading() throws {
        var f = ResponseFixture(); f.baseline = 20; f.counts = [(14, 50), (21, 50)]
        #expect(f.evaluate().bestOverallResponse == .r)
        var s = ResponseSettings(); s.baselineMultiplier = 3
        #expect(f.evaluate(s).bestOverallResponse == .nr)
        #expect(try #require(f.evaluate(s).record(14)).basis == .belowDoubling)
    }

    // §1.6 rule C option requireNoInterveningFailure.
    @Test func interveningFailure() {
        var f = ResponseFixture(); f.baseline = 10; f.counts = [(14, 50), (17, 15), (21, 50)]
        #expect(f.evaluate().response == nil)
        var s = ResponseSettings(); s.requireNoInterveningFailure = false
        #expect(f.evaluate(s).response?.firstDay == 14)
    }

    // §1.6 rule L [?]: bleeding alone ends the response on the bleeding date.
    @Test func bleedingAloneLoss() {
        var f = ResponseFixture(); f.baseline = 10; f.counts = [(14, 50), (21, 50), (40, 50)]; f.bleedingDays = [30]
        let r = f.evaluate()
        #expect(r.lossOfResponse == LossEvent(day: 30, confirmingDay: nil, byBleeding: true))
        #expect(r.durationOfResponse == DurationOfResponse(days: 16, isEvent: true, endDay: 30, end: .loss))
        var s = ResponseSettings(); s.bleedingAloneTriggersLoss = false
        #expect(f.evaluate(s).lossOfResponse == nil)
    }

    // §1.6 rule E [D]: CRS steroids and replacement IVIG count as rescue unless switched off.
    @Test func rescueReasonToggles() throws {
        var f = ResponseFixture(); f.baseline = 10; f.counts = [(20, 50)]; f.rescues = [(3, 5, .crs)]
        #expect(try #require(f.evaluate().record(20)).basis == .rescueWindow)
        var s = ResponseSettings(); s.crsIcansTherapyIsRescue = false
        #expect(try #require(f.evaluate(s).record(20)).basis == .atLeast30AndDoubling)
        f.rescues = [(3, 3, .replacementIVIG)]
        s = ResponseSettings(); s.replacementIVIGIsRescue = false
        #expect(try #require(f.evaluate().record(20)).basis == .rescueWindow)
        #expect(try #require(f.evaluate(s).record(20)).basis == .atLeast30AndDoubling)
    }

    // §1.6 DoR censoring at the start of new ITP therapy (§9.3 item 5).
    @Test func newITPTherapyCensors() {
        var f = ResponseFixture(); f.baseline = 10; f.counts = [(14, 50), (21, 50), (28, 50), (100, 10), (101, 10)]
        f.rescues = [(40, 40, .itp)]
        #expect(f.evaluate().durationOfResponse == DurationOfResponse(days: 26, isEvent: false, endDay: 40, end: .newITPTherapy))
    }

    // Data cut-off: later records are ignored.
    @Test func dataCutoff() {
        var f = ResponseFixture(); f.baseline = 10; f.counts = [(14, 50), (21, 50)]; f.cutoffDay = 20
        let r = f.evaluate()
        #expect(r.records.count == 2)
        #expect(r.response == nil)
    }

    // §1.6 BOR window: a pair confirmed after Day 183 does not count.
    @Test func borWindow() {
        var f = ResponseFixture(); f.baseline = 10; f.counts = [(180, 50), (187, 50)]
        #expect(f.evaluate().bestOverallResponse == .nr)
    }

    // §1.3/§1.6 early, initial and durable flags from the nearest assessment in the window.
    @Test func timedFlags() {
        var f = ResponseFixture(); f.baseline = 10; f.counts = [(5, 25), (9, 50), (26, 50), (36, 50), (190, 15)]
        let r = f.evaluate()
        #expect(r.earlyResponse == TimedFlag(outcome: .notMet, day: 5, status: .nr))   // tie 5/9 → earlier
        #expect(r.initialResponse == TimedFlag(outcome: .met, day: 26, status: .r))
        #expect(r.durableResponse == TimedFlag(outcome: .notMet, day: 190, status: .nr))
        var g = ResponseFixture(); g.baseline = 10; g.counts = [(50, 50)]
        #expect(g.evaluate().earlyResponse.outcome == .notEvaluable)
    }

    // §1.6 DoR method (b): status carried forward, observed from Day 0 to the last evaluable count.
    @Test func timeInResponse() {
        var f = ResponseFixture(); f.baseline = 10; f.counts = [(10, 15), (20, 50), (30, 60), (50, 15), (60, 15)]
        let t = f.evaluate().timeInResponse
        #expect(t.daysInResponse == 30 && t.daysObserved == 60)
        #expect(t.fraction == 0.5)
    }

    // §1.2/§1.4/§1.5 row 6: steroid dependence by either definition makes a responder NR.
    @Test func steroidDependence() {
        var f = ResponseFixture(); f.baseline = 10; f.counts = [(14, 50), (21, 50)]
        f.steroids = [(10, 40, 5), (50, 75, 5)]                 // gap 9 d → one 66-day exposure, ≤ 5 mg
        var r = f.evaluate()
        #expect(r.steroidDependence == SteroidDependence(iwg: true, chinese2020: false))
        #expect(r.bestOverallResponse == .nr && r.bestOverallResponseBeforeSteroidRule == .r)
        f.steroids = [(10, 40, 10)]                             // 31 days above 5 mg/day
        r = f.evaluate()
        #expect(r.steroidDependence == SteroidDependence(iwg: false, chinese2020: true))
        f.steroids = [(10, 12, 40), (40, 42, 40), (80, 82, 40)]  // three separate pulses
        #expect(f.evaluate().steroidDependence.chinese2020)
        var s = ResponseSettings(); s.steroidDependenceMeansNonResponse = false
        #expect(f.evaluate(s).bestOverallResponse == .r)
    }
}

/// §1.6 rules C and L [D]: the pair member that dates a response or a loss is a setting.
struct ResponsePairDatingTests {
    @Test func confirmingCountDating() {
        var f = ResponseFixture(); f.baseline = 12; f.counts = [(14, 35), (21, 48), (120, 25), (121, 22)]
        var s = ResponseSettings(); s.responseDateRule = .confirmingCount; s.lossDateRule = .confirmingCount
        let r = f.evaluate(s)
        #expect(r.timeToResponseDays == 21)
        #expect(r.durationOfResponse == DurationOfResponse(days: 100, isEvent: true, endDay: 121, end: .loss))
        #expect(f.evaluate().durationOfResponse?.days == 106)     // default: first of each pair (spec T3)
    }
}
