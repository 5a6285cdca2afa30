import CartaCore
@testable import CartaStudy
import Testing

/// The visit calendar against hand-computed calendars: windows across month and year ends and a leap
/// day, each status, and the deviations a fixed calendar raises (issue 8 scope 4 and 8; spec §7).
@Suite("Visit calendar")
struct VisitCalendarTests {
    let schedule = try! StudyLoader.builtIn().schedule

    func date(_ s: String) -> ClinicalDate { ClinicalDate(iso: s)! }

    // Hand-computed from Day 0 by counting on a paper calendar.
    @Test(arguments: [
        // (Day 0, visit, nominal, earliest, latest)
        ("2026-01-31", "M1", "2026-02-28", "2026-02-25", "2026-03-03"),   // across the end of February
        ("2024-01-31", "M1", "2024-02-28", "2024-02-25", "2024-03-02"),   // leap year: 29 Feb inside the window
        ("2026-12-20", "D14", "2027-01-03", "2027-01-03", "2027-01-03"),  // across the year end, no window
        ("2026-12-20", "LD1", "2026-12-15", "2026-12-15", "2026-12-15"),
        ("2026-12-20", "D21", "2027-01-10", "2027-01-08", "2027-01-12"),
        ("2026-03-01", "M2", "2026-04-30", "2026-04-23", "2026-05-07"),
        ("2026-03-01", "M6", "2026-08-28", "2026-08-14", "2026-09-11"),
    ])
    func datesAndWindows(day0: String, visit: String, nominal: String, earliest: String, latest: String) throws {
        let calendar = VisitCalendar(schedule: schedule, dayZero: date(day0), provisional: false, today: date(day0), doneOn: [:])
        let v = try #require(calendar.visits.first { $0.id == visit })
        #expect(v.nominalDate == date(nominal))
        #expect(v.earliest == date(earliest))
        #expect(v.latest == date(latest))
    }

    @Test func proceduresAreNotScheduledVisits() {
        let calendar = VisitCalendar(schedule: schedule, dayZero: date("2026-12-20"), provisional: false, today: date("2026-12-20"), doneOn: [:])
        #expect(!calendar.visits.contains { $0.id == "APH" || $0.id == "PROD" })
        #expect(calendar.visits.map(\.id).prefix(5) == ["SCR", "LD1", "LD2", "LD3", "D0"])
        #expect(calendar.visits.count == 26) // SCR, LD1–3, D0, D1–14, D21, M1–M6
    }

    // D21: nominal 2027-01-10, window 2027-01-08 … 2027-01-12.
    @Test(arguments: [
        ("2027-01-07", nil, VisitStatus.planned),
        ("2027-01-08", nil, .due),
        ("2027-01-10", nil, .due),
        ("2027-01-11", nil, .overdue),
        ("2027-01-12", nil, .overdue),
        ("2027-01-13", nil, .missed),
        ("2027-01-13", "2027-01-12", .done),
        ("2027-01-09", "2027-01-08", .done),
        ("2027-01-20", "2027-01-13", .outOfWindow),
        ("2027-01-20", "2027-01-07", .outOfWindow),
    ] as [(String, String?, VisitStatus)])
    func statuses(today: String, done: String?, expected: VisitStatus) throws {
        let calendar = VisitCalendar(schedule: schedule, dayZero: date("2026-12-20"), provisional: false, today: date(today),
                                     doneOn: done.map { ["D21": date($0)] } ?? [:])
        #expect(try #require(calendar.visits.first { $0.id == "D21" }).status == expected)
    }

    /// After the end of study is recorded, a visit not done whose window had not closed is no longer expected: not due,
    /// not missed, not a deviation; one whose window closed before the end stays missed. (Day 0 2026-12-20: D21's window
    /// is 2027-01-08 … 01-12, M1's 2027-01-16 … 01-22.)
    @Test(arguments: [
        // (end of study, today, D21 done, D21's status, M1's status)
        ("2027-01-05", "2027-01-20", nil, VisitStatus.notExpected, VisitStatus.notExpected),
        ("2027-01-11", "2027-01-11", nil, .notExpected, .notExpected),   // ended inside D21's window, before it was done
        ("2027-01-12", "2027-01-20", nil, .missed, .notExpected),        // ended on D21's last day: D21 was still owed
        ("2027-01-14", "2027-01-20", nil, .missed, .notExpected),
        ("2027-01-05", "2027-01-20", "2027-01-04", .outOfWindow, .notExpected),  // done stays done, out of window
        ("2027-01-30", "2027-01-20", nil, .missed, .overdue),           // an end recorded ahead does not end visits before it
    ] as [(String, String, String?, VisitStatus, VisitStatus)])
    func visitsAfterTheEndOfStudyAreNotExpected(end: String, today: String, done: String?, d21: VisitStatus, m1: VisitStatus) throws {
        let calendar = VisitCalendar(schedule: schedule, dayZero: date("2026-12-20"), provisional: false, today: date(today),
                                     doneOn: done.map { ["D21": date($0)] } ?? [:], endOfStudy: date(end))
        #expect(try #require(calendar.visits.first { $0.id == "D21" }).status == d21)
        #expect(try #require(calendar.visits.first { $0.id == "M1" }).status == m1)
        let deviations = ProtocolDeviation.detect(calendar, dosingVisits: [], lastLymphodepletion: nil, interval: DayInterval(minDays: 2, maxDays: 7))
        #expect(!deviations.contains { $0.visitID == "M1" } && deviations.contains { $0.visitID == "D21" } == (d21 != .notExpected))
    }

