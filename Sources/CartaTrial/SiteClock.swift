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

    /// The calendar date of `instant` in `zone`: the UTC day number shifted by the zone's offset at that instant.
    public static func localDate(of instant: Date, in zone: TimeZone) -> ClinicalDate {
        let local = instant.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: instant))
        return ClinicalDate(dayNumber: Int((local / 86_400).rounded(.down)))
    }
}
