import CartaCore
import Foundation

/// The demo's parameters: what shapes the synthetic courses. Defaults give, over a handful of
/// participants, early and late responders, relapses and non-responders, CRS in about half with the
/// occasional ICANS, bleeding at low counts, transfusions and rescue therapy.
///
/// Source: issue 9 scope 3 (a small mechanistic course with its parameters in the demo settings). The
/// shapes follow the published course of anti-BCMA CAR-T in autoimmunity in outline only (expansion
/// peaking in the second week, plasma-cell and autoantibody depletion, platelet recovery weeks later);
/// the numbers are illustrative, not fitted to any data.
public struct DemoSettings: Sendable, Hashable, Codable {
    /// log10 of the CAR-T peak (copies/µg DNA): mean and standard deviation between participants.
    public var log10PeakMean = 4.6
    public var log10PeakSD = 0.6
    /// The highest log10 peak drawn (a draw above is set to it): 10^6.5 copies/µg is above the published peaks of
    /// anti-BCMA CAR-T and below the study's accepted qPCR range (10⁷), which the tail of the log-normal reached about
    /// once in 30,000 participants — and the entry checks then refused the value.
    public var log10PeakMax = 6.5
    /// Fraction of antibody-producing plasma cells depleted = 1 − exp(−depletionRate × peak / 10⁴).
    public var depletionRate = 0.9
    /// Below this depletion the platelets hardly recover (a non-responder).
    public var responseDepletionThreshold = 0.55
    /// Days from Day 0 to the start of platelet recovery at complete depletion, plus this many at none.
    public var minimumLagDays = 14
    public var extraLagDays = 45
    /// Time constant of platelet recovery and of its loss, days.
    public var recoveryTimeConstantDays = 18.0
    /// Chance that a responder relapses, and when (days after the recovery starts).
    public var relapseProbability = 0.3
    public var relapseAfterDays = 60...110
    /// CRS chance = logistic(crsSlope × (log10 peak − crsMidpoint)).
    public var crsMidpoint = 4.5
    public var crsSlope = 2.5
    /// Chance of ICANS given CRS of grade ≥ 2.
    public var icansGivenCRS2 = 0.35
    /// Multiplicative day-to-day noise of the platelet count (SD of the log).
    public var plateletNoise = 0.08
    /// Days between the earliest and the latest participant's Day 0 (the latest is `latestDayZeroDaysAgo` before today).
    public var enrolmentSpreadDays = 200
    public var latestDayZeroDaysAgo = 6

    public init() {}
}

/// One synthetic participant's course as a function of the protocol day: CAR-T expansion and
/// contraction, plasma-cell depletion, platelet recovery with a lag (and a relapse for some), CRS and
/// ICANS risk rising with expansion, bleeding at low counts. Deterministic for its seed.
///
/// Source: issue 9 scope 3; spec/clinical.md §5.1–5.2 (ASTCT grades the signs are drawn for), §2.1
/// (bleeding sites of the Chinese score), §1.1 (the thresholds 30/100 the recovery crosses).
public struct DemoCourse: Sendable, Hashable {
    public let index: Int
    public let dayZero: ClinicalDate
    public let baseline: Double
    public let weightKg: Double
    public let log10Peak: Double
    public let peakDay: Int
    public let depletion: Double
    public let lagDays: Int
    public let plateau: Double
    public let relapseDay: Int?
    public let crsGrade: Int
    public let crsOnsetDay: Int
    public let crsDays: Int
    public let icansGrade: Int
    let seed: UInt64
    let settings: DemoSettings

