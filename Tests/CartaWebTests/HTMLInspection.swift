import Foundation

/// Small regex helpers for checking rendered HTML in tests.
enum HTMLInspection {
    /// Every `<form …>…</form>` block (forms are never nested in valid HTML).
    static func forms(in html: String) -> [String] {
        matches(#"<form\b[^>]*>[\s\S]*?</form>"#, in: html).map { $0[0] }
    }

    /// The values of every `src`, `href` and `action` attribute.
    static func urls(in html: String) -> [String] {
        matches(#"\b(?:src|href|action)="([^"]*)""#, in: html).map { $0[1] }
    }

    /// All matches of `pattern`, each as the whole match followed by its capture groups.
    static func matches(_ pattern: String, in text: String) -> [[String]] {
        let regex = try! NSRegularExpression(pattern: pattern)
        let ns = text as NSString
        return regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { m in
            (0..<m.numberOfRanges).map { i in
                let r = m.range(at: i)
                return r.location == NSNotFound ? "" : ns.substring(with: r)
            }
        }
    }

    /// Number of non-overlapping occurrences of `needle`.
    static func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }
}