    @Test func deviationsNameTheRule() {
        let day0 = date("2026-12-20")
        var done: [String: ClinicalDate] = ["SCR": date("2026-12-01"), "LD1": date("2026-12-15"), "LD2": date("2026-12-16"),
                                            "LD3": date("2026-12-18"), "D0": day0]
        for d in 1...14 where d != 5 { done["D\(d)"] = day0.adding(days: d) }
        done["D7"] = day0.adding(days: 8)
        let calendar = VisitCalendar(schedule: schedule, dayZero: day0, provisional: false, today: date("2027-01-09"), doneOn: done)
        let found = ProtocolDeviation.detect(calendar, dosingVisits: ["LD1", "LD2", "LD3"], lastLymphodepletion: date("2026-12-18"),
                                             interval: DayInterval(minDays: 2, maxDays: 7))
        #expect(found.map(\.rule) == [.doseOffSchedule, .dailyAssessmentMissed, .visitOutOfWindow])
        #expect(found.map(\.visitID) == ["LD3", "D5", "D7"])
        #expect(found[0].description == "Lymphodepletion day −3: dose given on 2026-12-18, scheduled for 2026-12-17 (1 day late).")
        #expect(found[1].description == "Day 5 (2026-12-25): no assessment recorded.")
        #expect(found[2].description == "Day 7: done on 2026-12-28, window 2026-12-27 to 2026-12-27 (1 day late).")
        // D21 is due on 9 January (window opens 8 January): not a deviation.
        #expect(calendar.visits.first { $0.id == "D21" }?.status == .due)
    }

    @Test func aLateFirstInfusionAndAProvisionalCalendar() {
        let day0 = date("2026-12-20")
        let fixed = VisitCalendar(schedule: schedule, dayZero: day0, provisional: false, today: day0, doneOn: ["SCR": date("2026-12-01")])
        let late = ProtocolDeviation.detect(fixed, dosingVisits: [], lastLymphodepletion: date("2026-12-12"), interval: DayInterval(minDays: 2, maxDays: 7))
        #expect(late.map(\.rule).contains(.infusionIntervalExceeded))
        #expect(late.first { $0.rule == .infusionIntervalExceeded }?.description.contains("8 days after") == true)
        let onTime = ProtocolDeviation.detect(fixed, dosingVisits: [], lastLymphodepletion: date("2026-12-13"), interval: DayInterval(minDays: 2, maxDays: 7))
        #expect(!onTime.map(\.rule).contains(.infusionIntervalExceeded))
        // Provisional (planned date): everything past would be "missed", but nothing is raised.
        let provisional = VisitCalendar(schedule: schedule, dayZero: day0, provisional: true, today: date("2027-03-01"), doneOn: [:])
        #expect(provisional.visits.contains { $0.status == .missed })
        #expect(ProtocolDeviation.detect(provisional, dosingVisits: [], lastLymphodepletion: nil, interval: DayInterval(minDays: 2, maxDays: 7)).isEmpty)
    }

    @Test func scheduleKeysAreChecked() throws {
        let text = try StudyFileErrorTests.mutated([
            ("{id: APH, name: Leukapheresis, kind: procedure,", "{id: APH, name: Leukapheresis, kind: proceedure,"),
            ("infusionAfterLymphodepletion: {minDays: 2, maxDays: 7}", "infusionAfterLymphodepletion: {minDays: 9, maxDays: 7}"),
        ])
        let problems = StudyFileErrorTests.problems(text).map { "\($0.path): \($0.message)" }
        #expect(problems.contains("schedule.visits[1].kind: must be one of visit, procedure (got \"proceedure\")"), "\(problems)")
        #expect(problems.contains("schedule.infusionAfterLymphodepletion: needs 0 ≤ minDays ≤ maxDays (got 9 and 7)"), "\(problems)")
    }
}
