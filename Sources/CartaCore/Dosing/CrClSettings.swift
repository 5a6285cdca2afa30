import Foundation

/// How creatinine clearance is estimated for renal dose adjustment; a study-level setting passed to
/// `CrClCalculator` (`Input.weightBasis`).
///
/// Decoding fills any missing key with its default.
/// Source: spec/clinical.md §6.3 ("actual body weight by default; IBW (Devine) if the PI elects" [D]).
public struct CrClSettings: Codable, Sendable, Hashable {
    /// Body weight entering Cockcroft–Gault (default actual).
    public var weightBasis: CockcroftGault.WeightBasis = .actual

    /// The spec's defaults.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable { case weightBasis }

    /// Decodes, taking the default for every absent key.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        weightBasis = try c.decodeIfPresent(CockcroftGault.WeightBasis.self, forKey: .weightBasis) ?? .actual
    }
}
