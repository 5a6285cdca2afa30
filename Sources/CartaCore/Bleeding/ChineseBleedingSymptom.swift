/// One bleeding symptom recorded for the Chinese ITP bleeding score, carrying what sets its points.
///
/// Source: spec/clinical.md §2.1 table (2016 consensus scale, Chinese 2020 guideline).
public enum ChineseBleedingSymptom: Hashable, Sendable {
    /// Petechiae, purpura, ecchymosis or hematoma; head and face score 2, other sites 1.
    case skin(headOrFace: Bool)
    /// Nose, gums, oral blood blisters or conjunctiva: occasional 2, frequent/hard to stop 3, with anemia 5.
    case mucosal(frequentOrHardToStop: Bool, withAnemia: Bool)
    /// Lung, GI or genitourinary tract: without anemia 3, with anemia 5, life-threatening 8.
    case visceral(withAnemia: Bool, lifeThreatening: Bool)
    /// Central nervous system bleeding: 8.
    case centralNervousSystem

    /// Points of this symptom in the scale.
    public var points: Int {
        switch self {
        case .skin(let headOrFace): return headOrFace ? 2 : 1
        case .mucosal(let frequent, let anemia): return anemia ? 5 : frequent ? 3 : 2
        case .visceral(let anemia, let lifeThreatening): return lifeThreatening ? 8 : anemia ? 5 : 3
        case .centralNervousSystem: return 8
        }
    }

    /// The table row that gave the points, e.g. "Skin bleeding, head and face".
    public var item: String {
        switch self {
        case .skin(let h): return h ? "Skin bleeding, head and face" : "Skin bleeding, sites other than head and face"
        case .mucosal(let f, let a):
            return a ? "Mucosal bleeding with anemia" : f ? "Mucosal bleeding, frequent or hard to stop" : "Mucosal bleeding, occasional, stops spontaneously"
        case .visceral(let a, let lt):
            return lt ? "Deep-organ (visceral) bleeding, life-threatening" : a ? "Deep-organ (visceral) bleeding with anemia" : "Deep-organ (visceral) bleeding without anemia"
        case .centralNervousSystem: return "Deep-organ bleeding, central nervous system"
        }
    }
}
