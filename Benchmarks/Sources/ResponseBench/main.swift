// ResponseBench: times the ITP response engine over a synthetic cohort (generation excluded).
// Target (issue 3): 100,000 participants × 60 platelet counts in < 1 s on one core, release build.
// Build and run: cd Benchmarks && swift build -c release --scratch-path /tmp/bench-build
//                /tmp/bench-build/release/ResponseBench [participants] [countsPerParticipant]
import CartaCore
import Foundation

/// One participant: 2 pre-LD counts, the rest after Day 0 every 3–4 days, a bleeding assessment per
/// count (≈ 4 % bleeding), one or two platelet transfusions, and a rescue therapy for one in five.
func makeSubject(_ rng: inout SplitMix64, counts n: Int) -> ResponseSubject {
    let d0 = 19_000 + rng.below(1500)
    var counts: [PlateletCount] = []; counts.reserveCapacity(n)
    var bleeding: [BleedingRecord] = []; bleeding.reserveCapacity(n)
    let base = Double(2 + rng.below(28))
    counts.append(PlateletCount(dayNumber: d0 - 20, plateletsPer10e9L: base + Double(rng.below(5)), anticoagulant: .edta))
    counts.append(PlateletCount(dayNumber: d0 - 8, plateletsPer10e9L: base, anticoagulant: .edta))
    let responder = rng.below(100) < 70
    var level = base, day = 1 + rng.below(3)
    for k in 2..<n {
        let target = responder ? Double(40 + rng.below(150)) : Double(rng.below(60))
        level += (target - level) * 0.3 + Double(rng.below(21)) - 10
        if level < 1 { level = 1 }
        if responder && k > 40 && rng.below(10) == 0 { level = Double(rng.below(30)) }   // some relapses
        counts.append(PlateletCount(dayNumber: d0 + day, plateletsPer10e9L: level.rounded(), anticoagulant: .edta))
        bleeding.append(BleedingRecord(dayNumber: d0 + day, present: rng.below(25) == 0, grade: nil))
        day += 3 + rng.below(2)
    }
    var transfusions = [Transfusion(dayNumber: d0 - 14 + rng.below(4), product: .platelets)]
    if rng.below(2) == 0 { transfusions.append(Transfusion(dayNumber: d0 + 5 + rng.below(20), product: .platelets)) }
    var rescues: [RescueTherapy] = []
    if rng.below(5) == 0 {
        let s = d0 + 2 + rng.below(60)
        rescues.append(RescueTherapy(startDayNumber: s, lastDoseDayNumber: s + rng.below(4), drug: "dexamethasone",
                                     reason: rng.below(2) == 0 ? .crs : .itp))
    }
    return ResponseSubject(day0DayNumber: d0, counts: counts, transfusions: transfusions, rescues: rescues,
                           bleeding: bleeding, deathDayNumber: rng.below(100) == 0 ? d0 + day + 1 : nil)
}

let args = CommandLine.arguments
let participants = args.count > 1 ? Int(args[1]) ?? 100_000 : 100_000
let perParticipant = args.count > 2 ? Int(args[2]) ?? 60 : 60
var rng = SplitMix64(state: 0x5EED_CA27A)
let cohort = (0..<participants).map { _ in makeSubject(&rng, counts: perParticipant) }
let settings = ResponseSettings()
let totalCounts = cohort.reduce(0) { $0 + $1.counts.count }

// Checksum over every result so the optimiser cannot drop the work.
func run() -> (Duration, UInt64, [Int]) {
    var checksum: UInt64 = 0
    var bor = [0, 0, 0, 0]
    let clock = ContinuousClock()
    let start = clock.now
    for s in cohort {
        let r = ResponseEngine.evaluate(s, settings: settings)
        checksum = checksum &* 31 &+ UInt64(truncatingIfNeeded: r.records.count &+ (r.response?.firstDay ?? -1) &* 7
            &+ (r.lossOfResponse?.day ?? -1) &* 13 &+ (r.durationOfResponse?.days ?? -1) &* 17 &+ r.timeInResponse.daysInResponse)
        switch r.bestOverallResponse {
        case .cr: bor[0] += 1
        case .r: bor[1] += 1
        case .nr: bor[2] += 1
        case .notEvaluable: bor[3] += 1
        }
    }
    return (clock.now - start, checksum, bor)
}

_ = run()   // warm-up (page faults, caches)
let (elapsed, checksum, bor) = run()
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
print("participants:   \(participants)")
print("counts:         \(totalCounts)")
print("seconds:        \(String(format: "%.3f", seconds))")
print("counts/second:  \(Int(Double(totalCounts) / seconds))")
print("BOR CR/R/NR/NE: \(bor[0])/\(bor[1])/\(bor[2])/\(bor[3])")
print("checksum:       \(String(checksum, radix: 16))")