    public init(index: Int, of count: Int, seed: UInt64, today: ClinicalDate, settings: DemoSettings = DemoSettings()) {
        var rng = SplitMix64(state: seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
        self.index = index; self.seed = seed; self.settings = settings
        let spread = count > 1 ? settings.enrolmentSpreadDays * (count - 1 - index) / (count - 1) : 0
        dayZero = today.adding(days: -(settings.latestDayZeroDaysAgo + spread))
        baseline = Double(8 + rng.below(20))
        weightKg = Double(52 + rng.below(30))
        log10Peak = min(settings.log10PeakMax, settings.log10PeakMean + settings.log10PeakSD * Self.normal(&rng))
        peakDay = 8 + rng.below(6)
        depletion = 1 - exp(-settings.depletionRate * pow(10, log10Peak - 4))
        let responder = depletion >= settings.responseDepletionThreshold
        lagDays = settings.minimumLagDays + Int(Double(settings.extraLagDays) * (1 - depletion)) + rng.below(10)
        plateau = responder ? baseline + depletion * Double(90 + rng.below(160)) : baseline * (1.2 + 0.5 * rng.uniform())
        let relapses = responder && rng.uniform() < settings.relapseProbability
        let relapseDelay = settings.relapseAfterDays.lowerBound + rng.below(settings.relapseAfterDays.count)
        relapseDay = relapses ? lagDays + relapseDelay : nil
        let crsChance = 1 / (1 + exp(-settings.crsSlope * (log10Peak - settings.crsMidpoint)))
        var grade = rng.uniform() < crsChance ? 1 : 0
        if grade == 1, log10Peak > 4.9, rng.uniform() < 0.6 { grade = 2 }
        if grade == 2, log10Peak > 5.4, rng.uniform() < 0.4 { grade = 3 }
        crsGrade = grade
        crsOnsetDay = max(3, peakDay - 5 + rng.below(3))
        crsDays = 2 + rng.below(4)
        icansGrade = grade >= 2 && rng.uniform() < settings.icansGivenCRS2 ? 1 + rng.below(2) : 0
    }

    /// A standard normal draw (Box–Muller).
    static func normal(_ rng: inout SplitMix64) -> Double {
        let u = max(rng.uniform(), 1e-12), v = rng.uniform()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }

    /// The noise-free platelet count ×10⁹/L on a protocol day: the lymphodepletion dip, the lagged
    /// recovery towards the plateau and, after a relapse, the fall back towards the baseline.
    public func expectedPlatelets(day: Int) -> Double {
        let dip = day >= -3 ? 0.55 * exp(-Double(max(day, 0)) / 6) : 0
        var p = baseline * (1 - dip)
        let tau = settings.recoveryTimeConstantDays
        if day > lagDays { p += (plateau - baseline) * (1 - exp(-Double(day - lagDays) / tau)) }
        if let r = relapseDay, day > r {
            let reached = baseline + (plateau - baseline) * (1 - exp(-Double(r - lagDays) / tau))
            p = reached - (reached - baseline * 0.9) * (1 - exp(-Double(day - r) / (tau / 2)))
        }
        return max(2, p)
    }

    /// The count as measured: the expected count with day-to-day noise, whole numbers.
    public func platelets(day: Int) -> Int {
        var rng = SplitMix64(state: seed ^ UInt64(bitPattern: Int64(index * 1_000 + day + 500)))
        return max(1, Int((expectedPlatelets(day: day) * exp(settings.plateletNoise * Self.normal(&rng))).rounded()))
    }

    /// CAR-T copies/µg DNA on a day: log-linear expansion to the peak, then contraction.
    public func carT(day: Int) -> Double {
        guard day >= 0 else { return 0 }
        let peak = pow(10, log10Peak)
        return day <= peakDay ? peak * pow(10, -3 * Double(peakDay - day) / Double(peakDay)) : peak * exp(-Double(day - peakDay) / 12)
    }

    /// The CRS grade on a day (0 outside the episode; the peak grade in its middle).
    public func crs(day: Int) -> Int {
        guard crsGrade > 0, day >= crsOnsetDay, day < crsOnsetDay + crsDays else { return 0 }
        return day - crsOnsetDay == crsDays / 2 ? crsGrade : 1
    }

    public func icans(day: Int) -> Int {
        guard icansGrade > 0, day >= crsOnsetDay + 1, day < crsOnsetDay + 3 else { return 0 }
        return icansGrade
    }

    /// Prednisone mg/day at baseline (0, 10, 15 or 20), drawn apart from the course so older seeds keep their courses.
    public var prednisoneBaselineMg: Double { [0, 10, 15, 20][Int(chance(day: -200, 11) * 4)] }

    /// Prednisone mg/day on a day: the baseline dose, halved every 4 weeks from two weeks after the platelets
    /// start to recover (stopped below 2.5 mg), back to the baseline dose a week after a relapse.
    public func prednisoneMg(day: Int) -> Double {
        let base = prednisoneBaselineMg
        let responds = depletion >= settings.responseDepletionThreshold
        if let r = relapseDay, day > r + 7 { return base }
        guard responds, day > lagDays + 14 else { return base }
        let halvings = (day - lagDays - 14) / 28 + 1
        let dose = base / pow(2, Double(halvings))
        return dose < 2.5 ? 0 : (dose * 2).rounded() / 2
    }

    /// Eltrombopag mg/day: 50 for every other participant at baseline, stopped four weeks into a recovery.
    public func eltrombopagMg(day: Int) -> Double {
        guard index % 2 == 1 else { return 0 }
        let responds = depletion >= settings.responseDepletionThreshold
        return responds && day > lagDays + 28 && relapseDay.map({ day <= $0 }) ?? true ? 0 : 50
    }

    /// A random draw in [0, 1) that is the same for the same day and purpose.
    public func chance(day: Int, _ purpose: UInt64) -> Double {
        var rng = SplitMix64(state: seed ^ (purpose &* 0xA24B_AED4_963E_E407) ^ UInt64(bitPattern: Int64(index * 7_919 + day)))
        return rng.uniform()
    }
}
