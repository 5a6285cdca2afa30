/// One choice of a `<select>` or radio group.
///
/// Source: DESIGN.md §4 (templates hold no logic: `selected` is decided by the model).
public struct SelectOption: Sendable, Equatable {
    /// The submitted value.
    public let value: String
    /// The visible text.
    public let label: String
    /// Whether this choice is the current one.
    public let selected: Bool

    /// Creates a choice.
    public init(value: String, label: String, selected: Bool = false) {
        self.value = value
        self.label = label
        self.selected = selected
    }

    /// Makes choices from `(value, label)` pairs, selecting the one equal to `current`.
    public static func list(_ pairs: [(value: String, label: String)], current: String?) -> [SelectOption] {
        pairs.map { SelectOption(value: $0.value, label: $0.label, selected: $0.value == current) }
    }
}
