import CartaCore

/// A protocol deviation raised automatically from the calendar and the dosing records, with the rule
/// that raised it.
///
/// Source: issue 8 scope 8 ("a missing daily assessment in D1–D14, an out-of-window visit and a dose off
/// schedule are raised as protocol deviations automatically, each with the rule that raised it");
/// ICH E3 §10.2 (protocol deviations); spec/clinical.md §6.5 (LD days; interval LD end → first infusion).
public struct ProtocolDeviation: Hashable, Sendable, Codable {
    /// The rule that raised it.
    public enum Rule: String, Hashable, Sendable, Codable, CaseIterable {
        /// A daily assessment (a visit with no window) was not recorded.
        case dailyAssessmentMissed = "schedule.daily_assessment_missed"
        /// A visit's window closed with nothing recorded.
        case visitMissed = "schedule.visit_missed"
        /// A visit was recorded outside its window.
        case visitOutOfWindow = "schedule.visit_out_of_window"
        /// A dose was given on a day other than its scheduled day.
        case doseOffSchedule = "dosing.dose_off_schedule"
        /// The first infusion came later after lymphodepletion than the study allows.
        case infusionIntervalExceeded = "dosing.infusion_interval_exceeded"

        /// The rule in words.
        public var text: String {
            switch self {
            case .dailyAssessmentMissed: "Daily assessments are required on each day without a window."
            case .visitMissed: "Each visit is done within its window."
            case .visitOutOfWindow: "Each visit is done within its window."
            case .doseOffSchedule: "Each dose is given on its scheduled day."
            case .infusionIntervalExceeded: "The first infusion follows the last lymphodepletion dose within the study's interval."
            }
        }
    }

    public var rule: Rule
    /// The visit it concerns.
    public var visitID: String
    /// The date it concerns (the visit's nominal date, or the date the dose was given).
    public var date: ClinicalDate
    /// What happened, in words.
    public var description: String

    public init(rule: Rule, visitID: String, date: ClinicalDate, description: String) {
        self.rule = rule; self.visitID = visitID; self.date = date; self.description = description
    }

    /// Every deviation shown by a fixed calendar (a provisional one raises none: Day 0 is not known).
    /// `dosingVisits` are the visits whose recorded date is a dose's date; `lastLymphodepletion` and the
    /// calendar's Day 0 give the interval checked against `interval`.
    public static func detect(_ calendar: VisitCalendar, dosingVisits: Set<String>, lastLymphodepletion: ClinicalDate?,
                              interval: DayInterval) -> [ProtocolDeviation] {
        guard !calendar.provisional else { return [] }
        var out: [ProtocolDeviation] = []
        for v in calendar.visits {
            switch v.status {
            case .missed:
                let daily = v.earliest == v.latest && v.day > 0
                out.append(ProtocolDeviation(
                    rule: daily ? .dailyAssessmentMissed : .visitMissed, visitID: v.id, date: v.nominalDate,
                    description: daily ? "\(v.name) (\(v.nominalDate)): no assessment recorded."
                        : "\(v.name): nothing recorded in its window \(v.earliest) to \(v.latest)."))
            case .outOfWindow:
                guard let done = v.doneOn else { continue }
                let shift = v.nominalDate.days(to: done)
                let when = "\(abs(shift)) day\(abs(shift) == 1 ? "" : "s") \(shift < 0 ? "early" : "late")"
                if dosingVisits.contains(v.id) {
                    out.append(ProtocolDeviation(rule: .doseOffSchedule, visitID: v.id, date: done,
                                                 description: "\(v.name): dose given on \(done), scheduled for \(v.nominalDate) (\(when))."))
                } else {
                    out.append(ProtocolDeviation(rule: .visitOutOfWindow, visitID: v.id, date: done,
                                                 description: "\(v.name): done on \(done), window \(v.earliest) to \(v.latest) (\(when))."))
                }
            case .planned, .due, .overdue, .done, .notExpected: continue
            }
        }
        if let last = lastLymphodepletion, last.days(to: calendar.dayZero) > interval.maxDays {
            out.append(ProtocolDeviation(
                rule: .infusionIntervalExceeded, visitID: calendar.visits.first { $0.day == 0 }?.id ?? "D0", date: calendar.dayZero,
                description: "First infusion \(last.days(to: calendar.dayZero)) days after the last lymphodepletion dose (\(last)); the study allows \(interval.minDays) to \(interval.maxDays)."))
        }
        return out
    }
}
