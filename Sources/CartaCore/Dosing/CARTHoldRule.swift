import Foundation

/// The CRS/ICANS rule evaluated before each later CAR-T fraction: give, investigator decides, hold or stop.
///
/// Source: spec/clinical.md §6.4 [D] ("hold remaining fractions if CRS ≥ grade 2 or any ICANS; if
/// grade 1 (fever only), the investigator decides and the reason is recorded"); grades per ASTCT
/// 2019 (§5.1, §5.2), 0 = none.
public struct CARTHoldRule: Codable, Sendable, Hashable {
    /// CRS grade at or above which the remaining fractions are held.
    public var holdAtCRSGrade: Int = 2
    /// ICANS grade at or above which the remaining fractions are held (1 = any ICANS).
    public var holdAtICANSGrade: Int = 1
    /// CRS grades (below the hold grade) at which the investigator decides, with a recorded reason.
    public var investigatorDecidesAtCRSGrades: [Int] = [1]
    /// CRS grade at or above which the remaining fractions are stopped for good; nil = never (spec gives none).
    public var stopAtCRSGrade: Int?
    /// ICANS grade at or above which the remaining fractions are stopped for good; nil = never.
    public var stopAtICANSGrade: Int?

    /// The spec default rule.
    public init() {}

    enum CodingKeys: String, CodingKey { case holdAtCRSGrade, holdAtICANSGrade, investigatorDecidesAtCRSGrades, stopAtCRSGrade, stopAtICANSGrade }

    /// Decodes overrides; absent keys keep the defaults.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = CARTHoldRule()
        holdAtCRSGrade = try c.dosingDecode(.holdAtCRSGrade, default: d.holdAtCRSGrade)
        holdAtICANSGrade = try c.dosingDecode(.holdAtICANSGrade, default: d.holdAtICANSGrade)
        investigatorDecidesAtCRSGrades = try c.dosingDecode(.investigatorDecidesAtCRSGrades, default: d.investigatorDecidesAtCRSGrades)
        stopAtCRSGrade = try c.decodeIfPresent(Int.self, forKey: .stopAtCRSGrade)
        stopAtICANSGrade = try c.decodeIfPresent(Int.self, forKey: .stopAtICANSGrade)
    }

    /// What the rule says before a fraction.
    public enum Decision: Equatable, Sendable {
        case give(reason: String)
        case investigatorDecides(reason: String)
        case hold(reason: String)
        case stop(reason: String)
        case notEvaluable(missing: [String])
    }

    /// Evaluates the rule for the current CRS and ICANS grades (0 = none, 1–5 ASTCT); nil grades are missing.
    /// `field` prefixes the names reported as missing.
    /// Source: spec/clinical.md §6.4.
    public func evaluate(crsGrade: Int?, icansGrade: Int?, field: String = "") -> Decision {
        guard let crs = crsGrade, let icans = icansGrade else {
            var missing: [String] = []
            if crsGrade == nil { missing.append(field + "crsGradeBefore") }
            if icansGrade == nil { missing.append(field + "icansGradeBefore") }
            return .notEvaluable(missing: missing)
        }
        let now = "CRS grade \(crs), ICANS grade \(icans)"
        if let s = stopAtCRSGrade, crs >= s { return .stop(reason: "\(now): CRS ≥ \(s) → stop remaining fractions") }
        if let s = stopAtICANSGrade, icans >= s { return .stop(reason: "\(now): ICANS ≥ \(s) → stop remaining fractions") }
        if crs >= holdAtCRSGrade { return .hold(reason: "\(now): CRS ≥ \(holdAtCRSGrade) → hold remaining fractions") }
        if icans >= holdAtICANSGrade { return .hold(reason: "\(now): ICANS ≥ \(holdAtICANSGrade) → hold remaining fractions") }
        if investigatorDecidesAtCRSGrades.contains(crs) {
            return .investigatorDecides(reason: "\(now): investigator decides and records the reason")
        }
        return .give(reason: "\(now): give as planned")
    }
}
