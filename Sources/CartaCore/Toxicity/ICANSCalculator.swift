/// Calculator `icans`: ICE score from its ten items and the ASTCT 2019 ICANS grade.
///
/// Source: spec/clinical.md §5.2; docs/calculators/icans.md.
public enum ICANSCalculator: Calculator {
    /// Name used by `carta compute` and `/api/v1/compute/`.
    public static let name = "icans"
    /// One-line description for help and the OpenAPI document.
    public static let summary = "ICE score from its ten items and ASTCT 2019 ICANS grade (adults); ICH recorded separately"

    /// Input: ICE items (omit only when unarousable) and the other neurological findings.
    ///
    /// Source: spec/clinical.md §5.2.
    public struct Input: Codable, Sendable {
        public let ice: ICEItems?
        /// `alert`, `awakensSpontaneously`, `awakensToVoice`, `awakensOnlyToTactileStimulus`, `unarousable`.
        public let consciousness: String
        /// Default `none`.
        public let seizure: String?
        /// Deep focal motor weakness (hemiparesis, paraparesis); default false.
        public let deepFocalMotorWeakness: Bool?
        /// `none`, `focalOrLocal`, `diffuse`; default `none`.
        public let cerebralEdema: String?
        /// Any of `decerebrateOrDecorticatePosturing`, `cranialNerveVIPalsy`, `papilledema`, `cushingsTriad`.
        public let raisedICPSigns: [String]?
        /// Intracranial haemorrhage present (excluded from ICANS); default false.
        public let intracranialHemorrhage: Bool?
    }

    /// Output: grade, ICE score and the points of each domain.
    ///
    /// Source: spec/clinical.md §5.2.
    public struct Output: Codable, Sendable, Equatable {
        public let grade: Int
        public let icans: Bool
        public let iceScore: Int?
        public let domainGrades: DomainGrades
        public let decidedBy: [String]
        public let intracranialHemorrhageRecordedSeparately: Bool
        public let rule: String
        public let scale: String
    }

    /// Points of each ICANS domain.
    ///
    /// Source: spec/clinical.md §5.2.
    public struct DomainGrades: Codable, Sendable, Equatable {
        public let ice: Int
        public let consciousness: Int
        public let seizure: Int
        public let motor: Int
        public let raisedICPOrEdema: Int
    }

    static func parse<E: RawRepresentable & CaseIterable>(_ s: String, as _: E.Type, field: String) throws -> E where E.RawValue == String {
        guard let e = E(rawValue: s) else {
            throw CalculatorError.invalid(field, "unknown value \"\(s)\"; use one of \(E.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return e
    }

    /// Validates the findings and grades them.
    ///
    /// Source: spec/clinical.md §5.2.
    public static func compute(_ input: Input) throws -> Output {
        let consciousness = try parse(input.consciousness, as: ICANSConsciousness.self, field: "consciousness")
        if input.ice == nil && consciousness != .unarousable {
            throw CalculatorError(code: "missing_field", message: "ice: the ten ICE items are required unless consciousness is unarousable", field: "ice")
        }
        let seizure = try input.seizure.map { try parse($0, as: ICANSSeizure.self, field: "seizure") } ?? .none
        let edema = try input.cerebralEdema.map { try parse($0, as: ICANSCerebralEdema.self, field: "cerebralEdema") } ?? .none
        var signs = Set<ICANSRaisedICPSign>()
        for (i, s) in (input.raisedICPSigns ?? []).enumerated() {
            signs.insert(try parse(s, as: ICANSRaisedICPSign.self, field: "raisedICPSigns[\(i)]"))
        }
        let a = ICANSGrader.grade(ICANSFindings(
            ice: input.ice, consciousness: consciousness, seizure: seizure,
            deepFocalMotorWeakness: input.deepFocalMotorWeakness ?? false, cerebralEdema: edema,
            raisedICPSigns: signs, intracranialHemorrhage: input.intracranialHemorrhage ?? false))
        return Output(
            grade: a.grade, icans: a.grade > 0, iceScore: a.iceScore,
            domainGrades: DomainGrades(ice: a.iceGrade, consciousness: a.consciousnessGrade, seizure: a.seizureGrade,
                                       motor: a.motorGrade, raisedICPOrEdema: a.raisedICPOrEdemaGrade),
            decidedBy: a.decidedBy, intracranialHemorrhageRecordedSeparately: a.intracranialHemorrhageRecordedSeparately,
            rule: a.rule, scale: "ASTCT 2019 (adults)")
    }
}
