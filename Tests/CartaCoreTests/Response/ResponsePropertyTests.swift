import Testing
@testable import CartaCore

/// Invariants of rules C and L over random series (spec/clinical.md §1.6).
struct ResponsePropertyTests {
    static func randomSubject(_ rng: inout SplitMix64) -> ResponseSubject {
        let d0 = 20_000
        var counts = [PlateletCount(dayNumber: d0 - 7 - Int(rng.next() % 20), plateletsPer10e9L: Double(rng.next() % 40))]
        var bleeding: [BleedingRecord] = []
        var day = Int(rng.next() % 5)
        for _ in 0..<Int(rng.next() % 40) {
            counts.append(PlateletCount(dayNumber: d0 + day, plateletsPer10e9L: Double(rng.next() % 200)))
            if rng.next() % 4 != 0 { bleeding.append(BleedingRecord(dayNumber: d0 + day, present: rng.next() % 12 == 0)) }
            day += 1 + Int(rng.next() % 10)
        }
        var transfusions: [Transfusion] = []
        var t = -20
        while t < 200 { t += 5 + Int(rng.next() % 80); transfusions.append(Transfusion(dayNumber: d0 + t)) }
        var rescues: [RescueTherapy] = []
        if rng.next() % 3 == 0 {
            let s = Int(rng.next() % 100)
            rescues.append(RescueTherapy(startDayNumber: d0 + s, lastDoseDayNumber: d0 + s + Int(rng.next() % 4), drug: "IVIG", reason: .itp))
        }
        return ResponseSubject(day0DayNumber: d0, counts: counts, transfusions: transfusions, rescues: rescues, bleeding: bleeding)
    }

    static func settings(_ rng: inout SplitMix64) -> ResponseSettings {
        var s = ResponseSettings()
        s.confirmationIntervalDays = 1 + Int(rng.next() % 14)
        s.requireNoInterveningFailure = rng.next() % 2 == 0
        s.missingBleeding = rng.next() % 2 == 0 ? .notEvaluable : .assumeAbsent
        s.rescueWindowDays = rng.next() % 2 == 0 ? 56 : 28
        return s
    }

    // §1.6 rule C: a confirmed level always rests on two evaluable qualifying counts ≥ the interval apart.
    @Test func confirmedResponseHasTwoQualifyingCounts() {
        var rng = SplitMix64(state: 0xC0FFEE)
        var confirmedSeen = 0
        for _ in 0..<3000 {
            let subject = Self.randomSubject(&rng), s = Self.settings(&rng)
            let r = ResponseEngine.evaluate(subject, settings: s)
            for (level, c) in [(ResponseLevel.r, r.response), (.cr, r.completeResponseIWG)] {
                guard let c else { continue }
                confirmedSeen += 1
                let a = r.records[c.firstRecord], b = r.records[c.confirmingRecord]
                #expect(a.day == c.firstDay && b.day == c.confirmingDay)
                #expect(b.day - a.day >= s.confirmationIntervalDays)
                #expect(a.isEvaluableAssessment && b.isEvaluableAssessment)
                #expect(a.status >= level && b.status >= level)
                #expect(b.day <= s.responseWindowEndDay && a.day >= 0)
                if s.requireNoInterveningFailure {
                    let between = r.records.filter { $0.day > a.day && $0.day < b.day && $0.isEvaluableAssessment && $0.status != .notEvaluable }
                    #expect(between.allSatisfy { $0.status >= level })
                }
            }
            if let l = r.lossOfResponse, let c = r.response { #expect(l.day > c.confirmingDay) }
            if r.bestOverallResponse.isResponse { #expect(r.response != nil) }
        }
        #expect(confirmedSeen > 100)   // the generator really produces responses
    }

    // Determinism: the same input gives the same result.
    @Test func deterministic() {
        var rng = SplitMix64(state: 42)
        for _ in 0..<500 {
            let subject = Self.randomSubject(&rng), s = Self.settings(&rng)
            #expect(ResponseEngine.evaluate(subject, settings: s) == ResponseEngine.evaluate(subject, settings: s))
        }
    }
}
