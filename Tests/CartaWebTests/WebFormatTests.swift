import Foundation
import Testing
import CartaWeb

/// Page times are UTC with their offset (DESIGN.md §3); the arithmetic formatter must agree with
/// Foundation's DateFormatter to the minute and second, before and after 1970.
struct WebFormatTests {
    static func reference(_ d: Date, _ pattern: String) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = pattern
        return f.string(from: d)
    }

    @Test(arguments: [0, 59.9, 86_399, 86_400, 1_764_065_490.675, -1, -86_401, 951_782_400 /* 2000-02-29 */])
    func agreesWithDateFormatter(seconds: Double) {
        let d = Date(timeIntervalSince1970: seconds)
        #expect(WebFormat.dateTime(d) == Self.reference(d, "yyyy-MM-dd HH:mm 'UTC'xxx"))
        #expect(WebFormat.date(d) == Self.reference(d, "yyyy-MM-dd"))
        let stored = ISO8601DateFormatter().string(from: d)
        #expect(WebFormat.auditTime(stored) == Self.reference(Date(timeIntervalSince1970: seconds.rounded(.down)), "yyyy-MM-dd HH:mm:ss 'UTC'xxx"))
    }

    @Test func unparseableAuditTimeIsShownAsStored() {
        #expect(WebFormat.auditTime("not a time") == "not a time")
    }
}
