import Foundation

// Study files carry only the settings they override; every other setting keeps the spec default.
extension KeyedDecodingContainer {
    /// Decodes `key` when present and not null, else returns `fallback`.
    func dosingDecode<T: Decodable>(_ key: Key, default fallback: @autoclosure () -> T) throws -> T {
        try decodeIfPresent(T.self, forKey: key) ?? fallback()
    }
}

/// Validation helpers shared by the dosing calculators; each names the JSON field it checks.
enum DosingCheck {
    /// Requires a finite number strictly above zero.
    static func positive(_ value: Double, _ field: String, unit: String) throws {
        guard value.isFinite, value > 0 else {
            throw CalculatorError.invalid(field, "must be a positive number of \(unit), got \(value)")
        }
    }

    /// Requires `value` within `range` (inclusive), quoting the spec rule that sets the limits.
    static func within(_ value: Double, _ range: ClosedRange<Double>, _ field: String, unit: String, rule: String) throws {
        try positive(value, field, unit: unit)
        guard range.contains(value) else {
            throw CalculatorError.outOfRange(field, "\(fmt(value)) \(unit) is outside \(fmt(range.lowerBound))–\(fmt(range.upperBound)) \(unit) (\(rule))")
        }
    }

    /// A short number for messages: integers without decimals, else up to 4 significant decimals.
    static func fmt(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int(v)) }
        if abs(v) >= 1e5 || abs(v) < 1e-3 { return String(format: "%.3g", v) }
        return String(format: "%.4g", v)
    }
}
