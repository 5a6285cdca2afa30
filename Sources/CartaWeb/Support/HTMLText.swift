/// Appends text to HTML with the same escaping as the Mustache templates' `{{name}}`:
/// `<`, `>`, `&`, `"` and `'` become entities, so a value can never end an attribute or open a tag.
///
/// Source: OWASP XSS Prevention Cheat Sheet, rule 1 and 2 (HTML body and quoted attribute contexts);
/// swift-mustache 2.1 `String.htmlEscape` (the same five characters, so both renderers give equal bytes).
enum HTMLText {
    static func escape(_ s: String, into out: inout String) {
        // Fast path: most values (OIDs, numbers, dates, labels) contain nothing to escape.
        if !s.utf8.contains(where: { $0 == 0x3C || $0 == 0x3E || $0 == 0x26 || $0 == 0x22 || $0 == 0x27 }) {
            out += s
            return
        }
        for c in s.unicodeScalars {
            switch c {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
    }
}
