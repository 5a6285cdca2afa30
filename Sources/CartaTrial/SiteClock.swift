import CartaCore
import Foundation

/// The application's clock: the instant (`now`) and the site's calendar date (`today`) in the study's
/// time zone. Passed in, never read from a global, so tests fix it and the core stays clock-free.
///
/// A site in UTC+8 registering at 00:30 local time is on the local date, not yesterday's UTC date.
/// Source: issue 6 scope 1; DESIGN.md §3 ("dates of clinical events are calendar dates");
/// ICH E6(R3) 4.2 (source data attributable and contemporaneous — the site's own date).
public struct SiteClock: Sendable {
    /// The site's time zone.
    public let timeZone: TimeZone
    private let instant: @Sendable () -> Date

    /// A clock reading `instant` in `timeZone`.
    public init(timeZone: TimeZone, instant: @escaping @Sendable () -> Date) {
        self.timeZone = timeZone
        self.instant = instant
    }

    /// A clock reading `instant` (the front end passes the system clock) in the zone named `identifier` (IANA, e.g. `Asia/Shanghai`); nil for an unknown name.
    public init?(timeZoneIdentifier identifier: String, instant: @escaping @Sendable () -> Date) {
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        self.init(timeZone: zone, instant: instant)
    }

    /// The current instant.
    public var now: Date { instant() }

    /// The site's calendar date now.
    public var today: ClinicalDate { Self.localDate(of: now, in: timeZone) }

    /// The first instant of the site's next calendar day after `instant` (its midnight; where a clock change skips
    /// midnight, the first instant that exists), for work done once a site day.
    public static func nextDayStart(after instant: Date, in zone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let start = calendar.startOfDay(for: instant)
        // A day is 23 to 25 hours long: the start of the day 36 hours after this one's start is the next day's.
        return calendar.startOfDay(for: start.addingTimeInterval(36 * 3_600))
    }

    /// The calendar date of `instant` in `zone`: the UTC day number shifted by the zone's offset at that instant.
    public static func localDate(of instant: Date, in zone: TimeZone) -> ClinicalDate {
        let local = instant.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: instant))
        return ClinicalDate(dayNumber: Int((local / 86_400).rounded(.down)))
    }
}
