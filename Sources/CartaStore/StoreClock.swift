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
    /// Source: DESIGN.md §3.
    public static func string(_ date: Date) -> String {
        let ms = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let fraction = Int(ms - seconds * 1000)
        let base = Date(timeIntervalSince1970: Double(seconds)).formatted(wholeSeconds)  // …:ssZ
        let digits = String(fraction)
        return base.dropLast() + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }

    /// Parses a stored timestamp (`…:ss.mmmZ` or `…:ssZ`); `nil` if malformed.
    ///
    /// Source: DESIGN.md §3.
    public static func date(_ text: String) -> Date? {
        guard text.hasSuffix("Z") else { return nil }
        var base = String(text.dropLast())
        var fraction = 0
        if let dot = base.firstIndex(of: ".") {
            let digits = base[base.index(after: dot)...]
            guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
            fraction = Int(String((digits + "00").prefix(3))) ?? 0
            base = String(base[..<dot])
        }
        guard let whole = try? Date(base + "Z", strategy: wholeSeconds) else { return nil }
        let ms = Int64(whole.timeIntervalSince1970.rounded()) * 1000 + Int64(fraction)
        return Date(timeIntervalSince1970: Double(ms) / 1000)
    }

    /// The date as it reads back from storage (whole milliseconds), so values returned by a write compare
    /// equal to the same values loaded later.
    ///
    /// Source: DESIGN.md §3.
    public static func truncated(_ date: Date) -> Date {
        Self.date(string(date)) ?? date
    }
}
