import CartaCore

/// Where a visit stands on a given day.
///
/// Source: issue 8 scope 8 ("each visit is planned / due / done / overdue / missed / out of window");
/// spec/clinical.md §7 (windows).
public enum VisitStatus: String, Hashable, Sendable, Codable, CaseIterable {
    /// Its window has not opened yet.
    case planned
    /// Its window is open and its nominal day has not passed.
    case due
    /// Its nominal day has passed, the window is still open, nothing is recorded.
    case overdue
    /// Recorded inside its window.
    case done
    /// Recorded outside its window.
    case outOfWindow = "out_of_window"
    /// Its window closed with nothing recorded.
    case missed
    /// Nothing recorded and the participant's study ended (end of study recorded) before its window closed: the visit
    /// is no longer expected — not due, not missed, not a deviation.
    case notExpected = "not_expected"
}

/// One visit of a participant's calendar: the visit, its dates in the site's calendar and its status.
public struct CalendarVisit: Hashable, Sendable, Codable {
    public var id: String
    public var name: String
    /// Nominal protocol day (Day 0 = first infusion).
    public var day: Int
    public var nominalDate: ClinicalDate
    public var earliest: ClinicalDate
    public var latest: ClinicalDate
    /// The date the visit was recorded as done, if it was.
    public var doneOn: ClinicalDate?
    public var status: VisitStatus

    public init(id: String, name: String, day: Int, nominalDate: ClinicalDate, earliest: ClinicalDate, latest: ClinicalDate,
                doneOn: ClinicalDate?, status: VisitStatus) {
        self.id = id; self.name = name; self.day = day; self.nominalDate = nominalDate; self.earliest = earliest
        self.latest = latest; self.doneOn = doneOn; self.status = status
    }
}

/// A participant's visit calendar, generated from Day 0 and the schedule.
///
/// Dates are the site's local calendar dates (a `ClinicalDate` has no time of day), so windows that
/// cross a month or year end are plain day arithmetic. Before the first infusion the calendar is
/// provisional: it is counted from the planned infusion date and raises no deviations.
///
/// Source: spec/clinical.md §0.3 (Day 0 = first infusion; no day 0 in SDTM, but protocol days count
/// Day 0), §7 (windows) [D]; issue 8 scope 4 and 8.
public struct VisitCalendar: Hashable, Sendable, Codable {
    public var dayZero: ClinicalDate
    /// True while Day 0 is the planned date, not the date of a first infusion.
    public var provisional: Bool
    public var visits: [CalendarVisit]

    /// A calendar as given (pages and tests).
    public init(dayZero: ClinicalDate, provisional: Bool, visits: [CalendarVisit]) {
        self.dayZero = dayZero; self.provisional = provisional; self.visits = visits
    }

    /// Builds the calendar of every `visit`-kind entry of `schedule` as it stands on `today`.
    /// `doneOn` gives the recorded date of each visit done, by visit id.
    /// `endOfStudy`: the date the participant's study ended (disposition recorded), after which visits not yet done are no
    /// longer expected (ICH E3 §10.1 disposition: a participant who completed or discontinued has no further visits).
    public init(schedule: StudySchedule, dayZero: ClinicalDate, provisional: Bool, today: ClinicalDate,
                doneOn: [String: ClinicalDate], endOfStudy: ClinicalDate? = nil) {
        self.dayZero = dayZero
        self.provisional = provisional
        visits = schedule.visits.filter { $0.kind == .visit }.map { v in
            let nominal = dayZero.adding(days: v.day)
            let earliest = dayZero.adding(days: v.windowDays.lowerBound), latest = dayZero.adding(days: v.windowDays.upperBound)
            let done = doneOn[v.id]
            let ended = done == nil && endOfStudy.map { $0 < latest } == true
            return CalendarVisit(id: v.id, name: v.name, day: v.day, nominalDate: nominal, earliest: earliest, latest: latest,
                                 doneOn: done, status: ended ? .notExpected
                                     : Self.status(nominal: nominal, earliest: earliest, latest: latest, doneOn: done, today: today))
        }
    }

    /// The status of one visit on `today`.
    public static func status(nominal: ClinicalDate, earliest: ClinicalDate, latest: ClinicalDate,
                              doneOn: ClinicalDate?, today: ClinicalDate) -> VisitStatus {
        if let doneOn { return (earliest...latest).contains(doneOn) ? .done : .outOfWindow }
        if today < earliest { return .planned }
        if today > latest { return .missed }
        return today > nominal ? .overdue : .due
    }

    /// The visits whose window includes `today` and that are not done yet.
    public func open(on today: ClinicalDate) -> [CalendarVisit] {
        visits.filter { ($0.status == .due || $0.status == .overdue) && ($0.earliest...$0.latest).contains(today) }
    }
}
