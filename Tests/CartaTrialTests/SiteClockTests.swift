import CartaCore
import CartaModel
import CartaStore
import CartaStudy
import CartaTestSupport
import CartaTrial
import Foundation
import Testing

/// "Today" is the site's calendar date in the study file's time zone, passed in as a clock.
/// Source: issue 6 scope 1 (the site is in UTC+8; a global UTC `Date()` gave yesterday's date after local midnight).
@Suite struct SiteClockTests {
    static func instant(_ iso: String) throws -> Date { try Date(iso, strategy: .iso8601) }

    @Test(arguments: [
        ("2026-01-01T15:59:59Z", "Asia/Shanghai", "2026-01-01"),
        ("2026-01-01T16:00:00Z", "Asia/Shanghai", "2026-01-02"),   // 00:00 in Suzhou
        ("2026-01-01T16:30:00Z", "UTC", "2026-01-01"),
        ("2026-01-01T03:00:00Z", "America/New_York", "2025-12-31"), // UTC−5 in winter
        ("1969-12-31T23:00:00Z", "UTC", "1969-12-31"),
    ])
    func localDate(_ at: String, _ zone: String, _ expected: String) throws {
        let t = try Self.instant(at)
        let clock = SiteClock(timeZoneIdentifier: zone, instant: { t })
        #expect(clock != nil)
        #expect(clock?.today.description == expected)
    }

    /// The next site day's first instant, across clock changes (Berlin: a 23-hour and a 25-hour day).
    @Test(arguments: [
        ("2026-12-07T18:00:00Z", "Asia/Shanghai", "2026-12-08T16:00:00Z"),   // 02:00 on the 8th in Suzhou → the 9th
        ("2026-12-07T15:59:59Z", "Asia/Shanghai", "2026-12-07T16:00:00Z"),
        ("2026-03-28T12:00:00Z", "Europe/Berlin", "2026-03-28T23:00:00Z"),   // the 29th starts in CET, lasts 23 hours
        ("2026-03-29T10:00:00Z", "Europe/Berlin", "2026-03-29T22:00:00Z"),   // the 30th starts in CEST
        ("2026-10-25T10:00:00Z", "Europe/Berlin", "2026-10-25T23:00:00Z"),   // the 25th lasts 25 hours
        ("2026-01-01T00:00:00Z", "UTC", "2026-01-02T00:00:00Z"),
    ])
    func nextDayStart(_ at: String, _ zone: String, _ expected: String) throws {
        let next = SiteClock.nextDayStart(after: try Self.instant(at), in: try #require(TimeZone(identifier: zone)))
        #expect(next == (try Self.instant(expected)))
    }

    /// Over a year in zones with and without clock changes, every hour: the next day start is the first instant whose
    /// site date is the next one.
    @Test func theNextDayStartIsWhereTheSiteDateChanges() throws {
        for zone in ["Asia/Shanghai", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "UTC"].compactMap(TimeZone.init(identifier:)) {
            var t = try Self.instant("2026-01-01T00:30:00Z")
            for _ in 0..<(366 * 24) {
                let next = SiteClock.nextDayStart(after: t, in: zone)
                let today = SiteClock.localDate(of: t, in: zone)
                #expect(SiteClock.localDate(of: next, in: zone) == today.adding(days: 1), "\(zone.identifier) \(t)")
                #expect(SiteClock.localDate(of: next.addingTimeInterval(-1), in: zone) == today, "\(zone.identifier) \(t)")
                t = t.addingTimeInterval(3_600)
            }
        }
    }

    @Test func unknownZoneIsRefused() {
        #expect(SiteClock(timeZoneIdentifier: "Mars/Olympus", instant: { Date() }) == nil)
    }

    @Test func builtInStudyRunsOnSuzhouTime() throws {
        let study = try StudyLoader.builtIn()
        #expect(study.timeZone == "Asia/Shanghai")
    }

    /// Registering at 00:30 in Suzhou a person born "today" (local) is accepted: the date of birth is
    /// not in the future on the site's calendar, although it is on the UTC calendar.
    @Test func registrationChecksDatesOnTheSiteCalendar() async throws {
        try await TestDatabase.with(.sqlite) { store in
            let study = try StudyLoader.builtIn()
            let at = try Self.instant("2026-01-01T16:30:00Z")
            guard let clock = SiteClock(timeZoneIdentifier: study.timeZone, instant: { at }) else {
                Issue.record("unknown zone \(study.timeZone)"); return
            }
            let runtime = CartaRuntime(config: CartaConfig(), store: store, study: study, clock: clock)
            let (coraUser, _) = try await Fixtures.user(store, "cora", role: .coordinator)
            let cora = Principal(coraUser, source: .web)
            let p = try await runtime.screening.register(fullName: "Newborn Test", dateOfBirth: "2026-01-02",
                                                         hospitalNumber: "H-1", siteID: nil, by: cora)
            #expect(p.subjectID == "BCRITP-001")
            await #expect(throws: WorkflowError.self) {
                _ = try await runtime.screening.register(fullName: "Tomorrow", dateOfBirth: "2026-01-03",
                                                         hospitalNumber: "H-2", siteID: nil, by: cora)
            }
        }
    }
}
