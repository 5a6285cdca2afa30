import CartaCore
import Foundation

/// Human-readable times for pages: UTC with its offset (DESIGN.md §3: rendered with offset).
public enum WebFormat {
    public static func date(_ d: Date) -> String { ClinicalDate(dayNumber: utcParts(d).day).description }

    /// `2026-11-25 10:21 UTC+00:00`.
    public static func dateTime(_ d: Date) -> String { format(d, seconds: false) }

    /// An audit timestamp (stored as ISO 8601 UTC) to the second, with its offset; unparseable
    /// text is shown as stored rather than hidden.
    public static func auditTime(_ stored: String) -> String {
        guard let d = try? Date(stored, strategy: .iso8601) else { return stored }
        return format(d, seconds: true)
    }

    // Plain arithmetic on the UTC day and second: no DateFormatter built per row of a page.
    private static func format(_ d: Date, seconds: Bool) -> String {
        let (day, second) = utcParts(d)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let time = two(second / 3600) + ":" + two(second / 60 % 60) + (seconds ? ":" + two(second % 60) : "")
        return "\(ClinicalDate(dayNumber: day)) \(time) UTC+00:00"
    }

    private static func utcParts(_ d: Date) -> (day: Int, second: Int) {
        let t = Int(d.timeIntervalSince1970.rounded(.down))
        let day = Int((Double(t) / 86_400).rounded(.down))
        return (day, t - day * 86_400)
    }
}

