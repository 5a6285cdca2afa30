// KMBench: Carta's Kaplan–Meier on 1,000,000 subjects, timed against Python lifelines on the
// same data (see Benchmarks/run-km.sh and BENCHMARKS.md).
//
// Usage: KMBench CSV_PATH [SUBJECTS=1000000] [REPEATS=7]
// Writes the generated subjects to CSV_PATH (id,time,event) so lifelines reads the same data,
// then times KaplanMeierEstimate + log-log CIs for every row + median with CI (single thread),
// excluding data generation and file I/O.
import CartaCore
import Foundation

let args = CommandLine.arguments
guard args.count >= 2 else {
    FileHandle.standardError.write(Data("usage: KMBench CSV_PATH [SUBJECTS] [REPEATS]\n".utf8))
    exit(2)
}
let path = args[1]
let n = args.count > 2 ? Int(args[2]) ?? 1_000_000 : 1_000_000
let repeats = args.count > 3 ? Int(args[3]) ?? 7 : 7

// Event times ~ Exp(mean 12 months); independent censoring ~ Exp(rate 3/7 of the event rate),
// so P(censored) = 0.3.
var rng = SplitMix64(state: 20_261_125)
var times = [Double](repeating: 0, count: n)
var events = [Bool](repeating: false, count: n)
let eventRate = 1.0 / 12, censorRate = eventRate * 0.3 / 0.7
for i in 0..<n {
    let t = -log1p(-rng.uniform()) / eventRate
    let c = -log1p(-rng.uniform()) / censorRate
    times[i] = min(t, c)
    events[i] = t <= c
}

// CSV with shortest round-trip decimal times, so Python parses exactly the same doubles.
var csv = [UInt8]()
csv.reserveCapacity(n * 28)
csv.append(contentsOf: Array("id,time,event\n".utf8))
for i in 0..<n {
    csv.append(contentsOf: Array("S\(i),\(times[i]),\(events[i] ? 1 : 0)\n".utf8))
}
try Data(csv).write(to: URL(fileURLWithPath: path))

func analyse(_ times: [Double], _ events: [Bool]) throws -> (KaplanMeierEstimate, KaplanMeierConfidenceBand, SurvivalTimeQuantile) {
    let km = try KaplanMeierEstimate(times: times, events: events)
    let band = try km.confidenceBand(transform: .logLog, confidenceLevel: 0.95)
    let median = km.quantile(survivalProbability: 0.5, band: band)
    return (km, band, median)
}

let clock = ContinuousClock()
var seconds = [Double]()
var last: (KaplanMeierEstimate, KaplanMeierConfidenceBand, SurvivalTimeQuantile)? = nil
for _ in 0..<repeats {
    let start = clock.now
    last = try analyse(times, events)
    let d = clock.now - start
    seconds.append(Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
}
let (km, band, median) = last!
let z = NormalDistribution.twoSidedCriticalValue(confidenceLevel: 0.95)
func fmt(_ x: Double?) -> String { x.map { String(format: "%.12f", $0) } ?? "NA" }
print("KMBench subjects=\(n) events=\(km.numberOfEvents.reduce(0, +)) distinct_times=\(km.times.count)")
print("checksum median=\(fmt(median.time)) median_ci=[\(fmt(median.lowerConfidenceLimit)), \(fmt(median.upperConfidenceLimit))]")
for t in [6.0, 12.0, 24.0] {
    let p = km.timePoint(at: t, transform: .logLog, z: z)
    print("checksum S(\(Int(t)))=\(fmt(p.survival)) ci=[\(fmt(p.confidenceInterval?.lower)), \(fmt(p.confidenceInterval?.upper))] at_risk=\(p.numberAtRisk)")
}
print("checksum band_rows=\(band.lower.count)")
let sorted = seconds.sorted()
print(String(format: "carta_km_seconds min=%.4f median=%.4f (repeats=%d)", sorted[0], sorted[sorted.count / 2], repeats))
