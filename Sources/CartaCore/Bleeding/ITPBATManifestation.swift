/// A bleeding manifestation of the ITP Bleeding Assessment Tool, in its SMOG domain.
///
/// Source: spec/clinical.md §2.2 (Rodeghiero et al., Blood 2013; domains S, M, O).
public enum ITPBATManifestation: String, CaseIterable, Codable, Sendable {
    // Skin (S)
    case petechiae, ecchymoses, subcutaneousHematomas, bleedingFromMinorWounds
    // Visible mucosae (M)
    case epistaxis, gumBleeding, oralHemorrhagicBullae, oralBleedingFromBitesOrTeeth, subconjunctivalHemorrhage
    // Organs (O)
    case gastrointestinal, hemoptysis, hematuria, menorrhagia, muscleHematoma, hemarthrosis, ocular, intracranial

    /// The SMOG domain of this manifestation.
    public var domain: ITPBATDomain {
        switch self {
        case .petechiae, .ecchymoses, .subcutaneousHematomas, .bleedingFromMinorWounds: return .skin
        case .epistaxis, .gumBleeding, .oralHemorrhagicBullae, .oralBleedingFromBitesOrTeeth, .subconjunctivalHemorrhage: return .mucosae
        default: return .organs
        }
    }
}

/// An ITP-BAT domain: Skin, visible Mucosae, Organs.
///
/// Source: spec/clinical.md §2.2.
public enum ITPBATDomain: String, CaseIterable, Codable, Sendable {
    case skin = "S", mucosae = "M", organs = "O"
}
