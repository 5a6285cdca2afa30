extension String {
    /// True when the text holds control characters (Unicode Cc, e.g. NUL, ESC), invisible format
    /// characters (Cf, e.g. zero-width space, bidirectional overrides) or noncharacters (U+FFFE, U+FFFF,
    /// U+FDD0–U+FDEF, …, which are never text and which XML 1.0 forbids, so an archive holding one is
    /// unreadable); with `allowingLineBreaks`, newline, carriage return and tab are allowed (free text).
    ///
    /// Source: Unicode TR #36 §3 (invisible characters); Unicode 15 §23.7 (noncharacters); XML 1.0 §2.2
    /// (Char); issue 7 (NUL stored in names).
    public func hasControlOrInvisibleCharacters(allowingLineBreaks: Bool = false) -> Bool {
        unicodeScalars.contains { c in
            if c.properties.isNoncharacterCodePoint { return true }
            switch c.properties.generalCategory {
            case .format: return true
            case .control: return !(allowingLineBreaks && (c == "\n" || c == "\r" || c == "\t"))
            default: return false
            }
        }
    }
}
