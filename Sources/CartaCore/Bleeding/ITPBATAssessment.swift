/// ITP-BAT SMOG summary: the highest grade per domain and the `S2M3O2` notation.
///
/// Source: spec/clinical.md §2.2 ("grade the worst episode of each manifestation since the last
/// visit, then record the highest grade per domain, written e.g. S2M3O2").
public struct ITPBATAssessment: Hashable, Sendable {
    public let skin: Int
    public let mucosae: Int
    public let organs: Int
    /// Worst grade per recorded manifestation.
    public let worstByManifestation: [ITPBATManifestation: Int]

    /// `S<skin>M<mucosae>O<organs>`, e.g. `S2M3O2`.
    public var notation: String { "S\(skin)M\(mucosae)O\(organs)" }

    /// Summarises graded manifestations (grade 0–5 each; repeated manifestations keep the worst).
    ///
    /// Source: spec/clinical.md §2.2. Per-manifestation maximum grades are not checked here: the
    /// spec has not yet transcribed the mucosal and organ cells from the 2013 form.
    public init(_ grades: [(ITPBATManifestation, Int)]) {
        var worst: [ITPBATManifestation: Int] = [:]
        for (m, g) in grades { worst[m] = max(worst[m] ?? 0, g) }
        func top(_ d: ITPBATDomain) -> Int { worst.filter { $0.key.domain == d }.map(\.value).max() ?? 0 }
        worstByManifestation = worst
        skin = top(.skin); mucosae = top(.mucosae); organs = top(.organs)
    }
}
