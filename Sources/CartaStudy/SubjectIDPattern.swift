/// A pattern for pseudonymous subject IDs: literal text with one `{seq:N}` placeholder, e.g.
/// `BCRITP-{seq:3}` → `BCRITP-001`.
///
/// Literal text may use letters, digits, `-` and `_`; N is 1–9 (zero-padded width; larger
/// sequence numbers simply use more digits). Source: issue 2 scope item 6.
public struct SubjectIDPattern: Hashable, Sendable, Codable, CustomStringConvertible {
    public let prefix: String
    public let width: Int
    public let suffix: String

    private init(prefix: String, width: Int, suffix: String) {
        self.prefix = prefix; self.width = width; self.suffix = suffix
    }

    /// Parses a pattern, or fails with a message explaining what is wrong.
    ///
    /// Source: issue 2 scope item 2 ("subject ID pattern valid").
    public static func parse(_ text: String) -> Result<SubjectIDPattern, PatternError> {
        guard let open = text.range(of: "{seq:"), let close = text[open.upperBound...].firstIndex(of: "}") else {
            return .failure(PatternError(message: "must contain one {seq:N} placeholder, e.g. \"BCRITP-{seq:3}\""))
        }
        let prefix = String(text[..<open.lowerBound]), suffix = String(text[text.index(after: close)...])
        guard let width = Int(text[open.upperBound..<close]), (1...9).contains(width) else {
            return .failure(PatternError(message: "the width N in {seq:N} must be a whole number from 1 to 9"))
        }
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        guard (prefix + suffix).allSatisfy(allowed.contains) else {
            return .failure(PatternError(message: "literal text may only use letters, digits, '-' and '_' (and one {seq:N})"))
        }
        guard !prefix.isEmpty || !suffix.isEmpty else {
            return .failure(PatternError(message: "needs literal text around {seq:N} so IDs are recognisable, e.g. \"BCRITP-{seq:3}\""))
        }
        return .success(SubjectIDPattern(prefix: prefix, width: width, suffix: suffix))
    }

    /// Why a pattern was rejected.
    ///
    /// Source: issue 2 scope item 2.
    public struct PatternError: Error, Hashable, Sendable { public let message: String }

    /// The ID for a 1-based sequence number, zero-padded to `width`.
    ///
    /// Source: issue 2 scope item 6.
    public func subjectID(sequence: Int) -> String {
        let digits = String(sequence)
        return prefix + String(repeating: "0", count: max(0, width - digits.count)) + digits + suffix
    }

    /// The sequence number of an ID made by this pattern, or nil if `id` does not fit it.
    ///
    /// Source: issue 2 scope item 6 (the next ID follows the highest sequence in use).
    public func sequence(of id: String) -> Int? {
        guard id.hasPrefix(prefix), id.hasSuffix(suffix), id.count > prefix.count + suffix.count else { return nil }
        let middle = id.dropFirst(prefix.count).dropLast(suffix.count)
        guard middle.count >= width, middle.allSatisfy(\.isASCII), let n = Int(middle), n >= 0 else { return nil }
        guard middle.count == width || !middle.hasPrefix("0") else { return nil }
        return n
    }

    /// `id` spelled as this pattern spells it when it fits the pattern but for the case of its literal text
    /// (`bcritp-001` → `BCRITP-001`), else nil. Unambiguous: IDs of one pattern differ only in their digits, so two
    /// participants can never differ by case alone. Why: people type subject IDs into searches and addresses in any case.
    public func canonical(_ id: String) -> String? {
        guard id.count > prefix.count + suffix.count, id.allSatisfy(\.isASCII) else { return nil }
        let head = id.prefix(prefix.count), tail = id.suffix(suffix.count)
        guard head.lowercased() == prefix.lowercased(), tail.lowercased() == suffix.lowercased() else { return nil }
        let spelled = prefix + id.dropFirst(prefix.count).dropLast(suffix.count) + suffix
        return sequence(of: spelled) == nil ? nil : spelled
    }

    /// The pattern text, e.g. `BCRITP-{seq:3}`.
    public var description: String { "\(prefix){seq:\(width)}\(suffix)" }

    /// Decodes the pattern text (`"BCRITP-{seq:3}"`), rejecting invalid patterns.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        switch Self.parse(text) {
        case .success(let p): self = p
        case .failure(let e): throw DecodingError.dataCorruptedError(in: c, debugDescription: "subject ID pattern \"\(text)\" \(e.message)")
        }
    }

    /// Encodes the pattern as its text.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
