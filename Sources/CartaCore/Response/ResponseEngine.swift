/// The ITP response engine: one forward pass over a participant's sorted counts applying rules B, E, S, C, L.
///
/// Transfusion, rescue and bleeding windows are two-pointer cursors over the sorted event arrays, so the
/// pass is O(counts + events) with no dictionaries, strings or `Date` values. Explanations are built
/// lazily from the compact records (`ResponseExplanation`).
/// Source: spec/clinical.md §1.6 (derivation algorithm), §1.5 (system rules), §0.3 (whole-day intervals).
public enum ResponseEngine {
    /// Evaluates one participant. Input arrays must be sorted by date (see `ResponseSubject`) and the
    /// settings valid (`ResponseSettings.validate`); the `response` calculator checks both.
    public static func evaluate(_ s: ResponseSubject, settings: ResponseSettings = ResponseSettings()) -> ResponseResult {
        let d0 = s.day0DayNumber
        let ld = s.lymphodepletionStartDayNumber.map { $0 - d0 } ?? settings.lymphodepletionStartDay
        let baselineEnd = settings.baselineIncludesLymphodepletionDay ? ld + 1 : ld   // baseline: day < baselineEnd
        let cutoff = s.cutoffDayNumber.map { $0 - d0 } ?? Int.max
        let windowEnd = settings.responseWindowEndDay
        let mult = settings.baselineMultiplier
        let tol = settings.bleedingMatchToleranceDays
        let bleedingIsSeparateLoss = settings.bleedingAloneTriggersLoss

        var records: [AssessmentRecord] = []
        records.reserveCapacity(s.counts.count)

        // Cursors.
        var ti = 0, lastTransfusion = Int.min / 2
        var ri = 0, rescueEnd = Int.min / 2, rescueIndex = -1
        var bi = 0
        // Baseline candidates (record indices of the last two eligible counts).
        var cand1 = -1, cand2 = -1
        var baseline: Double? = nil, baselineDone = false
        // Level trackers.
        var rT = LevelTracker(), crT = LevelTracker(), litT = LevelTracker()
        let confirmGap = settings.confirmationIntervalDays, lossGap = settings.lossConfirmationIntervalDays
        let noIntervening = settings.requireNoInterveningFailure

        let counts = s.counts, n = counts.count
        var i = 0
        while i < n {
            let dn = counts[i].dayNumber
            let day = dn - d0
            if day > cutoff { break }
            // Same-date group: pick the preferred anticoagulant (T12), keep all for display.
            var j = i + 1, best = i
            while j < n && counts[j].dayNumber == dn {
                if counts[j].anticoagulant.preferenceRank < counts[best].anticoagulant.preferenceRank { best = j }
                j += 1
            }
            // Advance the transfusion cursor to events on or before this day.
            while ti < s.transfusions.count && s.transfusions[ti].dayNumber <= dn {
                if s.transfusions[ti].product == .platelets { lastTransfusion = s.transfusions[ti].dayNumber - d0 }
                ti += 1
            }
            while ri < s.rescues.count && s.rescues[ri].startDayNumber <= dn {
                let r = s.rescues[ri]
                if isRescueExposure(r.reason, settings), r.lastDoseDayNumber - d0 >= rescueEnd {
                    rescueEnd = r.lastDoseDayNumber - d0; rescueIndex = ri
                }
                ri += 1
            }
            let p = counts[best].plateletsPer10e9L
            var rec = AssessmentRecord(day: day, countIndex: best, firstCountIndex: i, countsOnDate: j - i,
                                       plateletsPer10e9L: p, status: .notEvaluable, basis: .preInfusion,
                                       causeDay: nil, causeIndex: -1, bleeding: .notAssessed,
                                       meetsProtocolLiteralCR: false, rules: [])
            if day < baselineEnd {
                if day - lastTransfusion < settings.baselineTransfusionGapDays {
                    rec.basis = .baselineAfterTransfusion; rec.causeDay = lastTransfusion; rec.rules = .baseline
                } else {
                    rec.basis = .baselineCandidate
                    cand2 = cand1; cand1 = records.count
                }
                records.append(rec); i = j; continue
            }
            if !baselineDone {
                baselineDone = true
                baseline = formBaseline(cand1, cand2, &records, settings.baselineMethod)
            }
            if day < 0 { records.append(rec); i = j; continue }

            // Rule E.
            if day - lastTransfusion < settings.transfusionWindowDays {
                rec.basis = .transfusionWindow; rec.causeDay = lastTransfusion; rec.rules = .evaluability
                records.append(rec); i = j; continue
            }
            if rescueIndex >= 0 && day - rescueEnd < settings.rescueWindowDays {
                rec.basis = .rescueWindow; rec.causeDay = rescueEnd; rec.causeIndex = rescueIndex; rec.rules = .evaluability
                records.append(rec); i = j; continue
            }
            // Bleeding within ± tol.
            while bi < s.bleeding.count && s.bleeding[bi].dayNumber < dn - tol { bi += 1 }
            var k = bi
            while k < s.bleeding.count && s.bleeding[k].dayNumber <= dn + tol {
                if s.bleeding[k].present {
                    if rec.bleeding != .present { rec.bleeding = .present; rec.causeDay = s.bleeding[k].dayNumber - d0 }
                } else if rec.bleeding == .notAssessed { rec.bleeding = .absent }
                k += 1
            }
            // Rule S.
            rec.rules = .status
            rec.meetsProtocolLiteralCR = p >= 100
            let bleedKnown = rec.bleeding != .notAssessed || settings.missingBleeding == .assumeAbsent
            let doubling: Bool? = baseline.map { p >= mult * $0 }
            if rec.bleeding == .present { rec.status = .nr; rec.basis = .bleeding }
            else if p < 30 { rec.status = .nr; rec.basis = .below30 }
            else if p < 100 && doubling == false { rec.status = .nr; rec.basis = .belowDoubling }
            else if !bleedKnown { rec.basis = .missingBleeding }
            else if p >= 100 { rec.status = .cr; rec.basis = .atLeast100 }
            else if doubling == true { rec.status = .r; rec.basis = .atLeast30AndDoubling }
            else { rec.basis = .missingBaseline }

            // Tri-states for rules C and L (nil = cannot tell).
            let bleedOK: Bool? = rec.bleeding == .present ? false : (bleedKnown ? true : nil)
            let meetsCR: Bool? = p < 100 ? false : bleedOK
            let plateletR: Bool? = p >= 100 ? true : (p < 30 ? false : doubling)
            let meetsR: Bool? = bleedOK == false || plateletR == false ? false : (bleedOK == nil || plateletR == nil ? nil : true)
            let belowCR: Bool? = bleedingIsSeparateLoss ? (p < 100) : meetsCR.map { !$0 }
            let belowR: Bool? = bleedingIsSeparateLoss ? plateletR.map { !$0 } : meetsR.map { !$0 }

            let idx = records.count
            records.append(rec)
            let inWindow = day <= windowEnd
            rT.step(meets: meetsR, below: belowR, idx: idx, day: day, inWindow: inWindow,
                    confirmGap: confirmGap, lossGap: lossGap, noIntervening: noIntervening)
            crT.step(meets: meetsCR, below: belowCR, idx: idx, day: day, inWindow: inWindow,
                     confirmGap: confirmGap, lossGap: lossGap, noIntervening: noIntervening)
            litT.step(meets: p >= 100, below: nil, idx: idx, day: day, inWindow: inWindow,
                      confirmGap: confirmGap, lossGap: lossGap, noIntervening: noIntervening)
            i = j
        }
        if !baselineDone { baseline = formBaseline(cand1, cand2, &records, settings.baselineMethod) }

        if bleedingIsSeparateLoss {
            rT.applyBleedingLoss(s.bleeding, d0: d0, cutoff: cutoff)
            crT.applyBleedingLoss(s.bleeding, d0: d0, cutoff: cutoff)
        }
        rT.mark(&records); crT.mark(&records); litT.mark(&records)
        return derive(s, settings: settings, records: records, baseline: baseline, ld: ld,
                      cand: (cand1, cand2), r: rT, cr: crT, literal: litT, cutoff: cutoff)
    }

    /// Whether a rescue exposure counts under rule E(b) with these settings.
    @inline(__always)
    static func isRescueExposure(_ reason: RescueReason, _ s: ResponseSettings) -> Bool {
        switch reason {
        case .itp, .other: return true
        case .crs, .icans: return s.crsIcansTherapyIsRescue
        case .replacementIVIG: return s.replacementIVIGIsRescue
        }
    }

    /// Rule B: the most recent eligible count, or the mean of the last two; marks the records used.
    static func formBaseline(_ c1: Int, _ c2: Int, _ records: inout [AssessmentRecord], _ m: BaselineMethod) -> Double? {
        guard c1 >= 0 else { return nil }
        records[c1].rules.insert(.baseline)
        if m == .meanOfLastTwo && c2 >= 0 {
            records[c2].rules.insert(.baseline)
            return (records[c1].plateletsPer10e9L + records[c2].plateletsPer10e9L) / 2
        }
        return records[c1].plateletsPer10e9L
    }
}
