/// Misuse or bad input to a clinical calculator: names the offending field and the rule it broke.
///
/// Rule *outcomes* (a grade, "not evaluable") are values, never errors (DESIGN.md §4); this type is
/// only for input that cannot be computed on. `field` is a dotted JSON path such as
/// `counts[3].date` so the API can return it in `{"error": {"field": ...}}`.
public struct CalculatorError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Stable machine-readable code: `invalid_input`, `missing_field`, `unknown_unit`,
    /// `unknown_calculator`, `malformed_json`, `out_of_range`.
    public let code: String
    public let message: String
    public let field: String?

    public init(code: String, message: String, field: String? = nil) {
        self.code = code; self.message = message; self.field = field
    }

    public static func invalid(_ field: String, _ message: String) -> CalculatorError {
        CalculatorError(code: "invalid_input", message: "\(field): \(message)", field: field)
    }

    public static func outOfRange(_ field: String, _ message: String) -> CalculatorError {
        CalculatorError(code: "out_of_range", message: "\(field): \(message)", field: field)
    }

    public var description: String { message }
}
