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

    /// Creates an input value.
    ///
    /// Source: issue 2 scope 3.
    public init(itemOID: ItemOID, repeatKey: String = "", value: MeasuredValue?) {
        self.itemOID = itemOID
        self.repeatKey = repeatKey
        self.value = value
    }
}
