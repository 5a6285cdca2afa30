/// Level of consciousness for ICANS (not due to sedation).
///
/// Source: spec/clinical.md §5.2 depressed-consciousness row.
public enum ICANSConsciousness: String, CaseIterable, Codable, Sendable {
    case alert, awakensSpontaneously, awakensToVoice, awakensOnlyToTactileStimulus
    /// Unarousable, or needs vigorous/repetitive tactile stimuli; stupor or coma.
    case unarousable

    /// ICANS points of this row: 0 (alert) to 4.
    public var grade: Int { ICANSConsciousness.allCases.firstIndex(of: self)! }
}

/// Seizure finding for ICANS.
///
/// Source: spec/clinical.md §5.2 seizure row (grade 3 or 4 only).
public enum ICANSSeizure: String, CaseIterable, Codable, Sendable {
    case none
    case clinicalResolvingRapidly
    case nonConvulsiveOnEEGResolvingWithIntervention
    /// Life-threatening prolonged seizure (> 5 min).
    case lifeThreateningProlonged
    case repetitiveWithoutReturnToBaseline

    /// ICANS points of this row: 0, 3 or 4.
    public var grade: Int {
        switch self {
        case .none: return 0
        case .clinicalResolvingRapidly, .nonConvulsiveOnEEGResolvingWithIntervention: return 3
        case .lifeThreateningProlonged, .repetitiveWithoutReturnToBaseline: return 4
        }
    }
}

/// Cerebral oedema on imaging for ICANS (not part of an intracranial haemorrhage).
///
/// Source: spec/clinical.md §5.2 raised ICP / cerebral edema row.
public enum ICANSCerebralEdema: String, CaseIterable, Codable, Sendable {
    case none, focalOrLocal, diffuse

    /// ICANS points of this finding: 0, 3 or 4.
    public var grade: Int { [0, 3, 4][ICANSCerebralEdema.allCases.firstIndex(of: self)!] }
}

/// A clinical sign of raised intracranial pressure; any one is ICANS grade 4.
///
/// Source: spec/clinical.md §5.2 raised ICP row, grade 4 cell.
public enum ICANSRaisedICPSign: String, CaseIterable, Codable, Sendable {
    case decerebrateOrDecorticatePosturing, cranialNerveVIPalsy, papilledema, cushingsTriad
}

/// All findings of one ICANS assessment.
///
/// Source: spec/clinical.md §5.2. `ice` is nil only when the patient is unarousable (ICE not possible).
public struct ICANSFindings: Hashable, Sendable {
    public let ice: ICEItems?
    public let consciousness: ICANSConsciousness
    public let seizure: ICANSSeizure
    public let deepFocalMotorWeakness: Bool
    public let cerebralEdema: ICANSCerebralEdema
    public let raisedICPSigns: Set<ICANSRaisedICPSign>
    /// Intracranial haemorrhage present: recorded, excluded from ICANS, graded with CTCAE.
    public let intracranialHemorrhage: Bool

    /// Creates the value from its parts (no validation; calculators validate input).
    public init(ice: ICEItems?, consciousness: ICANSConsciousness, seizure: ICANSSeizure = .none,
                deepFocalMotorWeakness: Bool = false, cerebralEdema: ICANSCerebralEdema = .none,
                raisedICPSigns: Set<ICANSRaisedICPSign> = [], intracranialHemorrhage: Bool = false) {
        self.ice = ice; self.consciousness = consciousness; self.seizure = seizure
        self.deepFocalMotorWeakness = deepFocalMotorWeakness; self.cerebralEdema = cerebralEdema
        self.raisedICPSigns = raisedICPSigns; self.intracranialHemorrhage = intracranialHemorrhage
    }
}
