import Foundation

/// One checked value to save on a form.
///
/// Source: issue 2 scope 3 and 6. The application layer checks and standardises it (study file, CartaCore units)
/// before the store sees it.
public struct ItemValueInput: Sendable, Equatable, Codable {
    /// Item OID on the saved form.
    public var itemOID: ItemOID
    /// Repeat key; empty when not repeating.
    public var repeatKey: String
    /// The value; `nil` clears it.
    public var value: MeasuredValue?
    /// The reason for changing a saved value, in `ChangeReason.stored` form; the store refuses to change
    /// a saved value without one (here or for the whole save).
    public var reason: String?

    /// Creates an input value.
    ///
    /// Source: issue 2 scope 3; issue 7 scope 3 (a reason per changed value).
    public init(itemOID: ItemOID, repeatKey: String = "", value: MeasuredValue?, reason: String? = nil) {
        self.itemOID = itemOID
        self.repeatKey = repeatKey
        self.value = value
        self.reason = reason
    }
}
