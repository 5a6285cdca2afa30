extension String {
    /// True when the text holds control characters (Unicode Cc, e.g. NUL, ESC) or invisible format
    /// characters (Cf, e.g. zero-width space, bidirectional overrides); with `allowingLineBreaks`,
    /// newline, carriage return and tab are allowed (free text).
    ///
    /// Source: Unicode TR #36 §3 (invisible characters); issue 7 (NUL stored in names).
    public func hasControlOrInvisibleCharacters(allowingLineBreaks: Bool = false) -> Bool {
        unicodeScalars.contains { c in
            switch c.properties.generalCategory {
            case .format: return true
            case .control: return !(allowingLineBreaks && (c == "\n" || c == "\r" || c == "\t"))
            default: return false
            }
        }
    }
}
