/// Oxygen delivery device recorded for a CRS assessment.
///
/// Source: spec/clinical.md §5.1 (ASTCT 2019 hypoxia row; low-flow nasal cannula ≤ 6 L/min).
public enum OxygenDevice: String, CaseIterable, Codable, Sendable {
    case roomAir, blowBy, nasalCannula, highFlowNasalCannula, facemask, nonRebreatherMask, venturiMask
    case cpap, bipap, mechanicalVentilation
}

/// The oxygen support in place: device plus flow in L/min where the device is graded by flow.
///
/// Source: spec/clinical.md §5.1 (hypoxia: ≤ 6 L/min nasal cannula or blow-by → 2; > 6 L/min,
/// facemask, non-rebreather, Venturi → 3; CPAP, BiPAP, intubation/mechanical ventilation → 4).
public struct OxygenSupport: Hashable, Sendable {
    public let device: OxygenDevice
    public let flowLPerMin: Double?

    /// Creates the value from its parts (no validation; calculators validate input).
    public init(device: OxygenDevice, flowLPerMin: Double? = nil) {
        self.device = device; self.flowLPerMin = flowLPerMin
    }

    /// Hypoxia points of the ASTCT table (0, 2, 3 or 4); nil when a nasal cannula has no flow.
    ///
    /// Nasal cannulas are classified by flow (ASTCT defines low-flow as ≤ 6 L/min and high-flow as
    /// > 6 L/min); a high-flow cannula without a recorded flow counts as high-flow.
    public var hypoxiaGrade: Int? {
        switch device {
        case .roomAir: return 0
        case .blowBy: return 2
        case .nasalCannula:
            guard let f = flowLPerMin else { return nil }
            return f <= 6 ? 2 : 3
        case .highFlowNasalCannula:
            guard let f = flowLPerMin else { return 3 }
            return f <= 6 ? 2 : 3
        case .facemask, .nonRebreatherMask, .venturiMask: return 3
        case .cpap, .bipap, .mechanicalVentilation: return 4
        }
    }

    /// Short description used in rule text, e.g. "nasal cannula 4 L/min".
    var label: String {
        let flow = flowLPerMin.map { " \(CTCAEClause.format($0)) L/min" } ?? ""
        switch device {
        case .roomAir: return "room air"
        case .blowBy: return "blow-by oxygen"
        case .nasalCannula: return "nasal cannula" + flow
        case .highFlowNasalCannula: return "high-flow nasal cannula" + flow
        case .facemask: return "facemask"
        case .nonRebreatherMask: return "non-rebreather mask"
        case .venturiMask: return "Venturi mask"
        case .cpap: return "CPAP"
        case .bipap: return "BiPAP"
        case .mechanicalVentilation: return "intubation / mechanical ventilation"
        }
    }
}
