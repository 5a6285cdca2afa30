extension StringProtocol {
    /// What someone typed, quoted for an error message that repeats it: in double quotes, cut to its first 60 characters
    /// with its length when longer, so a long or hostile input cannot swell the message (a 200,000-digit "weight" was
    /// echoed whole in a 200 KB error) while a typing slip is still shown as typed.
    public var quotedForMessage: String {
        let shown = 60
        return count <= shown ? "\"\(self)\"" : "\"\(prefix(shown))…\" (\(count) characters)"
    }

    /// The input as typed when short, else its first 60 characters and its length, unquoted: for names echoed inside a
    /// sentence ("No participant BCRITP-009 …") where a 20,000-character address came back whole, twice.
    public var shortenedForMessage: String {
        let shown = 60
        return count <= shown ? String(self) : "\(prefix(shown))… (\(count) characters)"
    }
}
