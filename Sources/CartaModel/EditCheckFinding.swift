import Foundation

/// A failed edit check on one value: the query to raise (or keep open).
public struct EditCheckFinding: Hashable, Sendable {
    public var checkID: String
    public var address: ItemAddress
    public var message: String
    /// Every value the check read (a change to any of them may re-raise a closed query).
    public var involved: Set<ItemAddress>

    public init(checkID: String, address: ItemAddress, message: String, involved: Set<ItemAddress>) {
        self.checkID = checkID
        self.address = address
        self.message = message
        self.involved = involved
    }
}
