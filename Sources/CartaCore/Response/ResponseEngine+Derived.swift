/// Derived measures computed from the forward pass: BOR, TTR, DoR (a) and (b), timed flags, dependence.
///
/// Source: spec/clinical.md §1.5 rows 1, 4–6, 8; §1.6 (derived times); §1.3/§1.4 (timed labels).
extension ResponseEngine {
    // swiftlint:disable:next function_parameter_count
    static func derive(_ s: ResponseSubject, settings: ResponseSettings, records: [AssessmentRecord], baseline: Double?,
                       ld: Int, cand: (Int, Int), r: LevelTracker, cr: LevelTracker, literal: LevelTracker,
                       cutoff: Int) -> ResponseResult {
        let windowEnd = settings.responseWindowEndDay
        var anyEvaluable = false, anyUndetermined = false
        var lastEvalDay = -1, prevDay = 0, prevResp = false, daysIn = 0
        var early = Nearest(target: settings.earlyResponseDay, window: settings.earlyResponseWindowDays)
        var initial = Nearest(target: settings.initialResponseDay, window: settings.initialResponseWindowDays)
        var durable = Nearest(target: settings.durableResponseDay, window: settings.durableResponseWindowDays)
        for rec in records where rec.day >= 0 && rec.day <= windowEnd && rec.isEvaluableAssessment {
            if rec.status == .notEvaluable { anyUndetermined = true; continue }
            anyEvaluable = true
            if prevResp { daysIn += rec.day - prevDay }
            prevDay = rec.day; prevResp = rec.status.isResponse; lastEvalDay = rec.day
            early.offer(rec); initial.offer(rec); durable.offer(rec)
        }
        // Durable flag may use an assessment past the window end (183 ± 14).
        for rec in records where rec.day > windowEnd && rec.isEvaluableAssessment && rec.status != .notEvaluable {
            durable.offer(rec); early.offer(rec); initial.offer(rec)
        }

        let bor0: ResponseLevel
        if cr.confirmed != nil { bor0 = .cr }
        else if r.confirmed != nil { bor0 = .r }
        else if anyUndetermined || !anyEvaluable { bor0 = .notEvaluable }
        else { bor0 = .nr }
        let dependence = SteroidDependenceRule.evaluate(s.steroidCourses, day0: s.day0DayNumber, lastDay: min(cutoff, windowEnd), settings: settings)
        let bor = settings.steroidDependenceMeansNonResponse && dependence.any && bor0.isResponse ? .nr : bor0

        let lossR = r.loss
        func responseDay(_ c: ConfirmedLevel) -> Int { settings.responseDateRule.day(first: c.firstDay, confirming: c.confirmingDay) }
        let litFirst = literal.confirmed?.firstDay, iwgFirst = cr.confirmed?.firstDay
        let baselineRecords = [cand.0, cand.1].prefix(settings.baselineMethod == .meanOfLastTwo ? 2 : 1).filter { $0 >= 0 }
        return ResponseResult(
            baselinePer10e9L: baseline, records: records,
            response: r.confirmed, completeResponseIWG: cr.confirmed, completeResponseProtocolLiteral: literal.confirmed,
            crDiscordant: litFirst != iwgFirst,
            lossOfCR: cr.loss, lossOfResponse: lossR, relapseCN: lossR,
            bestOverallResponse: bor, bestOverallResponseBeforeSteroidRule: bor0,
            timeToResponseDays: r.confirmed.map(responseDay),
            timeToResponseFromLymphodepletionDays: r.confirmed.map { responseDay($0) - ld },
            timeToCRDays: cr.confirmed.map(responseDay),
            durationOfResponse: r.confirmed.map { duration(s, settings, start: responseDay($0), loss: r.loss, lastEvalDay: lastEvalDay, cutoff: cutoff) },
            durationOfCR: cr.confirmed.map { duration(s, settings, start: responseDay($0), loss: cr.loss, lastEvalDay: lastEvalDay, cutoff: cutoff) },
            timeInResponse: TimeInResponse(daysInResponse: daysIn, daysObserved: max(lastEvalDay, 0)),
            earlyResponse: early.flag, initialResponse: initial.flag, durableResponse: durable.flag,
            steroidDependence: dependence, baselineRecords: Array(baselineRecords))
    }

    /// DoR method (a): event at loss (or death, when counted) before the administrative bound, else censored
    /// at the last evaluable assessment or the start of new ITP therapy, whichever comes first.
    static func duration(_ s: ResponseSubject, _ settings: ResponseSettings, start: Int, loss: LossEvent?,
                         lastEvalDay: Int, cutoff: Int) -> DurationOfResponse {
        let d0 = s.day0DayNumber
        var newTherapy: Int? = nil
        for x in s.rescues where x.reason == .itp && x.startDayNumber - d0 > start {
            newTherapy = x.startDayNumber - d0; break
        }
        let bound = min(settings.responseWindowEndDay, cutoff, newTherapy ?? Int.max)
        let death = s.deathDayNumber.map { $0 - d0 }.flatMap { $0 <= cutoff ? $0 : nil }
        let lossDay = loss.map { settings.lossDateRule.day(first: $0.day, confirming: $0.confirmingDay ?? $0.day) }
        if let l = lossDay, l <= bound, !(settings.deathIsDurationEvent && (death ?? Int.max) < l) {
            return DurationOfResponse(days: l - start, isEvent: true, endDay: l, end: .loss)
        }
        if settings.deathIsDurationEvent, let dd = death, dd <= bound, dd >= start {
            return DurationOfResponse(days: dd - start, isEvent: true, endDay: dd, end: .death)
        }
        if let nt = newTherapy, nt < lastEvalDay {
            return DurationOfResponse(days: nt - start, isEvent: false, endDay: nt, end: .newITPTherapy)
        }
        return DurationOfResponse(days: lastEvalDay - start, isEvent: false, endDay: lastEvalDay, end: .lastEvaluableAssessment)
    }

    /// Overall response rate: responders (BOR R or CR) over participants infused.
    /// Source: spec/clinical.md §1.6 rule C ("ORR = (#CR + #R) / #infused").
    public static func overallResponse(_ results: [ResponseResult]) -> (responders: Int, infused: Int) {
        (results.reduce(0) { $0 + ($1.bestOverallResponse.isResponse ? 1 : 0) }, results.count)
    }
}

/// The evaluable assessment nearest a target day within ± window (ties: the earlier one).
struct Nearest {
    let target: Int, window: Int
    var best: AssessmentRecord? = nil

    mutating func offer(_ rec: AssessmentRecord) {
        let dist = abs(rec.day - target)
        guard dist <= window else { return }
        if let b = best, abs(b.day - target) <= dist { return }
        best = rec
    }

    var flag: TimedFlag {
        guard let b = best else { return TimedFlag(outcome: .notEvaluable, day: nil, status: .notEvaluable) }
        return TimedFlag(outcome: b.status.isResponse ? .met : .notMet, day: b.day, status: b.status)
    }
}
