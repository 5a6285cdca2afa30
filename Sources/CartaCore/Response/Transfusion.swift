/// Blood product of a transfusion; only platelet transfusions affect evaluability.
///
/// Source: spec/clinical.md §1.6 rule E(a) and rule B.
public enum TransfusionProduct: String, Codable, Sendable, CaseIterable {
    case platelets, redCells, plasma, cryoprecipitate, other
}

/// One dated transfusion.
///
/// Source: spec/clinical.md §1.6 rule E(a).
public struct Transfusion: Sendable, Equatable {
    /// `ClinicalDate.dayNumber` of the transfusion.
    public var dayNumber: Int
    /// Product given.
    public var product: TransfusionProduct

    /// Creates a transfusion record.
    public init(dayNumber: Int, product: TransfusionProduct = .platelets) {
        self.dayNumber = dayNumber; self.product = product
    }
}
