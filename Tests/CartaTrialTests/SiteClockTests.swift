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
