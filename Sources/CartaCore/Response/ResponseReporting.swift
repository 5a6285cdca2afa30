import Foundation

/// How the response outcome measures are reported: which CR definition is primary and where time
/// to response starts. Both readings are always computed by `ResponseEngine`; this picks the one
/// the outcome tables show.
///
/// Decoding fills any missing key with its default. Read by `timeToResponseDays(_:)` and
/// `completeResponse(_:)` here and by the outcome-measure tables (CartaReports, issue "Reports and outcome measures").
/// Source: spec/clinical.md §1.5 rows 1 and 5.
public struct ResponseReporting: Codable, Sendable, Hashable {
    /// Which CR definition the primary outcome reports.
    /// Source: spec/clinical.md §1.5 row 1 [?].
    public enum CRDefinition: String, Codable, Sendable, CaseIterable {
        /// IWG 2009: platelets ≥ 100 × 10⁹/L and no bleeding (default).
        case iwg
        /// The registry text literally: platelets ≥ 100 × 10⁹/L.
        case protocolLiteral
    }

    /// The origin of time to response.
    /// Source: spec/clinical.md §1.5 row 5 [D].
    public enum TimeOrigin: String, Codable, Sendable, CaseIterable {
        /// Day 0, the first CAR-T infusion (primary).
        case dayZero
        /// The first lymphodepletion dose (sensitivity analysis).
        case firstLymphodepletion
    }

    /// §1.5 row 1 [?]: default `iwg`.
    public var crPrimary: CRDefinition = .iwg
    /// §1.5 row 5 [D]: default `dayZero`.
    public var timeToResponseOrigin: TimeOrigin = .dayZero

    /// The spec's defaults.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable { case crPrimary, timeToResponseOrigin }

    /// Decodes, taking the default for every absent key.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        crPrimary = try c.decodeIfPresent(CRDefinition.self, forKey: .crPrimary) ?? .iwg
        timeToResponseOrigin = try c.decodeIfPresent(TimeOrigin.self, forKey: .timeToResponseOrigin) ?? .dayZero
    }

    /// The complete response reported as primary: IWG (≥ 100 × 10⁹/L and no bleeding) or the literal
    /// registry reading (≥ 100 × 10⁹/L).
    /// Source: spec/clinical.md §1.5 row 1; IWG 2009 (Rodeghiero, Blood 2009).
    public func completeResponse(_ result: ResponseResult) -> ConfirmedLevel? {
        crPrimary == .iwg ? result.completeResponseIWG : result.completeResponseProtocolLiteral
    }

    /// The reported time to response in days from the chosen origin (nil without a response).
    /// Source: spec/clinical.md §1.5 row 5 ("Primary: Day 0; sensitivity: first LD dose").
    public func timeToResponseDays(_ result: ResponseResult) -> Int? {
        switch timeToResponseOrigin {
        case .dayZero: return result.timeToResponseDays
        case .firstLymphodepletion: return result.timeToResponseFromLymphodepletionDays
        }
    }
}
