import CartaCore
import CartaModel
import Foundation

/// Formats and parses the UTC timestamps the store writes (ISO 8601 with milliseconds, `Z`).
///
/// Source: DESIGN.md §3 ("Times are stored in UTC"); issue brief ("at (UTC ISO 8601 with ms)").
/// Timestamps are stored as text so both engines hold byte-identical values for the audit hash.
/// Milliseconds are handled as integers: Foundation's fractional-second style truncates binary
/// fractions (…675 → …674), which would make a value differ from itself after a round trip.
public enum StoreTimestamp {
    private static let wholeSeconds = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!)

    /// `2026-11-25T10:00:00.123Z` for a date (rounded to the nearest millisecond).
    ///
    /// Plain integer arithmetic on the civil calendar (`ClinicalDate`'s day numbers, H. Hinnant's
    /// days_from_civil/civil_from_days): pages parse and print hundreds of these per request.
    /// Source: DESIGN.md §3; ISO 8601-1:2019 §5.4 (extended format).
    public static func string(_ date: Date) -> String {
        let ms = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let fraction = Int(ms - seconds * 1000)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let second = Int(seconds - days * 86_400)
        let (y, m, d) = civil(fromDays: days)
        var out = [UInt8]()
        out.reserveCapacity(24)
        func put(_ n: Int, _ width: Int) {
            var digits = [UInt8](repeating: UInt8(ascii: "0"), count: width)
            var v = n
            for i in stride(from: width - 1, through: 0, by: -1) { digits[i] = UInt8(ascii: "0") + UInt8(v % 10); v /= 10 }
            out += digits
        }
        if y < 0 || y > 9999 { return fallbackString(ms) }
        put(Int(y), 4); out.append(UInt8(ascii: "-")); put(m, 2); out.append(UInt8(ascii: "-")); put(d, 2)
        out.append(UInt8(ascii: "T")); put(second / 3600, 2); out.append(UInt8(ascii: ":")); put(second / 60 % 60, 2)
        out.append(UInt8(ascii: ":")); put(second % 60, 2); out.append(UInt8(ascii: ".")); put(fraction, 3)
        out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses a stored timestamp (`YYYY-MM-DDTHH:MM:SS[.f…]Z`); `nil` if malformed.
    ///
    /// Source: DESIGN.md §3.
    public static func date(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard b.count >= 20, b[b.count - 1] == UInt8(ascii: "Z"), b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              b[10] == UInt8(ascii: "T"), b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":") else { return nil }
        func number(_ from: Int, _ count: Int) -> Int? {
            var v = 0
            for i in from..<(from + count) {
                let c = b[i]
                guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { return nil }
                v = v * 10 + Int(c - UInt8(ascii: "0"))
            }
            return v
        }
        guard let y = number(0, 4), let mo = number(5, 2), let d = number(8, 2), let h = number(11, 2),
              let mi = number(14, 2), let se = number(17, 2),
              (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, se < 61 else { return nil }
        var fraction = 0
        if b.count > 20 {
            guard b[19] == UInt8(ascii: "."), b.count > 21, let f = number(20, b.count - 21) else { return nil }
            let digits = b.count - 21
            fraction = digits >= 3 ? Int(String(decoding: b[20..<23], as: UTF8.self)) ?? 0 : f * (digits == 1 ? 100 : 10)
        }
        // ClinicalDate refuses impossible dates (2026-02-30).
        guard let civilDay = ClinicalDate(year: y, month: mo, day: d) else { return nil }
        let days = Int64(civilDay.dayNumber)
        let ms = ((days * 86_400) + Int64(h * 3600 + mi * 60 + se)) * 1000 + Int64(fraction)
        return Date(timeIntervalSince1970: Double(ms) / 1000)
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01.
    static func civil(fromDays z: Int64) -> (Int64, Int, Int) {
        let date = ClinicalDate(dayNumber: Int(z))
        return (Int64(date.year), date.month, date.day)
    }

    private static func fallbackString(_ ms: Int64) -> String {
        let seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let fraction = String(Int(ms - seconds * 1000))
        let base = Date(timeIntervalSince1970: Double(seconds)).formatted(wholeSeconds)
        return base.dropLast() + "." + String(repeating: "0", count: 3 - fraction.count) + fraction + "Z"
    }

    /// The date as it reads back from storage (whole milliseconds), so values returned by a write compare
    /// equal to the same values loaded later.
    ///
    /// Source: DESIGN.md §3.
    public static func truncated(_ date: Date) -> Date {
        Self.date(string(date)) ?? date
    }
}
