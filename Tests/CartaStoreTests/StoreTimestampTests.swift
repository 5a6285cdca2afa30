import CartaCore
@_spi(Testing) import CartaStore
import Foundation
import Testing

/// The hand-written timestamp arithmetic agrees with Foundation's ISO 8601 formatter on every kind of
/// date (before 1970, leap days, month and year ends) and refuses what is not a stored timestamp.
/// Source: DESIGN.md §3 (UTC, ISO 8601 with milliseconds); ISO 8601-1:2019 §5.4.
@Suite struct StoreTimestampTests {
    static let foundation = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!)

    @Test func agreesWithFoundationAcrossTheCalendar() throws {
        var rng = SplitMix64(state: 20261204)
        for _ in 0..<5_000 {
            // Any millisecond between 1900 and 2100.
            let ms = Int64(rng.next() % 6_311_433_600_000) - 2_208_988_800_000
            let date = Date(timeIntervalSince1970: Double(ms) / 1000)
            let text = StoreTimestamp.string(date)
            let seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
            let whole = Date(timeIntervalSince1970: Double(seconds)).formatted(Self.foundation)
            #expect(text.prefix(19) == whole.prefix(19), "\(ms)")
            #expect(Int(text.dropFirst(20).prefix(3)) == Int(ms - seconds * 1000))
            #expect(StoreTimestamp.date(text).map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) } == ms)
        }
    }

    @Test(arguments: ["2024-02-29T23:59:59.999Z", "1969-12-31T23:59:59.000Z", "2000-01-01T00:00:00.000Z", "2026-12-31T12:00:00.5Z"])
    func roundTripsEdgeDays(_ text: String) throws {
        let d = try #require(StoreTimestamp.date(text))
        let expected = text.hasSuffix(".5Z") ? "2026-12-31T12:00:00.500Z" : text
        #expect(StoreTimestamp.string(d) == expected)
    }

    @Test(arguments: ["2026-02-30T10:00:00.000Z", "2026-13-01T10:00:00.000Z", "2026-11-25T24:00:00.000Z", "2026-11-25T10:00:00.Z",
                      "2026-11-25T10:00:00.000", "2026-11-25 10:00:00.000Z", "20261125T100000Z"])
    func refusesMalformed(_ text: String) {
        #expect(StoreTimestamp.date(text) == nil)
    }
}
