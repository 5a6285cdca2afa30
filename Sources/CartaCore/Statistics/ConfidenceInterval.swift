/// A two-sided confidence interval [lower, upper] for a probability or a time.
///
/// Source: DESIGN.md §2 ("Kaplan–Meier and binomial CIs" live in CartaCore).
public struct ConfidenceInterval: Sendable, Hashable, Codable {
    /// Lower confidence limit.
    public let lower: Double
    /// Upper confidence limit.
    public let upper: Double

    /// Creates an interval; `lower` ≤ `upper` is the caller's responsibility.
    public init(lower: Double, upper: Double) {
        self.lower = lower; self.upper = upper
    }

    /// Whether `value` lies within the closed interval.
    public func contains(_ value: Double) -> Bool { lower <= value && value <= upper }
}
