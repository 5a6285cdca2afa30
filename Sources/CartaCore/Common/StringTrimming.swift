import Foundation

extension String {
    /// `trimmingCharacters(in: .whitespacesAndNewlines)`, or `.whitespaces` when `newlines` is false — the same result,
    /// without Foundation's cost for the common case where nothing needs trimming.
    ///
    /// Why: entry checks trim every value; Foundation bridges each string to `NSString` to do it, which was a sixth of
    /// a bulk load's time (BENCHMARKS.md, scale cohort). Every Unicode whitespace or newline character other than the
    /// ASCII ones is encoded as two or more UTF-8 bytes of 0x80 and above, so a string whose first and last bytes are
    /// printable ASCII other than space (0x21…0x7E) has nothing to trim.
    public func trimmedOfWhitespace(newlines: Bool = true) -> String {
        let bytes = utf8
        guard let first = bytes.first, let last = bytes.last else { return self }
        if (0x21...0x7E).contains(first), (0x21...0x7E).contains(last) { return self }
        return trimmingCharacters(in: newlines ? .whitespacesAndNewlines : .whitespaces)
    }
}
