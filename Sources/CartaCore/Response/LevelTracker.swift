/// Running state of rules C and L for one level (R, CR, or protocol-literal CR) during the forward pass.
///
/// Confirmation: a run of evaluable assessments meeting the level (broken by one below it when
/// `requireNoInterveningFailure`) confirms once it spans ≥ the interval; the response date is the run's
/// first day. Loss: after confirmation, a run of consecutive evaluable counts below the level spanning
/// ≥ the loss interval; the loss date is its first day.
/// Source: spec/clinical.md §1.6 rules C and L.
struct LevelTracker {
    var runStart = -1, runStartDay = 0
    var confirmed: ConfirmedLevel?
    var lossStart = -1, lossStartDay = 0
    var loss: LossEvent?
    /// Record indices of the count pair behind `loss` (-1 when bleeding alone triggered it).
    var lossFirst = -1, lossSecond = -1

    @inline(__always)
    mutating func step(meets: Bool?, below: Bool?, idx: Int, day: Int, inWindow: Bool,
                       confirmGap: Int, lossGap: Int, noIntervening: Bool) {
        if let c = confirmed {
            guard loss == nil, idx != c.confirmingRecord, let below else { return }
            if !below { lossStart = -1; return }
            if lossStart < 0 { lossStart = idx; lossStartDay = day; return }
            if day - lossStartDay >= lossGap {
                loss = LossEvent(day: lossStartDay, confirmingDay: day, byBleeding: false)
                lossFirst = lossStart; lossSecond = idx
            }
            return
        }
        guard inWindow, let meets else { return }
        if !meets { if noIntervening { runStart = -1 }; return }
        if runStart < 0 { runStart = idx; runStartDay = day; return }
        if day - runStartDay >= confirmGap {
            confirmed = ConfirmedLevel(firstDay: runStartDay, confirmingDay: day, firstRecord: runStart, confirmingRecord: idx)
        }
    }

    /// Rule L: bleeding alone ends a confirmed level on the bleeding date (no confirmation needed).
    mutating func applyBleedingLoss(_ bleeding: [BleedingRecord], d0: Int, cutoff: Int) {
        guard let c = confirmed else { return }
        for b in bleeding where b.present {
            let day = b.dayNumber - d0
            if day <= c.confirmingDay { continue }
            if day > cutoff { break }
            if loss == nil || day < loss!.day {
                loss = LossEvent(day: day, confirmingDay: nil, byBleeding: true); lossFirst = -1; lossSecond = -1
            }
            return
        }
    }

    /// Marks rule C on the confirming pair and rule L on the loss pair (or on a count dated on a bleeding loss).
    func mark(_ records: inout [AssessmentRecord]) {
        if let c = confirmed {
            records[c.firstRecord].rules.insert(.confirmation); records[c.confirmingRecord].rules.insert(.confirmation)
        }
        if lossFirst >= 0 {
            records[lossFirst].rules.insert(.loss); records[lossSecond].rules.insert(.loss)
        } else if let l = loss {
            for i in records.indices where records[i].day == l.day && records[i].day >= 0 { records[i].rules.insert(.loss) }
        }
    }
}
