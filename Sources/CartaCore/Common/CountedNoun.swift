extension Int {
    /// A count with its noun as a sentence needs it — "1 value", "3 values" — rather than "1 value(s)".
    /// `plural` defaults to the noun with an "s".
    public func counted(_ noun: String, plural: String? = nil) -> String {
        "\(self) \(self == 1 ? noun : plural ?? noun + "s")"
    }
}
